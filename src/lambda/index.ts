/** The scan Lambda's logic: event and settings in, ScanOptions to runScan (or the doctor), a summary out. */
export { createScanHandler, buildScanOptions, scanDeadlines, invocationSummary, MAX_RETURNED_REPORT_BYTES } from './scan-handler';
export type { LambdaContext, ScanHandlerDeps, ScanSummary } from './scan-handler';
export { createDoctorHandler, createHandler, isDoctorRequest } from './doctor-handler';
export type { DoctorHandlerDeps } from './doctor-handler';
export { bucketRunRecorder } from './runs';
export type { RecordRun } from './runs';
export { createDecisionHandler, isDecisionEvent } from './decision-handler';
export type { DecisionSummary } from './decision-handler';
