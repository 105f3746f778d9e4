/**
 * publishReport: decides whether a report is worth a message (NOTIFY), builds the email and the
 * JSON within SNS's limits, publishes them, and keeps the report as the next comparison's baseline.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import type { S3Client } from '@aws-sdk/client-s3';
import { controlsFor } from '../controls';
import type { CheckSlug } from '../controls/types';
import { diffReports, hasChanges, mergeBaseline, type ReportDiff } from '../report/diff';
import { renderChatNotification } from '../report/chat';
import type { ScanReport } from '../report/types';
import { archiveReport, type ArchivedReport } from './archive';
import { NotifySettingsError, PreviousReportError, PublishError } from './errors';
import { singleMessage, splitReport, worstStatus, type EmailSettings } from './message';
import { baselineKey, DEFAULT_REPORT_PREFIX, fullReportKey, getReport, putReport, s3Uri } from './store';
import { NotifyWhen, type NotifySettings, type OutgoingMessage, type PublishDeps, type PublishResult } from './types';

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):[A-Za-z0-9_-]{1,256}$/;

/** The region and account of a standard (not FIFO) topic ARN. */
export function parseTopicArn(topicArn: string): { region: string; accountId: string } {
  const match = TOPIC_ARN.exec(topicArn);
  if (!match?.[1] || !match[2]) {
    throw new NotifySettingsError(`'${topicArn}' is not an SNS topic ARN (expected arn:aws:sns:<region>:<account>:<name>)`);
  }
  return { region: match[1], accountId: match[2] };
}

const EMPTY_REPORT_FINDINGS: Pick<ScanReport, 'findings'> = { findings: [] };

export async function publishReport(report: ScanReport, settings: NotifySettings, deps: PublishDeps): Promise<PublishResult> {
  const { region, accountId } = parseTopicArn(settings.topicArn);
  const session = { accountId: deps.accountId ?? accountId };
  const note = settings.onNote ?? (() => undefined);
  const now = deps.now ?? (() => new Date());
  const bucket = settings.reportBucket;
  const prefix = settings.reportPrefix ?? DEFAULT_REPORT_PREFIX;
  const s3 = bucket ? deps.clients.s3(session, region) : undefined;
  const worst = worstStatus(report);
  // Every scan is kept, with its page, whether or not it is worth a message.
  const archived = s3 && bucket ? await archive(s3, report, { bucket, prefix, region, partition: settings.topicArn.split(':')[1] ?? 'aws', now: now(), note }) : undefined;
  const kept = archived
    ? {
        reportLocation: archived.reportLocation,
        ...(archived.pageLocation ? { pageLocation: archived.pageLocation } : {}),
        ...(archived.pageConsoleUrl ? { pageConsoleUrl: archived.pageConsoleUrl } : {}),
      }
    : {};

  const previous = await previousReport(report, settings, deps, s3, prefix, note);
  const onChange = settings.when === NotifyWhen.ON_CHANGE;
  const diff: ReportDiff | undefined = onChange ? diffReports({ ...report, ...(previous ?? EMPTY_REPORT_FINDINGS) }, report) : undefined;
  const changes = diff && { appeared: diff.appeared.length, fixed: diff.fixed.length, changed: diff.changed.length, hadPrevious: previous !== undefined };

  const skipped =
    settings.when === NotifyWhen.ON_FAIL && worst === 'PASS'
      ? ('all-passed' as const)
      : onChange && previous !== undefined && diff && !hasChanges(diff)
        ? ('nothing-changed' as const)
        : undefined;
  if (skipped) {
    const baselineLocation = await keepBaseline(s3, bucket, prefix, previous, report, note);
    return { published: false, skipped, messageIds: [], parts: 0, omittedFindings: 0, worstStatus: worst, ...(changes ? { changes } : {}), ...(baselineLocation ? { baselineLocation } : {}), ...kept };
  }

  const email: EmailSettings = {
    level: settings.level,
    ...(diff ? { diff } : {}),
    ...(previous ? { previousFinishedAt: previous.finishedAt } : {}),
    ...(archived?.pageLocation ? { reportPage: { location: archived.pageLocation, ...(archived.pageConsoleUrl ? { consoleUrl: archived.pageConsoleUrl } : {}) } } : {}),
    titles: checkTitles(report),
    ...(settings.framework ? { framework: settings.framework } : {}),
  };
  const subjectNote = changes
    ? changes.hadPrevious
      ? `${changes.appeared} new, ${changes.fixed} fixed`
      : 'first report'
    : undefined;
  const messageOptions = { email, ...(subjectNote ? { subjectNote } : {}) };

  // A report too large for one message goes out in parts, each built as it is sent.
  let messages: Iterable<OutgoingMessage>;
  let parts = 1;
  let fullReportLocation: string | undefined;
  let omittedFindings = 0;
  const single = singleMessage(report, messageOptions);
  if (single) {
    messages = [single];
  } else {
    fullReportLocation = archived?.reportLocation ?? (await storeFullReport(s3, bucket, prefix, report, now(), note));
    const split = splitReport(report, { ...messageOptions, ...(fullReportLocation ? { fullReportLocation } : {}) });
    messages = split.messages();
    parts = split.parts;
    omittedFindings = split.omittedFindings;
  }

  const sns = deps.clients.sns(session, region);
  const messageIds: string[] = [];
  let subject = '';
  for (const message of messages) {
    if (messageIds.length === 0) subject = message.subject;
    try {
      const response = await sns.send(
        new PublishCommand({
          TopicArn: settings.topicArn,
          Subject: message.subject,
          Message: message.message,
          MessageStructure: 'json',
          MessageAttributes: message.attributes,
        }),
      );
      messageIds.push(response.MessageId ?? '');
    } catch (error) {
      throw new PublishError(
        `publishing the report to ${settings.topicArn} failed after ${messageIds.length} of ${parts} message(s): ${(error as Error).message}`,
        report,
        messageIds,
        { cause: error },
      );
    }
  }

  // Only once people were told: a failed publish leaves the old baseline, so the retry reports the same changes.
  const baselineLocation = await keepBaseline(s3, bucket, prefix, previous, report, note);
  const chat = settings.chatTopicArn ? await publishChat(report, settings.chatTopicArn, deps, archived?.pageConsoleUrl, note) : undefined;
  return {
    published: true,
    subject,
    messageIds,
    parts,
    omittedFindings,
    worstStatus: worst,
    ...(fullReportLocation ? { fullReportLocation } : {}),
    ...(changes ? { changes } : {}),
    ...(baselineLocation ? { baselineLocation } : {}),
    ...kept,
    ...(chat ? { chat } : {}),
  };
}

/**
 * The chat message, to its own topic so the findings topic's subscribers get what they always
 * got. Its failure is noted, not thrown: the report itself went out, and a retry would send it twice.
 */
async function publishChat(report: ScanReport, topicArn: string, deps: PublishDeps, pageUrl: string | undefined, note: (text: string) => void): Promise<PublishResult['chat']> {
  try {
    const { region, accountId } = parseTopicArn(topicArn);
    const message = renderChatNotification(report, pageUrl ? { pageUrl } : {});
    const response = await deps.clients.sns({ accountId: deps.accountId ?? accountId }, region).send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(message) }));
    return { published: true, messageId: response.MessageId ?? '' };
  } catch (error) {
    note(`could not publish the chat message to ${topicArn}: ${(error as Error).message}`);
    return { published: false, error: (error as Error).message };
  }
}

/** archiveReport, whose failure is noted: the message goes out without the page's link. */
async function archive(s3: S3Client, report: ScanReport, options: Parameters<typeof archiveReport>[2]): Promise<ArchivedReport | undefined> {
  try {
    return await archiveReport(s3, report, options);
  } catch (error) {
    options.note(`could not keep the report in s3://${options.bucket}: ${(error as Error).message}`);
    return undefined;
  }
}

/** The benchmark's control titles, for the email's check headings. */
function checkTitles(report: ScanReport): Partial<Record<CheckSlug, string>> {
  try {
    return Object.fromEntries(controlsFor(report.benchmark).map((control) => [control.check, control.title]));
  } catch {
    return {};
  }
}

async function previousReport(
  report: ScanReport,
  settings: NotifySettings,
  deps: PublishDeps,
  s3: S3Client | undefined,
  prefix: string,
  note: (text: string) => void,
): Promise<ScanReport | undefined> {
  if (settings.when !== NotifyWhen.ON_CHANGE) return undefined;
  if ('previousReport' in deps) return comparable(deps.previousReport, report, note);
  if (!s3 || !settings.reportBucket) {
    note('NOTIFY=on-change without a report bucket: there is no previous report to compare with, so every failure is new');
    return undefined;
  }
  try {
    return comparable(await getReport(s3, settings.reportBucket, baselineKey(prefix, report.benchmark)), report, note);
  } catch (error) {
    if (!(error instanceof PreviousReportError)) throw error;
    note(`${error.message}; comparing with nothing, so every failure is new`);
    return undefined;
  }
}

function comparable(previous: ScanReport | undefined, report: ScanReport, note: (text: string) => void): ScanReport | undefined {
  if (previous && previous.benchmark !== report.benchmark) {
    note(`the previous report is for ${previous.benchmark}, this one for ${report.benchmark}: comparing with nothing`);
    return undefined;
  }
  return previous;
}

async function storeFullReport(
  s3: S3Client | undefined,
  bucket: string | undefined,
  prefix: string,
  report: ScanReport,
  now: Date,
  note: (text: string) => void,
): Promise<string | undefined> {
  if (!s3 || !bucket) {
    note('the report is too large for one SNS message and there is no report bucket: it goes out in numbered JSON parts only');
    return undefined;
  }
  try {
    const location = await putReport(s3, bucket, fullReportKey(prefix, report, now), report);
    note(`the report is too large for one SNS message: the full report is at ${location}`);
    return location;
  } catch (error) {
    note(`could not store the full report in s3://${bucket}: ${(error as Error).message}; it goes out in numbered JSON parts only`);
    return undefined;
  }
}

async function keepBaseline(
  s3: S3Client | undefined,
  bucket: string | undefined,
  prefix: string,
  previous: ScanReport | undefined,
  report: ScanReport,
  note: (text: string) => void,
): Promise<string | undefined> {
  if (!s3 || !bucket) return undefined;
  const key = baselineKey(prefix, report.benchmark);
  try {
    return await putReport(s3, bucket, key, mergeBaseline(previous, report));
  } catch (error) {
    // People were told already: failing now would make the retry tell them twice.
    note(`could not keep this report as the next comparison's baseline at ${s3Uri(bucket, key)}: ${(error as Error).message}`);
    return undefined;
  }
}
