/**
 * The terminal report: the distinct fixes first (each once, with the findings it repairs), then
 * one block per check (control number, title, counts), one line per failing or erroring account
 * with the reason and the number of its fix, passing accounts summed up in one line, then
 * accounts that could not be scanned, run notes and a summary line.
 */
import type { Finding, StatusValue } from '../evaluate/types';
import { benchmarkInWords, catalogueTitle, type ControlTitleLookup, groupByCheck, linkInWords } from './controls';
import { fixLines, fixNumbers, groupFixes, reasonWithoutFix } from './fixes';
import { regionsNotScanned, scopeLines } from './scope';
import type { FrameworkId } from '../controls/crosswalk';
import { exceptionInWords, exceptionsOutcomeLines } from './exceptions';
import { frameworkSectionLines } from './framework';
import type { AccountResult, ScanReport } from './types';

export interface TableOptions {
  /** ANSI colours (only when the output is a terminal that wants them). */
  readonly color: boolean;
  /** Titles of checks (default: the catalogue's); where it knows none, the slug stands alone. */
  readonly titleOf?: ControlTitleLookup;
  /** PASS accounts named in a check's PASS line before "and N more". */
  readonly passAccountsShown?: number;
  /** Also group the findings by this framework's requirements (the crosswalk). */
  readonly framework?: FrameworkId;
}

const ANSI = { red: 31, green: 32, yellow: 33, cyan: 36, bold: 1, dim: 2 } as const;
type Style = keyof typeof ANSI;

const STATUS_STYLE: Record<StatusValue, Style> = { PASS: 'green', FAIL: 'red', ERROR: 'yellow' };
const STATUS_WIDTH = 'ERROR'.length;
const INDENT = '  ';

export function renderTable(report: ScanReport, options: TableOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text);
  const status = (value: StatusValue) => paint(STATUS_STYLE[value], value.padEnd(STATUS_WIDTH));
  const names = new Map(report.accounts.map((a) => [a.accountId, a.name] as const));
  const who = (accountId: string) => {
    const name = names.get(accountId);
    return name ? `${accountId} (${name})` : accountId;
  };
  const detailIndent = INDENT + ' '.repeat(STATUS_WIDTH + 2);

  const lines: string[] = [
    paint('bold', `${benchmarkInWords(report.benchmark)} (${report.benchmark})`),
    `Scanned ${countOf(report.accounts.filter((a) => a.status === 'SCANNED' || a.status === 'ERROR').length, 'account')} from ${report.startedAt} to ${report.finishedAt}`,
    ...judgedThroughOrganizationLines(report, who, options.passAccountsShown ?? 5),
    ...scopeLines(report).map((line) => paint('yellow', line)),
    '',
  ];

  // Each distinct fix once, most findings repaired first; the detail below refers to them by number.
  const fixGroups = groupFixes(report.findings);
  const fixNumber = fixNumbers(fixGroups);
  if (fixGroups.length > 0) {
    lines.push(paint('bold', `Fixes, by findings repaired (${countOf(fixGroups.length, 'distinct fix', 'distinct fixes')})`));
    fixGroups.forEach((group, index) => lines.push(...fixLines(group, index + 1)));
    lines.push('');
  }

  for (const group of groupByCheck(report.findings)) {
    const title = (options.titleOf ?? catalogueTitle)(group.check, report.benchmark);
    const counts = countStatuses(group.findings);
    const excepted = group.findings.filter((f) => f.exception);
    lines.push(
      `${paint('bold', `${group.control} ${title ?? group.check}`)}${title ? paint('dim', ` [${group.check}]`) : ''}  ` +
        `${counts.PASS} pass, ${counts.FAIL} fail, ${counts.ERROR} error${excepted.length > 0 ? `, ${excepted.length} excepted` : ''}`,
    );
    for (const finding of group.findings.filter((f) => f.status !== 'PASS' && !f.exception)) {
      const link = finding.brokenLink ? `${linkInWords(finding.brokenLink)}: ` : '';
      const number = finding.fix === undefined ? undefined : fixNumber.get(finding.fix);
      const reason = number === undefined ? finding.reason : `${reasonWithoutFix(finding)} (fix ${number})`;
      lines.push(`${INDENT}${status(finding.status)}  ${who(finding.accountId)}  ${link}${reason}`);
      lines.push(...details(finding, options.color, number !== undefined).map((line) => detailIndent + line));
    }
    for (const finding of excepted) {
      const link = finding.brokenLink ? ` (${linkInWords(finding.brokenLink)})` : '';
      const exception = finding.exception as NonNullable<Finding['exception']>;
      lines.push(`${INDENT}${paint('cyan', 'EXCEPTED')}  ${who(finding.accountId)}  ${finding.status}${link}, ${exceptionInWords(exception)}`);
      lines.push(`${detailIndent}${paint('dim', finding.reason)}`);
    }
    const passing = group.findings.filter((f) => f.status === 'PASS');
    if (passing.length > 0) {
      lines.push(`${INDENT}${status('PASS')}  ${summarizeAccounts(passing.map((f) => who(f.accountId)), options.passAccountsShown ?? 5)}`);
      for (const finding of passing) {
        for (const warning of finding.warnings ?? []) lines.push(`${detailIndent}warning (${finding.accountId}): ${warning}`);
      }
    }
    lines.push('');
  }
  if (report.findings.length === 0) lines.push('No findings.', '');

  const unscanned = report.accounts.filter((a) => a.status === 'ERROR' || a.status === 'SKIPPED');
  if (unscanned.length > 0) {
    lines.push(paint('bold', 'Accounts not scanned'));
    for (const account of unscanned) lines.push(`${INDENT}${accountLine(account, who(account.accountId))}`);
    lines.push('');
  }
  if (options.framework) {
    const [heading, ...rest] = frameworkSectionLines(report, options.framework);
    lines.push(paint('bold', heading ?? ''), ...rest, '');
  }
  if (report.exceptions) {
    lines.push(paint('bold', 'Exceptions'));
    for (const line of exceptionsOutcomeLines(report.exceptions)) lines.push(`${INDENT}${line}`);
    lines.push('');
  }
  const notes = report.stats?.notes ?? [];
  if (notes.length > 0) {
    lines.push(paint('bold', 'Notes'));
    for (const note of notes) lines.push(`${INDENT}${note}`);
    lines.push('');
  }

  const { pass, fail, error } = report.summary;
  const excepted = report.summary.excepted ?? 0;
  const exceptedText = report.exceptions || excepted > 0 ? `, ${paint(excepted > 0 ? 'cyan' : 'dim', `${excepted} excepted`)}` : '';
  lines.push(
    `Summary: ${paint(pass > 0 ? 'green' : 'dim', `${pass} pass`)}, ${paint(fail > 0 ? 'red' : 'dim', `${fail} fail`)}, ` +
      `${paint(error > 0 ? 'yellow' : 'dim', `${error} error`)}${exceptedText} ` +
      `(${countOf(report.findings.length, 'finding')}, ${countOf(report.accounts.length, 'account')})` +
      smallerScope(report),
  );
  return `${lines.join('\n')}\n`;
}

/** The summary line's last words when regions asked for were not scanned everywhere. */
function smallerScope(report: ScanReport): string {
  const missing = regionsNotScanned(report);
  if (missing.length === 0) return '';
  const accounts = new Set(missing.flatMap((m) => m.accounts)).size;
  return `; not scanned: ${missing.map((m) => m.region).join(', ')} in ${countOf(accounts, 'account')}`;
}

function details(finding: Finding, color: boolean, fixListed: boolean): string[] {
  const label = (text: string) => (color ? `\x1b[${ANSI.dim}m${text}\x1b[0m` : text);
  const out: string[] = [];
  if (finding.uncoveredRegions.length > 0) out.push(`${label('regions not covered:')} ${finding.uncoveredRegions.join(', ')}`);
  // A fix is said once: in the list of fixes, or in the reason, or here.
  if (finding.fix && !fixListed && !finding.reason.includes(finding.fix)) out.push(`${label('fix:')} ${finding.fix}`);
  for (const warning of finding.warnings ?? []) out.push(`${label('warning:')} ${warning}`);
  return out;
}

/** Counts by status; excepted findings are counted apart, not here. */
function countStatuses(findings: readonly Finding[]): Record<StatusValue, number> {
  const counts: Record<StatusValue, number> = { PASS: 0, FAIL: 0, ERROR: 0 };
  for (const finding of findings) if (!finding.exception) counts[finding.status] += 1;
  return counts;
}

function summarizeAccounts(accounts: readonly string[], shown: number): string {
  const listed = accounts.slice(0, shown).join(', ');
  const more = accounts.length - shown;
  return `${countOf(accounts.length, 'account')}: ${listed}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Members not read because their organization trail settles every check, one line per trail owner. */
function judgedThroughOrganizationLines(report: ScanReport, who: (accountId: string) => string, shown: number): string[] {
  const byOwner = new Map<string, string[]>();
  for (const account of report.accounts) {
    if (account.status !== 'ORGANIZATION_TRAIL' || !account.organizationTrail) continue;
    const owner = account.organizationTrail.owner;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), who(account.accountId)]);
  }
  return [...byOwner].map(
    ([owner, members]) => `Judged ${summarizeAccounts(members, shown)} through the organization trail of account ${who(owner)} (not read: its chain settles every check)`,
  );
}

function accountLine(account: AccountResult, label: string): string {
  return `${account.status.padEnd(7)}  ${label}${account.error ? `  ${account.error}` : ''}`;
}

function countOf(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
