/** Remediation: a pure plan of what makes failing checks pass, its idempotent application, and the rollback. */
export { planRemediation } from './plan';
export { catalogueReferences } from './references';
export { applyPlan } from './apply';
export { planRollback, applyRollback, rollbackScopes } from './rollback';
export {
  renderPlan,
  renderApplyResult,
  renderFindingChanges,
  renderRemediationSection,
  renderRollbackPlan,
  renderRollbackResult,
  PLAN_FORMATS,
  type PlanFormat,
} from './render';
export { remediationStep, mergeRescan, REMEDIATE_MODES, type RemediateMode, type RemediationSettings, type RemediationStepDeps } from './step';
export { remediateScan, compareFindings, touchedAccounts, type FindingChange, type RemediationRunResult, type ScanOutcome } from './run';
export { parseAlertSubscription, validateAlertSubscription, validateTopicArn, validateTopicName } from './options';
export { allowsCloudWatchPublish } from './policy';
export {
  ALARM_SETTINGS,
  CHECK_TAG_KEY,
  DEFAULT_TOPIC_NAME,
  MANAGED_BY_TAG,
  METRIC_NAMESPACE,
  POLICY_STATEMENT_SID,
  alarmNameFor,
  filterNameFor,
} from './naming';
export { RemediationError } from './errors';
export { ChangeStatus, SUBSCRIPTION_PROTOCOLS } from './types';
export type {
  AlertSubscription,
  ApplyOptions,
  ApplyResult,
  Change,
  ChangeKind,
  ChangeOutcome,
  ChangeStatusValue,
  CheckReference,
  ManualItem,
  PendingSubscription,
  ReferenceLookup,
  RemediationOptions,
  RemediationPlan,
  RollbackChange,
  RollbackPlan,
  RollbackScope,
  SkippedFinding,
  SubscriptionProtocol,
} from './types';
