/**
 * A synthetic organization of any size, judged by the real evaluator (not hand-written findings):
 * a management account whose organization trail's central chain monitors every check but the
 * network ones, members that rely on it (and so fail the network checks the same way), members
 * with complete chains of their own, some whose filter misses an event or whose alarm has its
 * actions disabled, accounts that could not be scanned or are suspended, a few excepted findings,
 * OUs, and (when asked) hostile account and OU names.
 */
import type { AccountInventory } from '../../../src/collect/inventory';
import { CHECK_SLUGS, type CheckSlug } from '../../../src/controls/types';
import { DELEGATED_CHECKS } from '../../../src/demo/organization';
import { patternMissing } from '../../../src/demo/patterns';
import { evaluate, summarize } from '../../../src/evaluate';
import type { Finding } from '../../../src/evaluate/types';
import type { AccountResult, ScanReport } from '../../../src/report/types';
import { dashed, edit, findAlarm, findFilter, healthyAccount, logGroup, inventory, monitoringFor, topic, trail } from '../../evaluate/builders';

export const MANAGEMENT = '100000000000';
const REGIONS = ['us-east-1', 'eu-west-1'];
const OUS = [
  { id: 'ou-prod-11111111', path: ['Root', 'Workloads', 'Prod'] },
  { id: 'ou-stag-22222222', path: ['Root', 'Workloads', 'Staging'] },
  { id: 'ou-sand-33333333', path: ['Root', 'Sandbox'] },
  { id: 'ou-secu-44444444', path: ['Root', 'Security'] },
  { id: 'ou-infr-55555555', path: ['Root', 'Infrastructure'] },
];

/** Names that would run script, close the style sheet or break an attribute if they were not escaped. */
export const HOSTILE_NAMES = [
  '<script>window.__pwned = 1</script>',
  '"><img src=x onerror="window.__pwned = 1">',
  "'><svg onload='window.__pwned = 1'>",
  '</style><script>window.__pwned = 1</script>',
  '</textarea></title><!-- & &amp; `code`',
];
export const HOSTILE_OU = { id: 'ou-evil-66666666', path: ['Root', '<script>window.__pwned = 1</script>"\''] };

export type MemberKind = 'relies-on-organization-trail' | 'own-chain' | 'filter-misses-event' | 'alarm-actions-disabled' | 'not-scanned' | 'suspended';

export function memberKind(index: number): MemberKind {
  if (index % 40 === 0) return 'suspended';
  if (index % 97 === 0) return 'not-scanned';
  const kinds: MemberKind[] = ['relies-on-organization-trail', 'relies-on-organization-trail', 'relies-on-organization-trail', 'relies-on-organization-trail', 'relies-on-organization-trail', 'relies-on-organization-trail', 'own-chain', 'own-chain', 'filter-misses-event', 'alarm-actions-disabled'];
  return kinds[index % 10] as MemberKind;
}

function managementInventory(): AccountInventory {
  const central = CHECK_SLUGS.filter((c) => !DELEGATED_CHECKS.includes(c));
  const alerts = topic({ accountId: MANAGEMENT, region: 'us-east-1', name: 'security-alerts' });
  const monitoring = monitoringFor({ accountId: MANAGEMENT, region: 'us-east-1', logGroupName: 'organization-trail', topicArn: alerts.arn, benchmark: 'cis-aws-v4.0.0', checks: central });
  const group = logGroup({ accountId: MANAGEMENT, region: 'us-east-1', name: 'organization-trail', metricFilters: monitoring.filters });
  return inventory({
    accountId: MANAGEMENT,
    regions: REGIONS,
    trails: [trail({ accountId: MANAGEMENT, name: 'organization-trail', homeRegion: 'us-east-1', logGroup: 'organization-trail', isOrganizationTrail: true })],
    logGroups: { [group.arn]: group },
    alarms: { 'us-east-1': monitoring.alarms },
    topics: { [alerts.arn]: alerts },
  });
}

function memberInventory(accountId: string, kind: MemberKind): AccountInventory {
  if (kind === 'relies-on-organization-trail') return inventory({ accountId, regions: REGIONS });
  const own = healthyAccount({ accountId, regions: REGIONS, logGroupName: 'cloudtrail' });
  if (kind === 'filter-misses-event') {
    return edit(own, (draft) => {
      findFilter(draft, dashed('security_group_changes')).pattern = patternMissing('security_group_changes', ['RevokeSecurityGroupEgress']);
    });
  }
  if (kind === 'alarm-actions-disabled') {
    return edit(own, (draft) => {
      findAlarm(draft, dashed('vpc_changes')).actionsEnabled = false;
    });
  }
  return own;
}

export interface SyntheticOptions {
  /** Accounts, the management account included. */
  readonly accounts: number;
  /** Give every 100th member a hostile name and put some in a hostile OU. */
  readonly hostile?: boolean;
  readonly finishedAt?: string;
}

export const EXCEPTION = { reason: 'Sandbox accounts: network changes are not monitored', approvedBy: 'security-lead@example.com', expires: '2099-12-31' };

export function syntheticReport(options: SyntheticOptions): ScanReport {
  const ids = Array.from({ length: options.accounts - 1 }, (_, i) => String(200000000000 + i + 1));
  const inventories = [managementInventory()];
  const accounts: AccountResult[] = [{ accountId: MANAGEMENT, name: 'management', status: 'SCANNED', regions: REGIONS, ou: { id: 'r-root', path: ['Root'] } }];
  const failedAccounts: { accountId: string; error: string }[] = [];
  ids.forEach((accountId, i) => {
    const index = i + 1;
    const kind = memberKind(index);
    const hostileName = options.hostile && index % 100 === 1 ? HOSTILE_NAMES[Math.floor(index / 100) % HOSTILE_NAMES.length] : undefined;
    const ou = options.hostile && index % 100 === 2 ? HOSTILE_OU : OUS[index % OUS.length];
    const name = hostileName ?? `${kind}-${index}`;
    if (kind === 'suspended') {
      accounts.push({ accountId, name, status: 'SKIPPED', error: 'account is SUSPENDED', ...(ou ? { ou } : {}) });
      return;
    }
    if (kind === 'not-scanned') {
      failedAccounts.push({ accountId, error: `AssumeRole of arn:aws:iam::${accountId}:role/trailwatch-member-read failed: AccessDenied` });
      accounts.push({ accountId, name, status: 'ERROR', error: 'AssumeRole failed: AccessDenied', ...(ou ? { ou } : {}) });
      return;
    }
    inventories.push(memberInventory(accountId, kind));
    accounts.push({ accountId, name, status: 'SCANNED', regions: REGIONS, ...(ou ? { ou } : {}) });
  });
  const organization = { managementAccountId: MANAGEMENT, memberAccountIds: ids };
  const sandbox = new Set(accounts.filter((a) => a.ou?.id === 'ou-sand-33333333').map((a) => a.accountId));
  const findings: Finding[] = evaluate(inventories, { benchmark: 'cis-aws-v4.0.0', organization, failedAccounts }).map((finding) =>
    // Sandbox accounts relying on the organization trail have the network checks excepted.
    sandbox.has(finding.accountId) && finding.status === 'FAIL' && DELEGATED_CHECKS.includes(finding.check) && finding.evidence.organizationTrailOwner
      ? ({ ...finding, exception: EXCEPTION } as Finding)
      : finding,
  );
  const finishedAt = options.finishedAt ?? '2025-06-30T06:00:00.000Z';
  return {
    benchmark: 'cis-aws-v4.0.0',
    startedAt: new Date(Date.parse(finishedAt) - 95_000).toISOString(),
    finishedAt,
    accounts,
    findings,
    summary: summarize(findings),
  };
}

/** The checks whose findings a member relying on the organization trail fails. */
export const NETWORK_CHECKS: readonly CheckSlug[] = DELEGATED_CHECKS;
