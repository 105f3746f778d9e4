/**
 * Which accounts an event batch makes the re-check read, decided from the events and the stored
 * report alone (pure). An organization trail's owner is read, and the members its chain serves
 * are judged again from the owner's inventory without reading them.
 */
import type { ScanReport } from '../report/types';
import type { WatchEvent } from './events';

export interface IgnoredEvent {
  readonly eventID: string;
  readonly reason: string;
}

/** An IAM role call that matters only if the role is a trail's CloudWatch Logs role: the handler asks CloudTrail. */
export interface DeliveryRoleQuestion {
  readonly accountId: string;
  readonly roleName: string;
  /** Trails the stored report names for the account (their ARNs carry their home regions). */
  readonly trailArns: string[];
  readonly eventID: string;
}

export interface RecheckPlan {
  /** Accounts whose findings are judged again from a fresh read, and compared. */
  readonly accounts: string[];
  /** Accounts read only because a re-read member's chain is their organization trail: not compared. */
  readonly supporting: string[];
  /** Members judged again from their organization trail owner's inventory alone (their findings that rely on it). */
  readonly throughOwner: { readonly owner: string; readonly members: string[] }[];
  readonly roleQuestions: DeliveryRoleQuestion[];
  readonly ignored: IgnoredEvent[];
  /** The events that count, by the account they concern (for naming who caused each change). */
  readonly eventsByAccount: Record<string, WatchEvent[]>;
}

/** Owner -> the members whose stored findings rely on its organization trail. */
export function organizationTrailMembers(baseline: ScanReport | undefined): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>();
  for (const finding of baseline?.findings ?? []) {
    const owner = finding.evidence?.organizationTrailOwner;
    if (!owner || owner === finding.accountId) continue;
    let set = members.get(owner);
    if (!set) members.set(owner, (set = new Set()));
    set.add(finding.accountId);
  }
  return members;
}

function trailsOf(baseline: ScanReport | undefined, accountId: string): string[] {
  const arns = (baseline?.findings ?? []).filter((f) => f.accountId === accountId && f.evidence?.trail && !f.evidence.organizationTrailOwner).map((f) => f.evidence.trail as string);
  return [...new Set(arns)];
}

/** The account an event concerns, or why it concerns none. */
function concerned(event: WatchEvent): { accountId: string } | { ignored: string } {
  if (event.errorCode) return { ignored: `the call failed (${event.errorCode}): nothing changed` };
  if (event.eventName === 'DisableAWSServiceAccess' && event.parameters.servicePrincipal !== 'cloudtrail.amazonaws.com') {
    return { ignored: `service access disabled for ${JSON.stringify(event.parameters.servicePrincipal ?? 'an unnamed service')}, not CloudTrail` };
  }
  // The removed account loses the organization trail; the call is made in the management account.
  if (event.eventName === 'RemoveAccountFromOrganization') return { accountId: event.parameters.accountId ?? event.accountId };
  return { accountId: event.accountId };
}

/**
 * The plan for a batch. `confirmedRoles` lists "account/roleName" pairs already found to be a
 * trail's delivery role (the second pass, after the handler asked CloudTrail).
 */
export function planRecheck(events: readonly WatchEvent[], baseline: ScanReport | undefined, confirmedRoles: ReadonlySet<string> = new Set()): RecheckPlan {
  const ignored: IgnoredEvent[] = [];
  const roleQuestions: DeliveryRoleQuestion[] = [];
  const eventsByAccount: Record<string, WatchEvent[]> = {};
  const direct = new Set<string>();
  for (const event of events) {
    const target = concerned(event);
    if ('ignored' in target) {
      ignored.push({ eventID: event.actor.eventID, reason: target.ignored });
      continue;
    }
    const roleName = event.eventSource === 'iam.amazonaws.com' ? event.parameters.roleName : undefined;
    if (event.eventSource === 'iam.amazonaws.com' && !confirmedRoles.has(`${target.accountId}/${roleName ?? ''}`)) {
      const trailArns = trailsOf(baseline, target.accountId);
      if (!roleName) ignored.push({ eventID: event.actor.eventID, reason: 'an IAM call without a role name' });
      else if (trailArns.length === 0) ignored.push({ eventID: event.actor.eventID, reason: `account ${target.accountId} has no trail of its own in the stored report: role ${JSON.stringify(roleName)} delivers for none` });
      else roleQuestions.push({ accountId: target.accountId, roleName, trailArns, eventID: event.actor.eventID });
      continue;
    }
    direct.add(target.accountId);
    (eventsByAccount[target.accountId] ??= []).push(event);
  }

  const served = organizationTrailMembers(baseline);
  const throughOwner: RecheckPlan['throughOwner'] = [];
  for (const owner of direct) {
    const members = [...(served.get(owner) ?? [])].filter((member) => !direct.has(member)).sort();
    if (members.length > 0) throughOwner.push({ owner, members });
  }
  // A member read again needs its organization trail's chain: the owner's inventory.
  const supporting = new Set<string>();
  for (const [owner, members] of served) {
    if (direct.has(owner)) continue;
    for (const member of members) if (direct.has(member)) supporting.add(owner);
  }
  return { accounts: [...direct].sort(), supporting: [...supporting].sort(), throughOwner, roleQuestions, ignored, eventsByAccount };
}
