/**
 * Remediation on approval (REMEDIATE=approve), the pure part: the record a scheduled scan keeps
 * for a plan (its id, a hash of its changes and of the findings it answers, its expiry and the
 * scope to re-scan), what differs between the approved plan and a fresh one, and whether a plan
 * may still be decided. Storage is src/remediate/plan-store.ts; the flow, src/remediate/approve.ts.
 */
import { createHash } from 'node:crypto';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import type { Finding } from '../evaluate/types';
import { UsageError } from '../errors';
import type { AlertSubscription, Change, RemediationPlan } from './types';

/** p-<UTC time>-<12 hex of the plan hash>: nothing in it comes from a member account. */
export const PLAN_ID = /^p-\d{8}T\d{6}Z-[0-9a-f]{12}$/;
export const DEFAULT_APPROVAL_HOURS = 24;

/** What a plan answers: one failing finding, by the fields that decide what the plan does about it. */
export interface AnsweredFinding {
  readonly accountId: string;
  readonly check: CheckSlug;
  readonly status: string;
  readonly brokenLink?: string;
}

/** The settings a plan was made with, so the re-plan at approval uses the same ones. */
export interface PlanSettings {
  readonly benchmark: BenchmarkId;
  readonly checks?: CheckSlug[];
  readonly regions?: string[];
  readonly alertEndpoint?: AlertSubscription;
  readonly alertTopicArn?: string;
  readonly fixAlarms?: boolean;
  readonly maxChanges?: number;
}

/** The object kept in the report bucket for one proposed plan. */
export interface PlanRecord {
  readonly kind: 'trailwatch-remediation-plan';
  readonly planId: string;
  /** sha256 over the changes and the findings they answer (hex). */
  readonly hash: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** The accounts the approval re-scans: where the changes act, whom they serve, and whose findings they answer. */
  readonly accounts: string[];
  readonly settings: PlanSettings;
  readonly findings: AnsweredFinding[];
  readonly plan: RemediationPlan;
}

/** How a plan was closed: the first decision is the only one. */
export interface PlanDecision {
  readonly planId: string;
  readonly decision: 'approved' | 'rejected';
  readonly by: string;
  readonly at: string;
  readonly channel: string;
}

/** JSON with object keys sorted, so equal data hashes equally whatever order it was built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The failing findings a plan was made for, with what decides their repair. */
export function answeredFindings(plan: RemediationPlan, findings: readonly Finding[]): AnsweredFinding[] {
  const byKey = new Map(findings.map((f) => [`${f.accountId}|${f.check}`, f]));
  return plan.failing
    .map(({ accountId, check }) => {
      const finding = byKey.get(`${accountId}|${check}`);
      return { accountId, check, status: finding?.status ?? 'FAIL', ...(finding?.brokenLink ? { brokenLink: finding.brokenLink } : {}) };
    })
    .sort((a, b) => `${a.accountId}|${a.check}`.localeCompare(`${b.accountId}|${b.check}`));
}

export function planHash(changes: readonly Change[], findings: readonly AnsweredFinding[]): string {
  return createHash('sha256').update(canonicalJson({ changes, findings })).digest('hex');
}

/** Every account a plan concerns, sorted. */
export function planAccounts(plan: RemediationPlan): string[] {
  return [...new Set([...plan.failing.map((f) => f.accountId), ...plan.changes.flatMap((c) => [c.accountId, ...c.forAccounts])])].sort();
}

export function planIdFor(hash: string, at: Date): string {
  return `p-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${hash.slice(0, 12)}`;
}

/** Refuses anything but a plan id, before it reaches a key or a message. */
export function validatePlanId(text: string): string {
  if (!PLAN_ID.test(text)) throw new UsageError(`'${text.slice(0, 80)}' is not a plan id (p-<yyyymmddThhmmssZ>-<12 hex digits>, as the findings email gives it)`);
  return text;
}

export function planRecord(
  plan: RemediationPlan,
  findings: readonly Finding[],
  settings: PlanSettings,
  options: { readonly now: Date; readonly approvalHours: number },
): PlanRecord {
  const answered = answeredFindings(plan, findings);
  const hash = planHash(plan.changes, answered);
  return {
    kind: 'trailwatch-remediation-plan',
    planId: planIdFor(hash, options.now),
    hash,
    createdAt: options.now.toISOString(),
    expiresAt: new Date(options.now.getTime() + options.approvalHours * 3600_000).toISOString(),
    accounts: planAccounts(plan),
    settings,
    findings: answered,
    plan,
  };
}

/** Why a plan cannot be decided now, or undefined when it can. */
export function refusalOf(record: PlanRecord, decision: PlanDecision | undefined, action: 'approve' | 'reject', now: Date): string | undefined {
  if (decision) return `plan ${record.planId} was already ${decision.decision} by ${decision.by} at ${decision.at} (${decision.channel}): a plan is decided once`;
  if (action === 'approve' && now.getTime() > Date.parse(record.expiresAt)) {
    return `plan ${record.planId} expired at ${record.expiresAt} (made ${record.createdAt}): the organization may have changed since; approve the plan of a newer scan`;
  }
  return undefined;
}

/** What differs between the approved plan and a fresh plan of the same accounts, one line each; empty when they are the same. */
export function planDifferences(
  approved: Pick<PlanRecord, 'plan' | 'findings'>,
  fresh: { readonly plan: RemediationPlan; readonly findings: readonly AnsweredFinding[] },
): string[] {
  const lines: string[] = [];
  const before = new Map(approved.plan.changes.map((c) => [c.id, c]));
  const after = new Map(fresh.plan.changes.map((c) => [c.id, c]));
  for (const [id, change] of after) if (!before.has(id)) lines.push(`new change: ${change.summary}`);
  for (const [id, change] of before) {
    const now = after.get(id);
    if (!now) lines.push(`no longer needed: ${change.summary}`);
    else if (canonicalJson(now) !== canonicalJson(change)) {
      const fields = [...new Set([...Object.keys(change), ...Object.keys(now)])]
        .filter((k) => canonicalJson((change as unknown as Record<string, unknown>)[k]) !== canonicalJson((now as unknown as Record<string, unknown>)[k]))
        .sort();
      lines.push(`changed: ${change.summary} (differs in ${fields.join(", ")})`);
    }
  }
  const key = (f: AnsweredFinding) => `${f.accountId}|${f.check}`;
  const was = new Map(approved.findings.map((f) => [key(f), f]));
  const is = new Map(fresh.findings.map((f) => [key(f), f]));
  const describe = (f: AnsweredFinding) => `${f.status}${f.brokenLink ? ` (broken link: ${f.brokenLink})` : ''}`;
  for (const [k, f] of is) {
    const old = was.get(k);
    if (!old) lines.push(`newly failing: ${f.accountId} ${f.check} ${describe(f)}`);
    else if (describe(old) !== describe(f)) lines.push(`finding changed: ${f.accountId} ${f.check} ${describe(old)} -> ${describe(f)}`);
  }
  for (const [k, f] of was) if (!is.has(k)) lines.push(`no longer failing: ${f.accountId} ${f.check} (was ${describe(f)})`);
  return lines;
}
