/**
 * Findings + exception rules + now -> findings with `exception`, and what the report says about
 * the rules: how many findings they excepted, which expired, which excepted nothing. Pure.
 *
 * Only a FAIL or ERROR finding can be excepted; it keeps its status (EXCEPTED is how reports count
 * it). The first entry in force that matches a finding is the one it carries.
 */
import { summarize } from '../evaluate/evaluate';
import type { Finding } from '../evaluate/types';
import type { ScanReport } from '../report/types';
import type { ExceptionRule, ExceptionRules, ExceptionsOutcome, FindingException } from './types';

export interface ExceptionContext {
  readonly now: Date;
  /**
   * Each account's root and organizational units, outermost first (discovery's walk of the
   * organization). Without it, entries that name OUs match accounts by their `accounts` only.
   */
  readonly accountParents?: Readonly<Record<string, readonly string[]>>;
}

export interface ExceptedFindings {
  readonly findings: Finding[];
  readonly outcome: ExceptionsOutcome;
}

/** The day (UTC) `now` falls on, YYYY-MM-DD. */
export function dayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** In force through its expiry day (UTC). */
export function inForce(rule: ExceptionRule, now: Date): boolean {
  return rule.expires >= dayOf(now);
}

function isFailing(finding: Finding): boolean {
  return finding.status === 'FAIL' || finding.status === 'ERROR';
}

function inScope(rule: ExceptionRule, finding: Finding, parents: ExceptionContext['accountParents']): boolean {
  if (rule.checks !== 'all' && !rule.checks.includes(finding.check)) return false;
  if (rule.accounts.includes(finding.accountId)) return true;
  const path = parents?.[finding.accountId] ?? [];
  return rule.ous.some((ou) => path.includes(ou));
}

/** A region-bound entry covers a finding only when every region it leaves uncovered is one of the entry's. */
function regionsCovered(rule: ExceptionRule, finding: Finding): boolean {
  if (!rule.regions) return true;
  const allowed = rule.regions;
  return finding.uncoveredRegions.length > 0 && finding.uncoveredRegions.every((region) => allowed.includes(region));
}

export function matches(rule: ExceptionRule, finding: Finding, parents?: ExceptionContext['accountParents']): boolean {
  return isFailing(finding) && inScope(rule, finding, parents) && regionsCovered(rule, finding);
}

function exceptionOf(rule: ExceptionRule): FindingException {
  return { reason: rule.reason, approvedBy: rule.approvedBy, expires: rule.expires, ...(rule.kind ? { kind: rule.kind } : {}) };
}

export function applyExceptions(findings: readonly Finding[], rules: ExceptionRules, context: ExceptionContext): ExceptedFindings {
  const parents = context.accountParents;
  const active = rules.rules.filter((rule) => inForce(rule, context.now));
  const applied = new Map<number, number>();
  const out = findings.map((finding): Finding => {
    // A finding re-evaluated from a report that already carried one starts afresh.
    const { exception: _previous, ...plain } = finding;
    const rule = active.find((candidate) => matches(candidate, plain, parents));
    if (!rule) return plain;
    applied.set(rule.entry, (applied.get(rule.entry) ?? 0) + 1);
    return { ...plain, exception: exceptionOf(rule) };
  });

  const expired = rules.rules
    .filter((rule) => !inForce(rule, context.now))
    .map((rule) => ({
      entry: rule.entry,
      ...(rule.id ? { id: rule.id } : {}),
      expires: rule.expires,
      findings: findings.filter((finding) => matches(rule, finding, parents)).length,
    }));
  const stale = active
    .filter((rule) => !applied.has(rule.entry))
    .map((rule) => ({ entry: rule.entry, ...(rule.id ? { id: rule.id } : {}), why: whyNothing(rule, findings, parents) }));
  return {
    findings: out,
    outcome: {
      ...(rules.source ? { source: rules.source } : {}),
      applied: out.filter((finding) => finding.exception !== undefined).length,
      expired,
      stale,
    },
  };
}

function whyNothing(rule: ExceptionRule, findings: readonly Finding[], parents: ExceptionContext['accountParents']): string {
  const scoped = findings.filter((finding) => inScope(rule, finding, parents));
  if (scoped.length === 0) {
    if (rule.ous.length > 0 && !parents) {
      return 'it names organizational units, and this scan does not know which unit each account is in';
    }
    return 'no finding of this scan is in its scope (its accounts, units and checks)';
  }
  const failing = scoped.filter(isFailing);
  if (failing.length === 0) return 'every finding in its scope passes: the risk it accepts is gone, remove the entry';
  if (!failing.some((finding) => regionsCovered(rule, finding))) {
    return `its findings fail in regions it does not name (${rule.regions?.join(', ')})`;
  }
  return 'an earlier entry excepts every finding it covers';
}

/** The report with its findings excepted, its summary counting EXCEPTED apart, and the `exceptions` section. */
export function exceptReport(report: ScanReport, rules: ExceptionRules, context: ExceptionContext): ScanReport {
  const { findings, outcome } = applyExceptions(report.findings, rules, context);
  return { ...report, findings, summary: summarize(findings), exceptions: outcome };
}
