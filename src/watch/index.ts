/** The continuous watch: CloudTrail events of calls that can break a chain -> a targeted re-check -> what changed, naming who. */
export { WATCHED_CALLS, GLOBAL_EVENT_SOURCES, eventBridgeSource, memberEventPattern, watchedCall, type WatchedCall } from './calls';
export { parseAnyCloudTrailEvent, parseEventBridgeEvent, parseQueuedEvent, WatchEventError, CLOUDTRAIL_DETAIL_TYPE, type Actor, type WatchEvent } from './events';
export { planRecheck, organizationTrailMembers, type RecheckPlan } from './plan';
export { findingChanges, changeLine, changeEmail, changeMessage, type FindingChange, type ChangeNotice } from './changes';
export { readBaseline, mergeIntoBaseline, BaselineConflictError, MAX_BASELINE_ATTEMPTS, type BaselineLocation } from './baseline';
export { recheck, CHANGES_PER_MESSAGE, type RecheckOptions, type RecheckOutcome } from './recheck';
