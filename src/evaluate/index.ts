/** The chain evaluator: pure, inventories and the catalogue in, findings out. */
export { evaluate, summarize } from './evaluate';
export type { EvaluateOptions, FindingSummary } from './evaluate';
export { CHAIN_LINKS, Status } from './types';
export type { BrokenLink, Finding, FindingEvidence, StatusValue } from './types';
export { regionsEnabledNowhere, regionsNotScannedWarning, RegionsEnabledNowhereError } from './scope';
