/**
 * Fixes grouped by cause: one single-region trail or one topic nobody hears fails many checks, and
 * the report should say the fix once, with every finding it repairs. Pure: findings in, groups out,
 * most findings repaired first; the table and the email lead with them and refer to them by number.
 */
import type { Finding } from '../evaluate/types';
import { compareControlNumbers, sortFindings } from './controls';

export interface FixGroup {
  /** The command (or step) that repairs every finding of the group. */
  readonly fix: string;
  /** What it does, in words: the findings' reason without the command. */
  readonly title: string;
  readonly findings: readonly Finding[];
  /** The accounts of those findings, each once, in report order. */
  readonly accounts: readonly string[];
  /** The control numbers of those findings, each once, in control order. */
  readonly controls: readonly string[];
}

/** The reason without its trailing " with `<fix>`": the problem and what to do, the command said elsewhere. */
export function reasonWithoutFix(finding: Pick<Finding, 'reason' | 'fix'>): string {
  if (finding.fix === undefined) return finding.reason;
  const suffix = ` with \`${finding.fix}\``;
  return finding.reason.endsWith(suffix) ? finding.reason.slice(0, -suffix.length) : finding.reason;
}

/** One group per distinct fix of the failing and erroring findings, most findings repaired first. */
export function groupFixes(findings: readonly Finding[]): FixGroup[] {
  const byFix = new Map<string, Finding[]>();
  for (const finding of sortFindings(findings)) {
    // An excepted finding is accepted risk: nothing to repair.
    if (finding.status === 'PASS' || finding.fix === undefined || finding.exception) continue;
    byFix.set(finding.fix, [...(byFix.get(finding.fix) ?? []), finding]);
  }
  const groups = [...byFix].map(([fix, repaired]): FixGroup => ({
    fix,
    title: commonest(repaired.map(reasonWithoutFix)),
    findings: repaired,
    accounts: [...new Set(repaired.map((f) => f.accountId))],
    controls: [...new Set(repaired.map((f) => f.control))].sort(compareControlNumbers),
  }));
  return groups.sort((a, b) => b.findings.length - a.findings.length || b.accounts.length - a.accounts.length || a.title.localeCompare(b.title));
}

/** The number each fix goes by (1 for the first group). */
export function fixNumbers(groups: readonly FixGroup[]): Map<string, number> {
  return new Map(groups.map((group, index) => [group.fix, index + 1]));
}

/** "repairs 5 findings (4.10, 4.11, 4.12, 4.13, 4.14) in 625784851538" */
export function repairsText(group: FixGroup, accountsShown = 5): string {
  const findings = `${group.findings.length} finding${group.findings.length === 1 ? '' : 's'}`;
  const controls = group.controls.length <= 8 ? group.controls.join(', ') : `${group.controls.slice(0, 8).join(', ')} and ${group.controls.length - 8} more`;
  const listed = group.accounts.slice(0, accountsShown).join(', ');
  const more = group.accounts.length > accountsShown ? ` and ${group.accounts.length - accountsShown} more` : '';
  const where = group.accounts.length === 1 ? listed : `${group.accounts.length} accounts: ${listed}${more}`;
  return `repairs ${findings} (${controls}) in ${where}`;
}

/** One fix as the table and the email print it: number and title, what it repairs, the command. */
export function fixLines(group: FixGroup, number: number, indent = '  '): string[] {
  const label = `${number}. `;
  const under = indent + ' '.repeat(label.length);
  return [`${indent}${label}${group.title}`, `${under}${repairsText(group)}`, `${under}${group.fix}`];
}

/** The most frequent text, the shortest of equals. */
function commonest(texts: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || a.length - b.length || a.localeCompare(b))[0]?.[0] ?? '';
}
