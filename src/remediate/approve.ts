/**
 * Deciding a stored plan (REMEDIATE=approve), for every channel alike (the CLI, the Lambda
 * payload): refuse a plan that is decided or expired; re-scan the plan's accounts and re-plan,
 * and apply nothing when the fresh plan differs (saying what differs); otherwise claim the one
 * decision (a conditional write: a second approval loses), apply exactly the stored plan within
 * its bound, re-scan and report each finding before -> after.
 */
import type { ScanReport } from '../report/types';
import { summarize } from '../evaluate/evaluate';
import { answeredFindings, planDifferences, refusalOf, type PlanDecision, type PlanRecord, type PlanSettings } from './approval';
import { applyPlan } from './apply';
import { ApprovalError } from './errors';
import { planRemediation } from './plan';
import { claimDecision, putOutcome, readDecision, readPlanRecord, type PlanStore } from './plan-store';
import { renderRemediationSection } from './render';
import { compareFindings, touchedAccounts, type FindingChange, type ScanOutcome } from './run';
import type { ApplyOptions, ApplyResult } from './types';

export interface DecisionDeps {
  readonly store: PlanStore;
  /** Who decides, as the channel knows them (an IAM principal ARN, or what the channel can say). */
  readonly principal: string;
  /** Which way the decision came: `trailwatch remediate --approve`, a Lambda payload... */
  readonly channel: string;
  readonly now: () => Date;
}

export interface ApprovalDeps extends DecisionDeps {
  /** Scans these accounts with the plan's settings, publishing nothing. */
  readonly rescan: (accounts: string[], settings: PlanSettings) => Promise<ScanOutcome>;
  /** Credentials and clients for the writes; the plan's own bound applies. */
  readonly apply: Omit<ApplyOptions, 'maxChanges'>;
}

export type DecisionOutcome =
  | { readonly status: 'refused'; readonly planId: string; readonly reason: ApprovalError['reason']; readonly message: string; readonly differences?: string[] }
  | { readonly status: 'rejected'; readonly planId: string; readonly decision: PlanDecision }
  | {
      readonly status: 'applied';
      readonly planId: string;
      readonly decision: PlanDecision;
      readonly applied: ApplyResult;
      readonly changes: FindingChange[];
      /** The plan's accounts after: the re-scan before applying, with the touched accounts' findings after. */
      readonly report: ScanReport;
      readonly text: string;
    };

function refused(planId: string, error: unknown): DecisionOutcome {
  if (error instanceof ApprovalError) return { status: 'refused', planId, reason: error.reason, message: error.message };
  throw error;
}

/** The stored plan and its decision, or why it cannot be decided now. */
async function decidable(planId: string, deps: DecisionDeps, action: 'approve' | 'reject'): Promise<PlanRecord> {
  const record = await readPlanRecord(deps.store, planId);
  const decision = await readDecision(deps.store, planId);
  const refusal = refusalOf(record, decision, action, deps.now());
  if (refusal) throw new ApprovalError(refusal, decision ? 'decided' : 'expired');
  return record;
}

async function claim(record: PlanRecord, deps: DecisionDeps, decision: PlanDecision['decision']): Promise<PlanDecision> {
  const claimed: PlanDecision = { planId: record.planId, decision, by: deps.principal, at: deps.now().toISOString(), channel: deps.channel };
  if (!(await claimDecision(deps.store, claimed))) {
    const other = await readDecision(deps.store, record.planId);
    throw new ApprovalError(refusalOf(record, other, 'approve', deps.now()) ?? `plan ${record.planId} was decided by someone else meanwhile`, 'decided');
  }
  return claimed;
}

/** Closes a plan without applying it. */
export async function rejectPlan(planId: string, deps: DecisionDeps): Promise<DecisionOutcome> {
  try {
    const record = await decidable(planId, deps, 'reject');
    return { status: 'rejected', planId, decision: await claim(record, deps, 'rejected') };
  } catch (error) {
    return refused(planId, error);
  }
}

function mergeFindings(before: ScanReport, after: ScanReport, accounts: readonly string[]): ScanReport {
  const fresh = new Map(after.findings.filter((f) => accounts.includes(f.accountId)).map((f) => [`${f.accountId}|${f.check}`, f]));
  const findings = before.findings.map((f) => fresh.get(`${f.accountId}|${f.check}`) ?? f);
  return { ...before, findings, summary: summarize(findings), finishedAt: after.finishedAt };
}

export async function approvePlan(planId: string, deps: ApprovalDeps): Promise<DecisionOutcome> {
  let record: PlanRecord;
  try {
    record = await decidable(planId, deps, 'approve');
  } catch (error) {
    return refused(planId, error);
  }
  const { settings } = record;
  const before = await deps.rescan(record.accounts, settings);
  const fresh = planRemediation(before.report.findings, before.inventories, {
    benchmark: settings.benchmark,
    accounts: record.accounts,
    ...(settings.checks ? { checks: settings.checks } : {}),
    ...(settings.alertEndpoint ? { subscription: settings.alertEndpoint } : {}),
    ...(settings.alertTopicArn ? { alertTopicArn: settings.alertTopicArn } : {}),
    ...(settings.fixAlarms ? { fixAlarms: true } : {}),
  });
  const differences = planDifferences(record, { plan: fresh, findings: answeredFindings(fresh, before.report.findings) });
  if (differences.length > 0) {
    return {
      status: 'refused',
      planId,
      reason: 'drifted',
      message: `plan ${planId} was not applied: the organization changed since it was made, and a plan made now differs (${differences.length} difference${differences.length === 1 ? '' : 's'}). Nothing was changed; approve the plan of a newer scan.`,
      differences,
    };
  }
  let decision: PlanDecision;
  try {
    decision = await claim(record, deps, 'approved');
  } catch (error) {
    return refused(planId, error);
  }
  const applied = await applyPlan(record.plan, { ...deps.apply, ...(settings.maxChanges !== undefined ? { maxChanges: settings.maxChanges } : {}) });
  const accounts = touchedAccounts(record.plan, applied);
  const after = accounts.length > 0 && applied.applied > 0 ? (await deps.rescan(accounts, settings)).report : undefined;
  const changes = after ? compareFindings(before.report.findings, after.findings, accounts) : [];
  const heading = `REMEDIATION APPROVED by ${decision.by} at ${decision.at} (${decision.channel}): plan ${planId}`;
  const text = renderRemediationSection({ plan: record.plan, applied, ...(after ? { after, changes } : {}) }, heading);
  const report: ScanReport = {
    ...(after ? mergeFindings(before.report, after, accounts) : before.report),
    remediation: {
      mode: 'approve',
      planned: record.plan.changes.length,
      applied: applied.applied,
      failed: applied.failed,
      notAttempted: applied.notAttempted,
      manual: record.plan.manual.length + applied.manual.length,
      findingChanges: changes.map(({ accountId, check, before: was, after: is }) => ({ accountId, check, before: was, after: is })),
      approval: { planId, hash: record.hash, expiresAt: record.expiresAt, decision },
      text,
    },
  };
  // What was done is kept next to the plan; a failure to keep it loses nothing the report does not say.
  await putOutcome(deps.store, planId, { decision, applied: { applied: applied.applied, failed: applied.failed, notAttempted: applied.notAttempted, outcomes: applied.outcomes.map((o) => ({ id: o.change.id, status: o.status, ...(o.detail ? { detail: o.detail } : {}) })) }, changes }).catch(() => undefined);
  return { status: 'applied', planId, decision, applied, changes, report, text };
}
