/**
 * Plans and their outcomes for people (a table), machines (JSON) and shells (AWS CLI commands).
 * Names in them come from member accounts: every line for people and every comment of a script
 * has its control characters escaped (src/shell.ts `printable`), so a name can neither end a
 * comment and become a command nor drive a terminal; commands quote each value.
 */
import { isCommand, printable } from '../shell';
import type { FindingChange, RemediationRunResult } from './run';
import type { ApplyResult, Change, ChangeOutcome, ManualItem, PendingSubscription, RemediationPlan, RollbackChange, RollbackPlan } from './types';

export const PLAN_FORMATS = ['table', 'json', 'cli'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** Lines for a person: one line each, whatever the names in them hold. */
function text(lines: readonly string[]): string {
  return lines.map(printable).join('\n');
}

/** A script comment: one line, whatever it quotes. */
function comment(line: string): string {
  return `# ${printable(line)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function checksLabel(checks: readonly string[]): string {
  return checks.length > 3 ? `${checks.slice(0, 3).join(', ')} +${checks.length - 3}` : checks.join(', ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Why these items are a person's, from the links they concern: the heading never speaks of trails above a missing subscriber. */
function whyByHand(manual: readonly ManualItem[]): string {
  const links = new Set(manual.map((item) => item.link));
  const reasons: string[] = [];
  if (links.has('trail') || links.has('logGroup')) reasons.push('trailwatch does not change trails or create log groups');
  if (links.has('subscription')) reasons.push('trailwatch subscribes only the alert endpoint it is given');
  if (links.has('metricFilter') || links.has('alarm') || links.has('topic')) reasons.push('trailwatch does not edit what it did not create');
  return reasons.join('; ');
}

function manualLines(manual: readonly ManualItem[]): string[] {
  if (manual.length === 0) return [];
  const lines = ['', `To do by hand (${manual.length}): ${whyByHand(manual)}`];
  for (const item of manual) {
    lines.push(`  - account ${item.accountId}${item.region ? ` ${item.region}` : ''} [${checksLabel(item.checks)}]: ${item.title}`);
    item.steps.forEach((step, i) => lines.push(`      ${i + 1}. ${step}`));
  }
  return lines;
}

function pendingLines(pending: readonly PendingSubscription[]): string[] {
  if (pending.length === 0) return [];
  return [
    '',
    'Waiting for confirmation:',
    ...pending.map(
      (p) => `  - ${p.protocol} ${p.endpoint} on ${p.topicArn}: ${checksLabel(p.checks)} will pass once it is confirmed`,
    ),
  ];
}

function planTable(plan: RemediationPlan): string {
  const accounts = new Set(plan.changes.map((c) => c.accountId));
  const lines = [
    `Remediation plan: ${plural(plan.changes.length, 'change')} in ${plural(accounts.size, 'account')} for ${plural(plan.failing.length, 'failing finding')}, ${plan.manual.length} to do by hand`,
  ];
  let n = 0;
  for (const [where, changes] of groupBy(plan.changes, (c) => `${c.accountId} ${c.region}`)) {
    lines.push('', `account ${where}`);
    for (const change of changes) {
      n += 1;
      const served = change.forAccounts.filter((a) => a !== change.accountId);
      lines.push(
        `  ${String(n).padStart(3)}. ${change.summary}  [${checksLabel(change.checks)}]${served.length > 0 ? ` (for ${plural(served.length, 'member account')})` : ''}`,
      );
      for (const note of change.notes ?? []) lines.push(`       note: ${note}`);
    }
  }
  lines.push(...manualLines(plan.manual), ...pendingLines(plan.pending));
  if (plan.skipped.length > 0) {
    lines.push('', 'Left as they are:', ...plan.skipped.map((s) => `  - account ${s.accountId} ${s.check}: ${s.reason}`));
  }
  if (plan.changes.length === 0 && plan.manual.length === 0) lines.push('', 'Nothing to change.');
  return text(lines);
}

/**
 * The changes as a POSIX shell script: a comment per change, then its command (values quoted, so
 * one may span lines inside its quotes); a change no command can make safely stays a comment.
 */
function cliScript(changes: readonly (Change | RollbackChange)[], header: string, manual: readonly ManualItem[] = []): string {
  const lines = ['#!/bin/sh', comment(header), comment("Run each account's block with credentials for that account (e.g. AWS_PROFILE)."), 'set -eu'];
  for (const [accountId, own] of groupBy(changes, (c) => c.accountId)) {
    lines.push('', comment(`--- account ${accountId}`));
    for (const change of own) lines.push(comment(change.summary), isCommand(change.cli) ? change.cli : comment(change.cli));
  }
  for (const item of manual) {
    lines.push('', comment(`BY HAND, account ${item.accountId}: ${item.title}`), ...item.steps.map((step) => comment(`  ${step}`)));
  }
  return lines.join('\n');
}

export function renderPlan(plan: RemediationPlan, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(plan, null, 2);
    case 'cli':
      return cliScript(plan.changes, `trailwatch remediation plan: ${plural(plan.changes.length, 'change')}`, plan.manual);
    case 'table':
      return planTable(plan);
  }
}

function outcomeLines(outcomes: readonly ChangeOutcome<Change | RollbackChange>[]): string[] {
  return outcomes.map((o) => {
    const where = `${o.change.accountId} ${o.change.region}`;
    return `  ${o.status.padEnd(13)} ${where}  ${o.change.summary}${o.detail ? ` — ${o.detail}` : ''}`;
  });
}

function resultHeader(result: ApplyResult<Change | RollbackChange>, verb: string): string {
  const unchanged = result.outcomes.length - result.applied - result.failed - result.notAttempted - result.leftAlone;
  const leftAlone = result.leftAlone > 0 ? `, ${result.leftAlone} left alone (not trailwatch's: see to do by hand)` : '';
  const head = `${verb}: ${result.applied} done, ${unchanged} already so, ${result.failed} failed, ${result.notAttempted} not attempted${leftAlone}`;
  return result.failed + result.notAttempted > 0 ? `${head} — run it again to finish what was not done` : head;
}

export function renderApplyResult(result: ApplyResult, format: Exclude<PlanFormat, 'cli'>): string {
  if (format === 'json') return JSON.stringify(result, null, 2);
  return text([resultHeader(result, 'Remediation'), ...outcomeLines(result.outcomes), ...pendingLines(result.pending), ...manualLines(result.manual)]);
}

export function renderRollbackPlan(plan: RollbackPlan, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(plan, null, 2);
    case 'cli':
      return cliScript(plan.changes, `trailwatch rollback: ${plural(plan.changes.length, 'removal')}`);
    case 'table': {
      const lines = [`Rollback plan: ${plural(plan.changes.length, 'removal')} of what trailwatch created`];
      plan.changes.forEach((c, i) => lines.push(`  ${String(i + 1).padStart(3)}. account ${c.accountId} ${c.region}: ${c.summary}`));
      if (plan.errors.length > 0) {
        lines.push('', 'Could not look (the rollback may miss something there):');
        lines.push(...plan.errors.map((e) => `  - account ${e.accountId}${e.region ? ` ${e.region}` : ''}: ${e.message}`));
      }
      lines.push(...plan.notes.map((note) => `Note: ${note}`));
      return text(lines);
    }
  }
}

export function renderRollbackResult(result: ApplyResult<RollbackChange>, format: Exclude<PlanFormat, 'cli'>): string {
  if (format === 'json') return JSON.stringify(result, null, 2);
  return text([resultHeader(result, 'Rollback'), ...outcomeLines(result.outcomes)]);
}

/** Before -> after for each finding the re-scan looked at again. */
export function renderFindingChanges(changes: readonly FindingChange[]): string {
  return text(findingChangeLines(changes));
}

function findingChangeLines(changes: readonly FindingChange[]): string[] {
  if (changes.length === 0) return ['Re-scan: no failing finding in the touched accounts.'];
  const fixed = changes.filter((c) => c.after === 'PASS').length;
  const lines = [`Re-scan: ${fixed} of ${changes.length} failing ${changes.length === 1 ? 'finding' : 'findings'} now pass`];
  const width = Math.max(...changes.map((c) => c.check.length));
  for (const c of changes) {
    lines.push(`  ${c.accountId} ${c.check.padEnd(width)}  ${c.before} -> ${c.after}${c.reason ? `  (${c.reason})` : ''}`);
  }
  return lines;
}

/**
 * Remediation as a section of the findings email: with `plan`, what would change (nothing was);
 * with `apply`, what was done, what was not, and each finding before -> after.
 */
export function renderRemediationSection(run: RemediationRunResult, heading = 'REMEDIATION (REMEDIATE=apply)'): string {
  const { plan, applied } = run;
  if (!applied) {
    return [
      'REMEDIATION PLAN (REMEDIATE=plan: nothing was changed; set REMEDIATE=apply or run `trailwatch remediate --apply` to make it)',
      '',
      planTable(plan),
    ].join('\n');
  }
  const lines = [heading, '', resultHeader(applied, 'Changes'), ...outcomeLines(applied.outcomes.filter((o) => o.status !== 'UNCHANGED'))];
  lines.push(...pendingLines(applied.pending));
  if (run.changes) lines.push('', ...findingChangeLines(run.changes));
  lines.push(...manualLines([...plan.manual, ...applied.manual]));
  return text(lines);
}

/** REMEDIATE=approve: the plan kept for approval, and the ways to approve or reject it. */
export function renderApprovalRequest(
  record: { readonly planId: string; readonly hash: string; readonly expiresAt: string; readonly plan: RemediationPlan },
  where: {
    readonly location: string;
    readonly plansUri: string;
    readonly functionName?: string;
    /** approvalLink=true: the signed link, or why it could not be made. */
    readonly link?: { readonly url: string } | { readonly problem: string };
  },
): string {
  const payload = (action: string) => `'{"${action}":"${record.planId}"}'`;
  const invoke = (action: string) =>
    `aws lambda invoke --function-name ${where.functionName ?? '<scan function>'} --cli-binary-format raw-in-base64-out --payload ${payload(action)} /dev/stdout`;
  return [
    'REMEDIATION PLAN AWAITING APPROVAL (REMEDIATE=approve: nothing was changed)',
    '',
    `Plan ${record.planId}, hash ${record.hash.slice(0, 16)}..., kept at ${where.location}`,
    `Approvable once, until ${record.expiresAt}. Approving re-scans the plan's accounts and applies nothing if the plan would differ.`,
    `  approve: trailwatch remediate --approve ${record.planId} --plans ${where.plansUri}`,
    `       or: ${invoke('approve')}`,
    `  reject:  trailwatch remediate --reject ${record.planId} --plans ${where.plansUri}`,
    `       or: ${invoke('reject')}`,
    ...(where.link ? ['', ...linkLines(where.link, record.expiresAt)] : []),
    '',
    planTable(record.plan),
  ].join('\n');
}

/** The one-click link and who it empowers; a link that could not be made says why (the other ways still work). */
function linkLines(link: { readonly url: string } | { readonly problem: string }, expiresAt: string): string[] {
  if ('problem' in link) return [`One-click approval link: not made (${printable(link.problem)}); approve with a command above.`];
  return [
    `One-click approval (opens a confirmation page; nothing changes until you confirm there), valid until ${expiresAt}:`,
    `  ${link.url}`,
    'Anyone holding this link can approve this plan until then: do not forward it. To stop it, reject the plan.',
  ];
}
