/**
 * The scan function's record of its last run of each kind, in its report bucket (see
 * src/notify/run-record.ts): written when a run starts and again when it ends. Never fails a run:
 * a record that cannot be written is a warning in the log.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsClients } from '../aws/clients';
import type { LambdaSettings } from '../config';
import { putRunRecord, type RunRecord } from '../notify/run-record';
import { DEFAULT_REPORT_PREFIX } from '../notify/store';

/** Where a record goes; the scan handler calls it, tests pass their own. */
export type RecordRun = (record: RunRecord) => Promise<void>;

/** Records into the report bucket (none without one). */
export function bucketRunRecorder(settings: LambdaSettings, clients: () => AwsClients, logger: Logger): RecordRun | undefined {
  const bucket = settings.notify.reportBucket;
  if (!bucket) return undefined;
  const prefix = settings.notify.reportPrefix ?? DEFAULT_REPORT_PREFIX;
  return async (record) => {
    const factory = clients();
    try {
      await putRunRecord(factory.s3({ accountId: 'scanner' }, settings.homeRegion), bucket, prefix, record);
    } catch (error) {
      logger.warn('could not record the run in the report bucket (trailwatch doctor will not see it)', { error: (error as Error).message, outcome: record.outcome });
    } finally {
      factory.destroy();
    }
  };
}
