/** Helpers every formatter shares: the order of checks and the words for chain links. */
import { controlsFor } from '../controls';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import type { BrokenLink, Finding } from '../evaluate/types';

/** The title of a check in a benchmark, or undefined when it is not known. */
export type ControlTitleLookup = (check: CheckSlug, benchmark: BenchmarkId) => string | undefined;

/** The catalogue's title of a check in a benchmark (what the formatters use unless told otherwise). */
export const catalogueTitle: ControlTitleLookup = (check, benchmark) =>
  controlsFor(benchmark).find((control) => control.check === check)?.title;

/** Control numbers compare by their numeric parts: 4.2 < 4.10 < 5.1. */
export function compareControlNumbers(a: string, b: string): number {
  const partsA = a.split('.');
  const partsB = b.split('.');
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const x = partsA[i];
    const y = partsB[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const nx = Number(x);
    const ny = Number(y);
    const byNumber = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (byNumber !== 0) return byNumber;
  }
  return 0;
}

/** Findings in report order: by control number, then check, then account. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareControlNumbers(a.control, b.control) || a.check.localeCompare(b.check) || a.accountId.localeCompare(b.accountId),
  );
}

export interface CheckGroup {
  readonly check: CheckSlug;
  readonly control: string;
  readonly findings: Finding[];
}

/** One group per check, in control order; findings inside by account. */
export function groupByCheck(findings: readonly Finding[]): CheckGroup[] {
  const groups = new Map<CheckSlug, CheckGroup>();
  for (const finding of sortFindings(findings)) {
    let group = groups.get(finding.check);
    if (!group) {
      group = { check: finding.check, control: finding.control, findings: [] };
      groups.set(finding.check, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()];
}

const LINK_WORDS: Record<BrokenLink, string> = {
  trail: 'trail',
  logGroup: 'log group',
  metricFilter: 'metric filter',
  alarm: 'alarm',
  topic: 'SNS topic',
  subscription: 'subscription',
};

/** The broken link in words ("metric filter"). */
export function linkInWords(link: BrokenLink): string {
  return LINK_WORDS[link];
}

/** "cis-aws-v4.0.0" -> "CIS AWS Foundations Benchmark v4.0.0". */
export function benchmarkInWords(benchmark: BenchmarkId): string {
  return `CIS AWS Foundations Benchmark ${benchmark.replace(/^cis-aws-/, '')}`;
}
