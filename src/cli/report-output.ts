/** Writing a scan report as the user asked: format, file or stdout, colour on a terminal. */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { version } from '../../package.json';
import { renderAsff, renderCsv, renderJson, renderOcsf, renderTable } from '../report';
import { renderHtml, type HtmlOptions } from '../report/html';
import type { ScanReport } from '../report/types';
import type { FrameworkId } from '../controls/crosswalk';
import { UsageError } from '../errors';
import { writeLine } from './output';
import type { CliIo } from './types';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'asff', 'ocsf', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportOutputOptions {
  readonly format: ReportFormat;
  readonly output?: string;
  /** False with --no-color. */
  readonly color?: boolean;
  readonly homeRegion?: string;
  /** Group the table by this framework's requirements too (--framework). */
  readonly framework?: FrameworkId;
  /** For html: the trend's history. */
  readonly html?: HtmlOptions;
}

/** The report in the asked format; ASFF findings are imported into the scanner's account. */
export function renderReport(report: ScanReport, options: ReportOutputOptions & { color: boolean; asffAccountId?: string }): string {
  switch (options.format) {
    case 'table':
      return renderTable(report, { color: options.color, ...(options.framework ? { framework: options.framework } : {}) });
    case 'json':
      return renderJson(report);
    case 'csv':
      return renderCsv(report);
    case 'asff': {
      const awsAccountId = options.asffAccountId ?? report.accounts[0]?.accountId ?? '000000000000';
      return `${JSON.stringify(renderAsff(report, { awsAccountId, region: options.homeRegion ?? 'us-east-1' }), null, 2)}\n`;
    }
    case 'ocsf':
      return `${JSON.stringify(renderOcsf(report, { productVersion: version }), null, 2)}\n`;
    case 'html':
      return renderHtml(report, options.html);
  }
}

/** Writes the report to --output (whole or not at all) or stdout. */
export function writeReport(report: ScanReport, options: ReportOutputOptions, io: CliIo, title?: string, asffAccountId?: string): void {
  const toTerminal = options.output === undefined && io.stdout.isTTY === true;
  const text = renderReport(report, { ...options, color: options.color !== false && toTerminal, asffAccountId });
  const ending = text.endsWith('\n') ? text : `${text}\n`;
  if (options.output !== undefined) {
    writeFileWhole(options.output, ending);
    writeLine(io.stderr, `trailwatch: report written to ${options.output}`);
    return;
  }
  if (title) writeLine(io.stdout, title);
  io.stdout.write(ending);
}

/** Writes a file through a temporary sibling and a rename, so a failure leaves nothing half-written. */
export function writeFileWhole(path: string, text: string): void {
  let tmpDir: string | undefined;
  try {
    tmpDir = mkdtempSync(join(dirname(path), `.${basename(path)}.`));
    const tmp = join(tmpDir, 'part');
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
  }
}

/**
 * 0 when every finding passes or is excepted, 1 when any FAIL or ERROR no exception covers
 * (DESIGN.md "Interfaces"), or when a region asked for was not scanned in some account (the
 * scope was smaller than asked). An account that could not be scanned counts unless an
 * exception covers every one of its findings.
 */
export function exitCodeOf(report: ScanReport): 0 | 1 {
  if (report.summary.fail > 0 || report.summary.error > 0) return 1;
  if (report.accounts.some((account) => account.regionsNotEnabled?.length)) return 1;
  const failed = new Set(report.accounts.filter((account) => account.status === 'ERROR').map((account) => account.accountId));
  if (failed.size === 0) return 0;
  // One pass over the findings: a filter per failed account was accounts x findings at 10,000 accounts.
  const excused = new Set<string>();
  const unexcused = new Set<string>();
  for (const f of report.findings) {
    if (!failed.has(f.accountId)) continue;
    if (f.status !== 'PASS' && !f.exception) unexcused.add(f.accountId);
    else excused.add(f.accountId);
  }
  return [...failed].some((id) => unexcused.has(id) || !excused.has(id)) ? 1 : 0;
}
