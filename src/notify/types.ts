import type { AwsClients } from '../aws/clients';
import type { FrameworkId } from '../controls';
import type { StatusValue } from '../evaluate/types';
import type { EmailLevelValue } from '../report/email';
import type { ScanReport } from '../report/types';

/** When a scan's report is published. */
export const NotifyWhen = { ALWAYS: 'always', ON_FAIL: 'on-fail', ON_CHANGE: 'on-change' } as const;
export type NotifyWhenValue = (typeof NotifyWhen)[keyof typeof NotifyWhen];
export const NOTIFY_WHEN_VALUES = Object.values(NotifyWhen);

export { EmailLevel as NotificationLevel, EMAIL_LEVELS as NOTIFICATION_LEVELS } from '../report/email';
export type NotificationLevelValue = EmailLevelValue;

/** How the findings reach people (email) and machines (JSON): `ScanOptions.notify`. */
export interface NotifySettings {
  /** The findings topic. Its region is where the topic and the report bucket are called. */
  readonly topicArn: string;
  /** always; on-fail: when any finding is FAIL or ERROR; on-change: when a finding's status changed since the previous report. */
  readonly when: NotifyWhenValue;
  /** verbose: every finding; info: the summary and the failures; error: only failures and errors. */
  readonly level: NotificationLevelValue;
  /**
   * The stack's bucket: keeps every scan's report with its HTML page and the trend index, and
   * the previous report (for on-change). Without it, on-change compares with nothing and a large email says the
   * full report is in the JSON parts.
   */
  readonly reportBucket?: string;
  /** Key prefix in the bucket; "trailwatch/" by default. */
  readonly reportPrefix?: string;
  /** Also group the email's findings by this framework's requirements (the crosswalk). */
  readonly framework?: FrameworkId;
  /** AWS Chatbot's topic: a chat-sized message goes there whenever the report is published. */
  readonly chatTopicArn?: string;
  /** Told what is worth logging but does not stop the publish (an unreadable previous report, a stored full report). */
  readonly onNote?: (note: string) => void;
}

/** What publishReport needs besides the report and the settings. */
export interface PublishDeps {
  readonly clients: AwsClients;
  /**
   * The report to compare with for on-change. When absent (not passed at all), it is read from
   * the report bucket; pass `previousReport: undefined` explicitly only when you mean "there was none".
   */
  readonly previousReport?: ScanReport | undefined;
  /** The scanner's own account id, for the client session; "self" by default. */
  readonly accountId?: string;
  /** For the stored reports' keys; Date.now by default. */
  readonly now?: () => Date;
}

export type SkipReason = 'all-passed' | 'nothing-changed';

export interface PublishResult {
  readonly published: boolean;
  /** Why nothing was published. */
  readonly skipped?: SkipReason;
  readonly subject?: string;
  /** One per SNS message, in order: part 1 carries the email. */
  readonly messageIds: string[];
  readonly parts: number;
  /** s3://bucket/key of the full report, when it did not fit one message. */
  readonly fullReportLocation?: string;
  /** Findings left out of the email to fit the limit. */
  readonly omittedFindings: number;
  /** For on-change: how many findings are new, fixed and changed. */
  readonly changes?: { readonly appeared: number; readonly fixed: number; readonly changed: number; readonly hadPrevious: boolean };
  /** s3://bucket/key where this report was kept as the next comparison's baseline. */
  readonly baselineLocation?: string;
  /** s3://bucket/key of this scan's JSON report and of its HTML page, kept in the report bucket. */
  readonly reportLocation?: string;
  readonly pageLocation?: string;
  /** The S3 console's link to the page (what the email gives). */
  readonly pageConsoleUrl?: string;
  readonly worstStatus: StatusValue;
  /** The chat message (chatTopicArn): its id, or why it did not go out; the report went out either way. */
  readonly chat?: { readonly published: true; readonly messageId: string } | { readonly published: false; readonly error: string };
}

/** One SNS Publish call, before it is sent: pure data, so its size can be checked and tested. */
export interface OutgoingMessage {
  readonly subject: string;
  /** The MessageStructure=json envelope: {"default": JSON text, "email": plain text}. */
  readonly message: string;
  readonly attributes: Record<string, { readonly DataType: 'String' | 'Number'; readonly StringValue: string }>;
}
