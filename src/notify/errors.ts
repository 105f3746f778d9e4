import { TrailwatchError, UsageError } from '../errors';
import type { ScanReport } from '../report/types';

/** NotifySettings that cannot work (a topic ARN that is not one): a configuration mistake. */
export class NotifySettingsError extends UsageError {}

/**
 * SNS refused or failed a publish. Carries the report, so the caller can log it before failing
 * the invocation (the schedule's retries and the on-failure destination then see the failure).
 */
export class PublishError extends TrailwatchError {
  constructor(
    message: string,
    readonly report: ScanReport,
    /** Message ids of the parts that did go out before the failure. */
    readonly publishedMessageIds: string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The stored previous report could not be read or is not a report; on-change then compares with nothing. */
export class PreviousReportError extends TrailwatchError {}
