/** Report formatters: a scan report in, text out. Pure. */
export { renderTable } from './table';
export type { TableOptions } from './table';
export { renderJson, reportJson } from './json';
export { renderCsv, CSV_COLUMNS } from './csv';
export {
  renderAsff,
  defaultProductArn,
  ASFF_SCHEMA_VERSION,
  ASFF_FINDING_TYPE,
  ASFF_BATCH_LIMIT,
  ASFF_SEVERITY,
  ASFF_COMPLIANCE,
} from './asff';
export type { AsffFinding, AsffOptions, AsffResource, AsffResourceType, AsffSeverityLabel, AsffComplianceStatus } from './asff';
export { renderOcsf, OCSF_VERSION, OCSF_CLASS_UID, OCSF_CATEGORY_UID } from './ocsf';
export type { OcsfComplianceFinding, OcsfOptions } from './ocsf';
export { catalogueTitle, compareControlNumbers, sortFindings, groupByCheck, linkInWords, benchmarkInWords } from './controls';
export type { ControlTitleLookup, CheckGroup } from './controls';
export type { ScanReport, AccountResult, AccountStatus, ReportSummary } from './types';
