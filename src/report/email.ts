/**
 * The findings email: plain text a person can act on. Pure: report (and, for on-change, the diff
 * with the previous report) in, text out, cut to a size budget when one is given.
 *
 * Order is importance: what changed, the summary by check, the distinct fixes (each once, with
 * the findings it repairs), the failing accounts grouped by check with the reason and the number
 * of its fix, accounts that could not be scanned, then the passing findings that carry warnings
 * (verbose: every passing finding). When the text must be cut, it is cut from the end and says how much was left out.
 */
import type { CheckSlug } from '../controls/types';
import type { Finding, StatusValue } from '../evaluate/types';
import type { FindingChange, ReportDiff } from './diff';
import { fixLines, fixNumbers, groupFixes, reasonWithoutFix } from './fixes';
import { scopeLines } from './scope';
import type { FrameworkId } from '../controls/crosswalk';
import { exceptionInWords, exceptionsOutcomeLines } from './exceptions';
import { frameworkSectionLines } from './framework';
import type { ScanReport } from './types';

export const EmailLevel = { VERBOSE: 'verbose', INFO: 'info', ERROR: 'error' } as const;
export type EmailLevelValue = (typeof EmailLevel)[keyof typeof EmailLevel];
export const EMAIL_LEVELS = Object.values(EmailLevel);

export interface EmailOptions {
  /** verbose: every finding; info: the summary and the failures; error: only failures and errors. */
  readonly level: EmailLevelValue;
  /** For NOTIFY=on-change: the email leads with what is new and what was fixed. */
  readonly diff?: ReportDiff;
  /** When the previous report was taken, for the on-change heading. */
  readonly previousFinishedAt?: string;
  /** Where the full report is stored, when it is (a report too large for one message). */
  readonly fullReportLocation?: string;
  /** This scan's HTML page in the report bucket: its S3 URI and the S3 console's link to it. */
  readonly reportPage?: { readonly location: string; readonly consoleUrl?: string };
  /** Cut the text to at most this many units of `measure`. */
  readonly maxSize?: number;
  /** How size is counted; UTF-8 bytes by default. */
  readonly measure?: (text: string) => number;
  /** Also group the findings by this framework's requirements (the crosswalk). */
  readonly framework?: FrameworkId;
  /** Check titles from the controls catalogue; the slug alone when absent. */
  readonly titles?: Partial<Record<CheckSlug, string>>;
}

export interface EmailText {
  readonly text: string;
  /** Findings listed in the full text but left out of this one to fit maxSize. */
  readonly omittedFindings: number;
  /** Size (in `measure` units) of what was left out. */
  readonly omittedSize: number;
}

/** A piece of the email that may be left out as a whole, with the findings it lists. */
interface Block {
  readonly lines: string[];
  readonly findings: number;
  /** Headings and the summary are kept whatever the budget. */
  readonly keep?: boolean;
}

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

export function renderEmail(report: ScanReport, options: EmailOptions): EmailText {
  const blocks = emailBlocks(report, options);
  const measure = options.measure ?? utf8Bytes;
  const full = joinBlocks(blocks);
  if (options.maxSize === undefined || measure(full) <= options.maxSize) {
    return { text: full, omittedFindings: 0, omittedSize: 0 };
  }
  return cutToFit(blocks, report, options, measure, options.maxSize);
}

function cutToFit(
  blocks: Block[],
  report: ScanReport,
  options: EmailOptions,
  measure: (text: string) => number,
  maxSize: number,
): EmailText {
  const kept: Block[] = [];
  const left: Block[] = [];
  // The notice's own size depends on the numbers in it: reserve room for the longest it can be.
  const noticeRoom = measure(omissionNotice(report.findings.length, Number.MAX_SAFE_INTEGER, options.fullReportLocation).join('\n')) + 2;
  let used = noticeRoom;
  for (const block of blocks) {
    const size = measure(block.lines.join('\n')) + 2;
    if (left.length === 0 && (block.keep === true || used + size <= maxSize)) {
      kept.push(block);
      used += size;
    } else {
      left.push(block);
    }
  }
  const omittedFindings = left.reduce((n, b) => n + b.findings, 0);
  const omittedSize = left.reduce((n, b) => n + measure(b.lines.join('\n')) + 2, 0);
  const notice: Block = { lines: omissionNotice(omittedFindings, omittedSize, options.fullReportLocation), findings: 0 };
  // The notice goes right after the heading, where nobody misses it.
  const [heading, ...rest] = kept;
  const text = joinBlocks(heading ? [heading, notice, ...rest] : [notice]);
  return { text, omittedFindings, omittedSize };
}

function omissionNotice(findings: number, size: number, location: string | undefined): string[] {
  return [
    `This email was cut to fit SNS's 256 KB message limit: ${plural(findings, 'finding')} (${formatSize(size)}) left out.`,
    location ? `The full report: ${location}` : 'The full report is in the JSON message and the function log.',
  ];
}

function joinBlocks(blocks: Block[]): string {
  return blocks.map((b) => b.lines.join('\n')).join('\n\n') + '\n';
}

function emailBlocks(report: ScanReport, options: EmailOptions): Block[] {
  const failing = report.findings.filter((f) => f.status !== 'PASS' && !f.exception);
  const excepted = report.findings.filter((f) => f.exception);
  const blocks: Block[] = [{ lines: [...headingLines(report), ...pageLines(options.reportPage)], findings: 0, keep: true }];
  if (options.diff) blocks.push(...changeBlocks(options.diff, report, options.previousFinishedAt, fixNumbers(groupFixes(report.findings))));
  if (options.level !== EmailLevel.ERROR) blocks.push({ lines: summaryByCheck(report), findings: 0, keep: true });
  if (options.framework) blocks.push({ lines: frameworkSectionLines(report, options.framework), findings: 0 });
  // Each distinct fix once, most findings repaired first; the findings below refer to them by number.
  const fixGroups = groupFixes(report.findings);
  const numbers = fixNumbers(fixGroups);
  if (fixGroups.length > 0) {
    blocks.push({ lines: [`FIXES, BY FINDINGS REPAIRED (${fixGroups.length} distinct)`], findings: 0, keep: true });
    fixGroups.forEach((group, index) => blocks.push({ lines: fixLines(group, index + 1), findings: 0 }));
  }
  if (failing.length === 0) {
    blocks.push({ lines: ['No failures or errors: every check passes in every account scanned.'], findings: 0 });
  } else {
    blocks.push({ lines: ['FAILING ACCOUNTS BY CHECK'], findings: 0, keep: true });
    for (const [check, findings] of groupByCheck(failing)) {
      blocks.push({ lines: [checkHeading(check, findings, options.titles, 'failing')], findings: 0 });
      for (const finding of findings) blocks.push({ lines: findingLines(finding, report, numbers), findings: 1 });
    }
  }
  if (excepted.length > 0) {
    blocks.push({ lines: ['EXCEPTED (ACCEPTED RISK)'], findings: 0 });
    for (const finding of sortedByControl(excepted)) {
      blocks.push({ lines: exceptedLines(finding, report), findings: 1 });
    }
  }
  if (report.exceptions && (report.exceptions.expired.length > 0 || report.exceptions.stale.length > 0)) {
    blocks.push({ lines: ['EXCEPTIONS', ...exceptionsOutcomeLines(report.exceptions).slice(1).map((line) => `  ${line}`)], findings: 0 });
  }
  // REMEDIATE=plan|apply|approve: what would change (and how to approve it), or what was done (written by src/remediate).
  if (report.remediation) blocks.push({ lines: report.remediation.text.split('\n'), findings: 0 });
  const unscanned = report.accounts.filter((a) => a.status === 'ERROR');
  if (unscanned.length > 0) {
    blocks.push({ lines: ['ACCOUNTS NOT SCANNED'], findings: 0 });
    for (const account of unscanned) {
      blocks.push({ lines: [`  ${accountLabel(account.accountId, report)}: ${account.error ?? 'no reason given'}`], findings: 0 });
    }
  }
  // Verbose lists every passing finding below, notes included; info still names those with warnings.
  const warned = report.findings.filter((f) => f.status === 'PASS' && (f.warnings ?? []).length > 0);
  if (options.level === EmailLevel.INFO && warned.length > 0) {
    blocks.push({ lines: ['PASSING, WITH WARNINGS'], findings: 0 });
    for (const [check, findings] of groupByCheck(warned)) {
      blocks.push({ lines: [checkHeading(check, findings, options.titles, 'passing')], findings: 0 });
      for (const finding of findings) blocks.push({ lines: findingLines(finding, report), findings: 1 });
    }
  }
  if (options.level === EmailLevel.VERBOSE) {
    const passing = report.findings.filter((f) => f.status === 'PASS');
    if (passing.length > 0) {
      blocks.push({ lines: ['PASSING ACCOUNTS BY CHECK'], findings: 0 });
      for (const [check, findings] of groupByCheck(passing)) {
        blocks.push({ lines: [checkHeading(check, findings, options.titles, 'passing')], findings: 0 });
        for (const finding of findings) blocks.push({ lines: findingLines(finding, report), findings: 1 });
      }
    }
  }
  return blocks;
}

function headingLines(report: ScanReport): string[] {
  const { pass, fail, error } = report.summary;
  const scanned = report.accounts.filter((a) => a.status === 'SCANNED').length;
  const judged = report.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL');
  const owners = [...new Set(judged.map((a) => a.organizationTrail?.owner ?? '?'))];
  const throughOrganization = judged.length > 0 ? `, ${judged.length} judged through the organization trail of account ${owners.join(', ')} without being read` : '';
  return [
    `trailwatch: ${report.benchmark} monitoring controls in ${plural(report.accounts.length, 'account')} (${scanned} scanned${throughOrganization})`,
    `Scan ${report.startedAt} to ${report.finishedAt}`,
    `Result: ${fail} FAIL, ${error} ERROR, ${pass} PASS${hasExceptions(report) ? `, ${report.summary.excepted ?? 0} EXCEPTED` : ''}`,
    ...scopeLines(report),
  ];
}

/** Where the HTML page is: the console link needs a sign-in with read access to the bucket. */
function pageLines(page: EmailOptions['reportPage']): string[] {
  if (!page) return [];
  return page.consoleUrl
    ? [`Report page (matrix, trend, fixes): ${page.consoleUrl}`, `  (the S3 console: sign in to the AWS account first, then Open; the object is ${page.location})`]
    : [`Report page (matrix, trend, fixes): ${page.location}`];
}

function hasExceptions(report: ScanReport): boolean {
  return report.exceptions !== undefined || (report.summary.excepted ?? 0) > 0;
}

function exceptedLines(finding: Finding, report: ScanReport): string[] {
  const exception = finding.exception as NonNullable<Finding['exception']>;
  const link = finding.brokenLink ? `, broken link: ${finding.brokenLink}` : '';
  return [
    `  EXCEPTED  ${accountLabel(finding.accountId, report)}  ${finding.control} ${finding.check}  (${finding.status}${link})`,
    `         ${exceptionInWords(exception)}`,
  ];
}

function sortedByControl(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => compareControls(a.control, b.control) || a.accountId.localeCompare(b.accountId));
}

function changeBlocks(diff: ReportDiff, report: ScanReport, previousFinishedAt: string | undefined, numbers: ReadonlyMap<string, number>): Block[] {
  const since = previousFinishedAt ? ` (${previousFinishedAt})` : '';
  const blocks: Block[] = [
    {
      lines: [
        `WHAT CHANGED SINCE THE PREVIOUS SCAN${since}`,
        `${diff.appeared.length} new, ${diff.fixed.length} fixed, ${diff.changed.length} changed, ${diff.unchangedFailing} still failing`,
      ],
      findings: 0,
      keep: true,
    },
  ];
  const section = (title: string, changes: FindingChange[]): void => {
    if (changes.length === 0) return;
    blocks.push({ lines: [`${title} (${changes.length})`], findings: 0 });
    for (const change of changes) {
      const was = change.previousStatus ? `was ${change.previousStatus}` : 'not in the previous scan';
      const lines = findingLines(change.finding, report, numbers);
      lines[0] = `${lines[0]}  [${was}]`;
      blocks.push({ lines, findings: 1 });
    }
  };
  section('New', diff.appeared);
  section('Fixed', diff.fixed);
  section('Changed', diff.changed);
  return blocks;
}

function summaryByCheck(report: ScanReport): string[] {
  const withExcepted = hasExceptions(report);
  const rows = [...groupByCheck(report.findings)].map(([check, findings]) => ({
    control: findings[0]?.control ?? '',
    name: check,
    pass: count(findings, 'PASS'),
    fail: count(findings, 'FAIL'),
    error: count(findings, 'ERROR'),
    excepted: findings.filter((f) => f.exception).length,
  }));
  const controlWidth = Math.max(7, ...rows.map((r) => r.control.length));
  const nameWidth = Math.max(5, ...rows.map((r) => r.name.length));
  const line = (c: string, n: string, p: string, f: string, e: string, x: string): string =>
    `  ${c.padEnd(controlWidth)}  ${n.padEnd(nameWidth)}  ${p.padStart(5)}  ${f.padStart(5)}  ${e.padStart(5)}${withExcepted ? `  ${x.padStart(8)}` : ''}`.trimEnd();
  return [
    'SUMMARY BY CHECK',
    line('Control', 'Check', 'PASS', 'FAIL', 'ERROR', 'EXCEPTED'),
    ...rows.map((r) => line(r.control, r.name, String(r.pass), String(r.fail), String(r.error), String(r.excepted))),
  ];
}

function checkHeading(check: CheckSlug, findings: Finding[], titles: EmailOptions['titles'], what: 'failing' | 'passing'): string {
  const control = findings[0]?.control ?? '';
  const title = titles?.[check] ? ` (${titles[check]})` : '';
  const counts =
    what === 'failing' ? `${count(findings, 'FAIL')} FAIL, ${count(findings, 'ERROR')} ERROR` : `${plural(findings.length, 'account')} passing`;
  return `${control} ${check}${title}: ${counts}`;
}

function findingLines(finding: Finding, report: ScanReport, numbers: ReadonlyMap<string, number> = new Map()): string[] {
  const lines = [`  ${finding.status.padEnd(5)}  ${accountLabel(finding.accountId, report)}  ${finding.control} ${finding.check}`];
  const number = finding.fix !== undefined && finding.status !== 'PASS' ? numbers.get(finding.fix) : undefined;
  const reason = number === undefined ? finding.reason : `${reasonWithoutFix(finding)} (fix ${number} above)`;
  if (finding.status !== 'PASS' || finding.brokenLink) lines.push(`         ${reason}`);
  if (finding.brokenLink) lines.push(`         Broken link: ${finding.brokenLink}`);
  if (finding.status !== 'PASS' && finding.uncoveredRegions.length > 0) {
    lines.push(`         Regions not covered: ${finding.uncoveredRegions.join(', ')}`);
  }
  if (finding.status === 'PASS' && finding.coveredRegions.length > 0) {
    lines.push(`         Regions covered: ${finding.coveredRegions.join(', ')}`);
  }
  // Most reasons already end with the fix; say it once.
  if (finding.fix && finding.status !== 'PASS' && number === undefined && !finding.reason.includes(finding.fix)) lines.push(`         Fix: ${finding.fix}`);
  for (const warning of finding.warnings ?? []) lines.push(`         Note: ${warning}`);
  return lines;
}

/** Each report's account names, looked up once per report, not once per line (10,000 accounts x their findings). */
const accountNames = new WeakMap<ScanReport, ReadonlyMap<string, string | undefined>>();

function accountLabel(accountId: string, report: ScanReport): string {
  let names = accountNames.get(report);
  if (!names) {
    const first = new Map<string, string | undefined>();
    for (const a of report.accounts) if (!first.has(a.accountId)) first.set(a.accountId, a.name);
    names = first;
    accountNames.set(report, names);
  }
  const name = names.get(accountId);
  return name ? `${accountId} (${name})` : accountId;
}

function groupByCheck(findings: readonly Finding[]): Map<CheckSlug, Finding[]> {
  const groups = new Map<CheckSlug, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.check) ?? [];
    group.push(finding);
    groups.set(finding.check, group);
  }
  return new Map([...groups].sort(([, a], [, b]) => compareControls(a[0]?.control ?? '', b[0]?.control ?? '')));
}

/** "4.10" after "4.9". */
function compareControls(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.localeCompare(b);
}

/** Findings of a status that no exception covers. */
function count(findings: readonly Finding[], status: StatusValue): number {
  return findings.filter((f) => f.status === status && !f.exception).length;
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

function formatSize(size: number): string {
  if (size < 1024) return `${size} bytes`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}
