/** The scan Lambda's logic: event and settings in, ScanOptions to runScan, a summary out. */
export { createScanHandler, buildScanOptions, scanDeadlines, invocationSummary, MAX_RETURNED_REPORT_BYTES } from './scan-handler';
export type { ScanHandlerDeps, ScanSummary } from './scan-handler';
export { createDecisionHandler, isDecisionEvent } from './decision-handler';
export type { DecisionSummary } from './decision-handler';
