/**
 * The watch's Lambda: an SQS batch of EventBridge CloudTrail events (the bus's rule -> the
 * queue) -> one targeted re-check of the accounts they concern. Thin: parse each record, run
 * `recheck` (src/watch) with the scan function's settings, and report the records that could
 * not be used as batch item failures, so the queue keeps them and, after its retries, moves them
 * to its failure queue. A re-check that fails fails every record of the batch, for the same
 * reason.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { AwsClients } from '../aws/clients';
import type { LambdaSettings } from '../config';
import { parseTopicArn } from '../notify/publish';
import { DEFAULT_REPORT_PREFIX } from '../notify/store';
import { scanDeadlines } from './scan-handler';
import { readExceptions } from './exceptions-source';
import { parseQueuedEvent, recheck as defaultRecheck, type RecheckOptions, type RecheckOutcome, type WatchEvent } from '../watch';

export interface WatchHandlerDeps {
  readonly settings: LambdaSettings;
  readonly logger: Logger;
  readonly clients?: () => AwsClients;
  readonly recheck?: (events: readonly WatchEvent[], options: RecheckOptions) => Promise<RecheckOutcome>;
  readonly now?: () => number;
}

type LambdaContext = Pick<Context, 'getRemainingTimeInMillis'> & Partial<Pick<Context, 'awsRequestId'>>;

/** The records of a batch: those that parse, and the ids of those that do not (with why). */
export function readBatch(event: unknown): { events: { messageId: string; event: WatchEvent }[]; refused: { messageId: string; reason: string }[] } {
  const records = (event as Partial<SQSEvent> | undefined)?.Records;
  const events: { messageId: string; event: WatchEvent }[] = [];
  const refused: { messageId: string; reason: string }[] = [];
  if (!Array.isArray(records)) return { events, refused };
  for (const record of records as Partial<SQSEvent['Records'][number]>[]) {
    const messageId = typeof record?.messageId === 'string' ? record.messageId : '';
    try {
      events.push({ messageId, event: parseQueuedEvent(typeof record?.body === 'string' ? record.body : '') });
    } catch (error) {
      refused.push({ messageId, reason: (error as Error).message });
    }
  }
  return { events, refused };
}

export function createWatchHandler(deps: WatchHandlerDeps): (event: unknown, context: LambdaContext) => Promise<SQSBatchResponse> {
  const { settings, logger } = deps;
  const now = deps.now ?? Date.now;
  const run = deps.recheck ?? defaultRecheck;
  return async (event, context) => {
    if (context.awsRequestId) logger.appendKeys({ awsRequestId: context.awsRequestId });
    const { events, refused } = readBatch(event);
    for (const r of refused) logger.error('event refused: it stays in the queue, then its failure queue', { messageId: r.messageId, reason: r.reason });
    const failures = refused.map((r) => ({ itemIdentifier: r.messageId }));
    if (events.length === 0) {
      logger.resetKeys();
      return { batchItemFailures: failures };
    }
    const remaining = typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined;
    const deadlines = scanDeadlines(now(), remaining, settings.deadlineMarginMs);
    const clients = deps.clients?.() ?? new AwsClients(settings.endpointUrl ? { endpointUrl: settings.endpointUrl } : {});
    const bucket = settings.notify.reportBucket;
    try {
      // Read at every batch, as the scan does; a file that cannot be read or parsed fails the batch (the queue keeps it).
      const exceptions = settings.exceptions ? await readExceptions(clients, settings.exceptions, { region: settings.homeRegion, now: new Date(now()) }) : undefined;
      const outcome = await run(
        events.map((e) => e.event),
        {
          benchmark: settings.benchmark,
          ...(settings.checks ? { checks: settings.checks } : {}),
          ...(settings.regions ? { regions: settings.regions } : {}),
          roleName: settings.roleName,
          ...(settings.externalId ? { externalId: settings.externalId } : {}),
          homeRegion: settings.homeRegion,
          concurrency: settings.concurrency,
          clients,
          baseline: bucket
            ? { kind: 'bucket', location: { bucket, prefix: settings.notify.reportPrefix ?? DEFAULT_REPORT_PREFIX, benchmark: settings.benchmark }, region: parseTopicArn(settings.notify.topicArn).region }
            : { kind: 'given' },
          topicArn: settings.notify.topicArn,
          ...(exceptions ? { exceptions, now: () => new Date(now()) } : {}),
          ...(deadlines ? { deadline: deadlines.deadline } : {}),
          log: (level, message, data) => logger[level](message, data ?? {}),
        },
      );
      logger.info('re-check finished', {
        events: events.length,
        accounts: outcome.plan.accounts,
        throughOwner: outcome.plan.throughOwner,
        changes: outcome.changes.length,
        ...(outcome.excepted ? { excepted: outcome.excepted.length } : {}),
        published: outcome.messageIds.length,
        ...(outcome.baselineLocation ? { baseline: outcome.baselineLocation } : {}),
      });
      return { batchItemFailures: failures };
    } catch (error) {
      // Nothing is lost: every record goes back to the queue for its retries.
      logger.error('re-check failed: the batch is retried', error as Error);
      return { batchItemFailures: [...failures, ...events.map((e) => ({ itemIdentifier: e.messageId }))] };
    } finally {
      clients.destroy();
      logger.resetKeys();
    }
  };
}
