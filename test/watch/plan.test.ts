import type { Finding } from '../../src/evaluate/types';
import type { ScanReport } from '../../src/report/types';
import { parseEventBridgeEvent } from '../../src/watch/events';
import { planRecheck } from '../../src/watch/plan';
import { watchedEvent, type EventOptions } from './fixtures/events';

const OWNER = '111111111111';
const MEMBER = '222222222222';
const OTHER = '333333333333';

function finding(accountId: string, check: Finding['check'], owner?: string, trail?: string): Finding {
  return {
    accountId,
    check,
    control: '4.3',
    status: 'PASS',
    coveredRegions: ['us-east-1'],
    uncoveredRegions: [],
    brokenLink: null,
    reason: 'ok',
    evidence: { ...(trail ? { trail } : {}), ...(owner ? { organizationTrailOwner: owner } : {}) },
  };
}

const orgTrail = `arn:aws:cloudtrail:us-east-1:${OWNER}:trail/org`;
const baseline: ScanReport = {
  benchmark: 'cis-aws-v4.0.0',
  startedAt: '2026-12-04T06:00:00Z',
  finishedAt: '2026-12-04T06:01:00Z',
  accounts: [OWNER, MEMBER, OTHER].map((accountId) => ({ accountId, status: 'SCANNED' as const, regions: ['us-east-1'] })),
  findings: [
    finding(OWNER, 'root_usage', undefined, orgTrail),
    finding(MEMBER, 'root_usage', OWNER, orgTrail),
    finding(OTHER, 'root_usage', undefined, `arn:aws:cloudtrail:eu-west-1:${OTHER}:trail/own`),
  ],
  summary: { pass: 3, fail: 0, error: 0 },
};

const event = (name: string, options: EventOptions) => parseEventBridgeEvent(watchedEvent(name, options));

describe('planRecheck', () => {
  it('re-reads the account the call was made in', () => {
    const plan = planRecheck([event('DeleteMetricFilter', { accountId: OTHER })], baseline);
    expect(plan).toMatchObject({ accounts: [OTHER], supporting: [], throughOwner: [], ignored: [] });
    expect(plan.eventsByAccount[OTHER]?.map((e) => e.eventName)).toEqual(['DeleteMetricFilter']);
  });

  it("re-reads an organization trail's owner and re-judges its members from the owner's inventory, without reading them", () => {
    const plan = planRecheck([event('StopLogging', { accountId: OWNER })], baseline);
    expect(plan.accounts).toEqual([OWNER]);
    expect(plan.throughOwner).toEqual([{ owner: OWNER, members: [MEMBER] }]);
  });

  it("reads the owner alongside a member, since the member's chain is the owner's", () => {
    const plan = planRecheck([event('DeleteAlarms', { accountId: MEMBER })], baseline);
    expect(plan).toMatchObject({ accounts: [MEMBER], supporting: [OWNER], throughOwner: [] });
  });

  it('turns a burst of calls into one read per account', () => {
    const plan = planRecheck([event('DeleteMetricFilter', { accountId: OTHER, eventID: 'a' }), event('DisableAlarmActions', { accountId: OTHER, eventID: 'b' })], baseline);
    expect(plan.accounts).toEqual([OTHER]);
    expect(plan.eventsByAccount[OTHER]).toHaveLength(2);
  });

  it('ignores failed calls and service access disabled for other services', () => {
    const failed = { ...event('DeleteTrail', { accountId: OTHER }), errorCode: 'AccessDenied' };
    const otherService = event('DisableAWSServiceAccess', { accountId: OWNER, requestParameters: { servicePrincipal: 'config.amazonaws.com' } });
    const plan = planRecheck([failed, otherService], baseline);
    expect(plan.accounts).toEqual([]);
    expect(plan.ignored.map((i) => i.reason)).toEqual(['the call failed (AccessDenied): nothing changed', 'service access disabled for "config.amazonaws.com", not CloudTrail']);
  });

  it('re-reads the account removed from the organization, not the management account that removed it', () => {
    const plan = planRecheck([event('RemoveAccountFromOrganization', { accountId: OWNER, requestParameters: { accountId: OTHER } })], baseline);
    expect(plan.accounts).toEqual([OTHER]);
  });

  it("asks whether an IAM role is a trail's delivery role before re-reading, and re-reads once it is", () => {
    const deleteRole = event('DeleteRolePolicy', { accountId: OTHER });
    const first = planRecheck([deleteRole], baseline);
    expect(first.accounts).toEqual([]);
    expect(first.roleQuestions).toEqual([{ accountId: OTHER, roleName: 'CloudTrail_CloudWatchLogs_Role', trailArns: [`arn:aws:cloudtrail:eu-west-1:${OTHER}:trail/own`], eventID: deleteRole.actor.eventID }]);
    expect(planRecheck([deleteRole], baseline, new Set([`${OTHER}/CloudTrail_CloudWatchLogs_Role`])).accounts).toEqual([OTHER]);
    // A member without a trail of its own: its roles deliver for no trail.
    expect(planRecheck([event('DeleteRole', { accountId: MEMBER })], baseline).ignored[0]?.reason).toMatch(/has no trail of its own/);
  });
});
