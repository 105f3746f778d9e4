/**
 * The trend's data: one small point per report (counts per check), the index the Lambda keeps
 * of them, and reading points back from a stored report or index. Pure; the files and the
 * bucket are read elsewhere.
 */
import { z } from 'zod';
import { CHECK_SLUGS, type CheckSlug } from '../../controls/types';
import type { Finding } from '../../evaluate/types';
import type { ScanReport } from '../types';
import { exceptionOf } from './status';

/** How many findings of a scan passed, failed, erred, or were excepted (an excepted FAIL or ERROR counts only here). */
export interface StatusCounts {
  readonly pass: number;
  readonly fail: number;
  readonly error: number;
  readonly excepted: number;
}

/** One scan, reduced to what the trend draws. */
export interface HistoryPoint {
  readonly finishedAt: string;
  readonly benchmark: string;
  readonly accounts: number;
  readonly total: StatusCounts;
  readonly checks: Partial<Record<CheckSlug, StatusCounts>>;
}

/** What the Lambda keeps next to its reports: the last TREND_DAYS days, one point per day. */
export interface HistoryIndex {
  readonly kind: typeof HISTORY_KIND;
  readonly version: 1;
  readonly benchmark: string;
  readonly points: HistoryPoint[];
}

export const HISTORY_KIND = 'trailwatch-history';
export const TREND_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

type CountedFinding = Pick<Finding, 'status'>;

export function countFindings(findings: readonly CountedFinding[]): StatusCounts {
  let pass = 0;
  let fail = 0;
  let error = 0;
  let excepted = 0;
  for (const finding of findings) {
    if (finding.status === 'PASS') pass += 1;
    else if (exceptionOf(finding)) excepted += 1;
    else if (finding.status === 'FAIL') fail += 1;
    else error += 1;
  }
  return { pass, fail, error, excepted };
}

/** PASS among the findings judged (excepted ones left out), or undefined when none was. */
export function passRate(counts: StatusCounts): number | undefined {
  const judged = counts.pass + counts.fail + counts.error;
  return judged === 0 ? undefined : counts.pass / judged;
}

export function historyPoint(report: Pick<ScanReport, 'benchmark' | 'finishedAt' | 'accounts' | 'findings'>): HistoryPoint {
  const byCheck = new Map<CheckSlug, CountedFinding[]>();
  for (const finding of report.findings) {
    const list = byCheck.get(finding.check) ?? [];
    list.push(finding);
    byCheck.set(finding.check, list);
  }
  return {
    finishedAt: report.finishedAt,
    benchmark: report.benchmark,
    accounts: report.accounts.length,
    total: countFindings(report.findings),
    checks: Object.fromEntries([...byCheck].map(([check, findings]) => [check, countFindings(findings)])),
  };
}

/** The UTC day of an ISO time, "2025-01-15". */
function dayOf(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

/**
 * The points of one benchmark from the `days` days up to `until` (inclusive), the latest of each
 * UTC day, oldest first. Points with an unreadable time are left out.
 */
export function trendPoints(points: readonly HistoryPoint[], options: { benchmark: string; until: string; days?: number }): HistoryPoint[] {
  const until = Date.parse(options.until);
  const from = until - (options.days ?? TREND_DAYS) * DAY_MS;
  const byDay = new Map<string, HistoryPoint>();
  for (const point of points) {
    const at = Date.parse(point.finishedAt);
    if (point.benchmark !== options.benchmark || Number.isNaN(at) || at > until || at < from) continue;
    const day = dayOf(point.finishedAt);
    const kept = byDay.get(day);
    if (!kept || Date.parse(kept.finishedAt) < at) byDay.set(day, point);
  }
  return [...byDay.values()].sort((a, b) => Date.parse(a.finishedAt) - Date.parse(b.finishedAt));
}

/** The index with `point` added: one point per day (the latest wins), the last TREND_DAYS days. */
export function addToHistory(index: HistoryIndex | undefined, point: HistoryPoint): HistoryIndex {
  const kept = index && index.benchmark === point.benchmark ? index.points : [];
  return {
    kind: HISTORY_KIND,
    version: 1,
    benchmark: point.benchmark,
    points: trendPoints([...kept, point], { benchmark: point.benchmark, until: point.finishedAt }),
  };
}

// ---------------------------------------------------------------------------------------------
// Reading points back. Stored files are data from a bucket or a directory: checked, never trusted.

const count = z.number().int().nonnegative();
const countsSchema = z.object({ pass: count, fail: count, error: count, excepted: count.default(0) });
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { message: 'not a time' });

const pointSchema = z.object({
  finishedAt: isoTime,
  benchmark: z.string().max(64),
  accounts: count,
  total: countsSchema,
  checks: z.record(z.string(), countsSchema),
});

const indexSchema = z.object({
  kind: z.literal(HISTORY_KIND),
  version: z.literal(1),
  benchmark: z.string().max(64),
  points: z.array(pointSchema).max(10_000),
});

const reportSchema = z.looseObject({
  benchmark: z.string().max(64),
  finishedAt: isoTime,
  accounts: z.array(z.unknown()),
  findings: z.array(
    z.looseObject({
      check: z.string(),
      status: z.enum(['PASS', 'FAIL', 'ERROR']),
      exception: z.unknown().optional(),
    }),
  ),
});

const KNOWN_CHECKS = new Set<string>(CHECK_SLUGS);

function onlyKnownChecks(point: z.infer<typeof pointSchema>): HistoryPoint {
  return { ...point, checks: Object.fromEntries(Object.entries(point.checks).filter(([check]) => KNOWN_CHECKS.has(check))) };
}

/**
 * The points a stored JSON value holds: one for a scan report, all of them for a history index;
 * undefined when it is neither (the caller says so and skips it).
 */
export function historyPointsOf(json: unknown): HistoryPoint[] | undefined {
  const index = indexSchema.safeParse(json);
  if (index.success) return index.data.points.map(onlyKnownChecks);
  const report = reportSchema.safeParse(json);
  if (report.success) {
    const findings = report.data.findings.filter((f) => KNOWN_CHECKS.has(f.check)) as unknown as Finding[];
    return [historyPoint({ ...report.data, accounts: report.data.accounts as ScanReport['accounts'], benchmark: report.data.benchmark as ScanReport['benchmark'], findings })];
  }
  return undefined;
}

/** The index stored at the history key, or undefined when the value is not one. */
export function parseHistoryIndex(json: unknown): HistoryIndex | undefined {
  const index = indexSchema.safeParse(json);
  return index.success ? { ...index.data, points: index.data.points.map(onlyKnownChecks) } : undefined;
}
