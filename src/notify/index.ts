export { publishReport, parseTopicArn } from './publish';
export {
  SNS_MAX_MESSAGE_BYTES,
  SNS_MAX_SUBJECT_CHARS,
  envelope,
  escapedBytes,
  messageBytes,
  singleMessage,
  splitMessages,
  splitReport,
  subjectFor,
  worstStatus,
} from './message';
export type { EmailSettings, MessageOptions, ReportPart } from './message';
export { DEFAULT_REPORT_PREFIX, baselineKey, fullReportKey, getReport, putReport, s3Uri } from './store';
export { archiveReport, consoleObjectUrl, historyKey, pageKey, readHistoryFromBucket, readHistoryIndex, HistoryReadError } from './archive';
export type { ArchivedReport, ArchiveOptions } from './archive';
export { HEARTBEAT_METRIC, countsByCheck, logReport, publishCheckMetrics, publishHeartbeat } from './observe';
export type { StatusCounts, StructuredLogger } from './observe';
export { NotifySettingsError, PreviousReportError, PublishError } from './errors';
export { NOTIFICATION_LEVELS, NOTIFY_WHEN_VALUES, NotificationLevel, NotifyWhen } from './types';
export type {
  NotificationLevelValue,
  NotifySettings,
  NotifyWhenValue,
  OutgoingMessage,
  PublishDeps,
  PublishResult,
  SkipReason,
} from './types';
export { NOTE_AUTHOR, archivedCopy, describeImport, findingsToArchive, importToSecurityHub, workflowUpdates } from './security-hub';
export type { HeldWorkflow, SecurityHubFailure, SecurityHubImportOptions, SecurityHubImportResult, WorkflowUpdate } from './security-hub';
