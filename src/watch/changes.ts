/**
 * What a re-check changed, finding by finding, each naming the call (and who made it) that
 * caused it; and the one SNS message that tells it (pure).
 */
import { findingKey } from '../report/diff';
import type { Finding, StatusValue } from '../evaluate/types';
import type { ScanReport } from '../report/types';
import { SNS_MAX_SUBJECT_CHARS } from '../notify/message';
import type { OutgoingMessage } from '../notify/types';
import type { Actor, WatchEvent } from './events';

export interface FindingChange {
  readonly accountId: string;
  readonly accountName?: string;
  readonly check: Finding['check'];
  readonly control: string;
  readonly status: StatusValue;
  /** null when the stored report had no finding for it. */
  readonly previousStatus: StatusValue | null;
  readonly brokenLink: Finding['brokenLink'];
  readonly reason: string;
  readonly fix?: string;
  /** The accepted-risk entry the finding is excepted by, when it is. */
  readonly exception?: Finding['exception'];
  /** The call that caused it. */
  readonly cause: Actor & { readonly accountId: string; readonly region: string };
}

/** The event to blame: one on the link that broke (or, for a fix, that was broken), else the latest. */
function causeOf(events: readonly WatchEvent[], link: Finding['brokenLink']): WatchEvent | undefined {
  const byTime = [...events].sort((a, b) => Date.parse(b.actor.eventTime) - Date.parse(a.actor.eventTime));
  return byTime.find((event) => link !== null && event.link === link) ?? byTime[0];
}

/**
 * The findings in `scope` whose status differs from the stored report's. A finding absent from
 * the stored report counts as a change only when it is not PASS. `causes` are the events of each
 * account (members judged through their organization trail's owner take the owner's events).
 */
export function findingChanges(
  baseline: Pick<ScanReport, 'findings' | 'accounts'> | undefined,
  findings: readonly Finding[],
  causes: (accountId: string) => readonly WatchEvent[],
): FindingChange[] {
  const before = new Map((baseline?.findings ?? []).map((f) => [findingKey(f), f]));
  const names = new Map((baseline?.accounts ?? []).filter((a) => a.name).map((a) => [a.accountId, a.name as string]));
  const changes: FindingChange[] = [];
  for (const finding of findings) {
    const previous = before.get(findingKey(finding));
    if (previous ? previous.status === finding.status : finding.status === 'PASS') continue;
    const event = causeOf(causes(finding.accountId), finding.status === 'PASS' ? (previous?.brokenLink ?? null) : finding.brokenLink);
    if (!event) continue;
    const name = names.get(finding.accountId);
    changes.push({
      accountId: finding.accountId,
      ...(name ? { accountName: name } : {}),
      check: finding.check,
      control: finding.control,
      status: finding.status,
      previousStatus: previous?.status ?? null,
      brokenLink: finding.brokenLink,
      reason: finding.reason,
      ...(finding.fix ? { fix: finding.fix } : {}),
      ...(finding.exception ? { exception: finding.exception } : {}),
      cause: { ...event.actor, accountId: event.accountId, region: event.region },
    });
  }
  return changes;
}

/** Control characters out and length bounded: the actor's fields come from a member account's event. */
function printable(value: string, max = 256): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
  return clean.length <= max ? clean : `${clean.slice(0, max - 3)}...`;
}

/** "trailwatch: security_group_changes FAIL in 111111111111 (prod) — DeleteMetricFilter by <arn> from <ip> at <time>" */
export function changeLine(change: FindingChange): string {
  const account = change.accountName ? `${change.accountId} (${printable(change.accountName, 64)})` : change.accountId;
  const { cause } = change;
  return `trailwatch: ${change.check} ${change.status} in ${account} — ${cause.eventName} by ${printable(cause.arn)} from ${printable(cause.sourceIPAddress, 64)} at ${printable(cause.eventTime, 40)}`;
}

export interface ChangeMessageContext {
  readonly benchmark: string;
  readonly checkedAt: string;
  /** When the report compared with was made. */
  readonly baselineFinishedAt?: string;
}

/** The JSON subscribers get (the `default` of the message). */
export interface ChangeNotice {
  readonly kind: 'trailwatch.change';
  readonly benchmark: string;
  readonly checkedAt: string;
  readonly comparedWith?: string;
  readonly changes: FindingChange[];
}

function subjectOf(changes: readonly FindingChange[]): string {
  const [first] = changes;
  const base =
    changes.length === 1 && first
      ? `trailwatch: ${first.check} ${first.status} in ${first.accountId} (${first.cause.eventName})`
      : `trailwatch: ${changes.length} changes in ${new Set(changes.map((c) => c.accountId)).size} account(s) (${[...new Set(changes.map((c) => c.cause.eventName))].join(', ')})`;
  // SNS subjects: ASCII, no control characters, under 100 characters.
  const ascii = base.replace(/[^\x20-\x7e]+/g, '?');
  return ascii.length <= SNS_MAX_SUBJECT_CHARS ? ascii : `${ascii.slice(0, SNS_MAX_SUBJECT_CHARS - 3)}...`;
}

/** The email text: one line per change naming the actor, then the reason and the fix. */
export function changeEmail(changes: readonly FindingChange[], context: ChangeMessageContext): string {
  const lines = [
    `trailwatch noticed ${changes.length === 1 ? 'a change' : `${changes.length} changes`} (${context.benchmark}), re-checked at ${context.checkedAt}` +
      (context.baselineFinishedAt ? `, compared with the report of ${context.baselineFinishedAt}` : ''),
    '',
  ];
  for (const change of changes) {
    lines.push(changeLine(change));
    lines.push(`  ${change.control} ${change.check}: was ${change.previousStatus ?? 'not reported'}, now ${change.status}${change.brokenLink ? ` (broken link: ${change.brokenLink})` : ''}`);
    lines.push(`  ${change.reason}`);
    if (change.fix) lines.push(`  Fix: ${change.fix}`);
    lines.push(`  Event ${printable(change.cause.eventID, 128)} in ${change.cause.accountId} ${change.cause.region}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The one SNS message of a re-check that changed something. */
export function changeMessage(changes: readonly FindingChange[], context: ChangeMessageContext): OutgoingMessage {
  const notice: ChangeNotice = {
    kind: 'trailwatch.change',
    benchmark: context.benchmark,
    checkedAt: context.checkedAt,
    ...(context.baselineFinishedAt ? { comparedWith: context.baselineFinishedAt } : {}),
    changes: [...changes],
  };
  const worst: StatusValue = changes.some((c) => c.status === 'ERROR') ? 'ERROR' : changes.some((c) => c.status === 'FAIL') ? 'FAIL' : 'PASS';
  return {
    subject: subjectOf(changes),
    message: JSON.stringify({ default: JSON.stringify(notice), email: changeEmail(changes, context) }),
    attributes: {
      kind: { DataType: 'String', StringValue: 'change' },
      worstStatus: { DataType: 'String', StringValue: worst },
      benchmark: { DataType: 'String', StringValue: context.benchmark },
      fail: { DataType: 'Number', StringValue: String(changes.filter((c) => c.status === 'FAIL').length) },
      error: { DataType: 'Number', StringValue: String(changes.filter((c) => c.status === 'ERROR').length) },
    },
  };
}
