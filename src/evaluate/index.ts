/** The chain evaluator: pure, inventories and the catalogue in, findings out. */
export { evaluate, evaluateWithinDeadline, EVALUATION_UNFINISHED, PartialEvaluation, summarize } from './evaluate';
export type { EvaluateOptions, EvaluationDeadline, FindingSummary } from './evaluate';
export { CHAIN_LINKS, Status } from './types';
export type { BrokenLink, Finding, FindingEvidence, StatusValue } from './types';
export { regionsEnabledNowhere, regionsNotScannedWarning, RegionsEnabledNowhereError } from './scope';
