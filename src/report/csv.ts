/** The findings as CSV, one row per finding, for spreadsheets and pipelines. */
import { stringify } from 'csv-stringify/sync';
import type { Finding } from '../evaluate/types';
import { sortFindings } from './controls';
import type { ScanReport } from './types';

/**
 * The columns, in order; regions are space-separated, warnings joined by " | ". An excepted
 * finding keeps its status; its exception fills the last four columns.
 */
export const CSV_COLUMNS = [
  'accountId',
  'check',
  'control',
  'status',
  'brokenLink',
  'coveredRegions',
  'uncoveredRegions',
  'reason',
  'fix',
  'trail',
  'logGroup',
  'metricFilter',
  'alarm',
  'topic',
  'organizationTrailOwner',
  'warnings',
  'exceptionReason',
  'exceptionApprovedBy',
  'exceptionExpires',
  'exceptionKind',
] as const;

type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

function csvRow(finding: Finding): CsvRow {
  const evidence = finding.evidence;
  return {
    accountId: finding.accountId,
    check: finding.check,
    control: finding.control,
    status: finding.status,
    brokenLink: finding.brokenLink ?? '',
    coveredRegions: finding.coveredRegions.join(' '),
    uncoveredRegions: finding.uncoveredRegions.join(' '),
    reason: finding.reason,
    fix: finding.fix ?? '',
    trail: evidence.trail ?? '',
    logGroup: evidence.logGroup ?? '',
    metricFilter: evidence.metricFilter ?? '',
    alarm: evidence.alarm ?? '',
    topic: evidence.topic ?? '',
    organizationTrailOwner: evidence.organizationTrailOwner ?? '',
    warnings: (finding.warnings ?? []).join(' | '),
    exceptionReason: finding.exception?.reason ?? '',
    exceptionApprovedBy: finding.exception?.approvedBy ?? '',
    exceptionExpires: finding.exception?.expires ?? '',
    exceptionKind: finding.exception?.kind ?? '',
  };
}

/**
 * A header row and one row per finding (in control, then account order). Cells that a
 * spreadsheet would run as a formula (starting with = + - @) are escaped with a quote.
 */
export function renderCsv(report: ScanReport): string {
  return stringify(sortFindings(report.findings).map(csvRow), {
    header: true,
    columns: [...CSV_COLUMNS],
    escape_formulas: true,
    record_delimiter: 'unix',
  });
}
