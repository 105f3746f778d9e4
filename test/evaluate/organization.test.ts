/**
 * Organization trails, on inventory fixtures: moto does not show organization trails to member
 * accounts, so the member that does see it (333333333333, as AWS shows it) is a fixture, and the
 * one that does not (444444444444, as moto shows it) is credited through the OrganizationContext.
 */
import type { OrganizationContext } from '../../src/collect/inventory';
import { evaluate } from '../../src/evaluate';
import { edit, findAlarm, findingFor, findTrail, loadFixture } from './builders';

const MANAGEMENT = '222222222222';
const organization: OrganizationContext = { managementAccountId: MANAGEMENT, memberAccountIds: ['333333333333', '444444444444'] };

describe('Rule: organization trails', () => {
  it('credits the organization trail to a member that sees it, and says so in the evidence (regression)', () => {
    // Prepare
    const inventories = loadFixture('organization');

    // Act
    const finding = findingFor(inventories, 'root_usage', { accountId: '333333333333' });

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.coveredRegions).toEqual(['us-east-1', 'eu-west-1']);
    expect(finding.evidence).toEqual({
      trail: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org-trail`,
      organizationTrailOwner: MANAGEMENT,
      logGroup: `arn:aws:logs:us-east-1:${MANAGEMENT}:log-group:aws-controltower/CloudTrailLogs`,
      metricFilter: 'root-usage',
      alarm: `arn:aws:cloudwatch:us-east-1:${MANAGEMENT}:alarm:root-usage`,
      topic: `arn:aws:sns:us-east-1:${MANAGEMENT}:org-security-alarms`,
    });
  });

  it('credits the organization trail to a member that does not list it, through the organization context', () => {
    // Prepare
    const inventories = loadFixture('organization');

    // Act
    const withContext = findingFor(inventories, 'iam_policy_changes', { accountId: '444444444444', organization });
    const withoutContext = findingFor(inventories, 'iam_policy_changes', { accountId: '444444444444' });

    // Assess
    expect(withContext.status).toBe('PASS');
    expect(withContext.evidence.organizationTrailOwner).toBe(MANAGEMENT);
    expect(withoutContext.status).toBe('FAIL');
  });

  it('passes every check for every account of the organization fixture', () => {
    // Act
    const findings = evaluate(loadFixture('organization'), { benchmark: 'cis-aws-v4.0.0', organization });

    // Assess
    expect(findings).toHaveLength(45);
    expect(findings.filter((finding) => finding.status !== 'PASS')).toEqual([]);
    expect(findings.filter((finding) => finding.accountId === MANAGEMENT).every((finding) => finding.evidence.organizationTrailOwner === undefined)).toBe(true);
  });

  it('fails the members too when the organization chain is broken in the management account', () => {
    // Prepare
    const inventories = loadFixture('organization').map((inventory) =>
      inventory.accountId === MANAGEMENT
        ? edit(inventory, (draft) => {
            findAlarm(draft, 'root-usage').actionsEnabled = false;
          })
        : inventory,
    );

    // Act
    const finding = findingFor(inventories, 'root_usage', { accountId: '333333333333', organization });

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('alarm');
    expect(finding.reason).toMatch(/^alarm 'root-usage' \(account 222222222222, us-east-1\) has actions disabled: enable them with `aws cloudwatch enable-alarm-actions --alarm-names root-usage --region us-east-1`$/);
    expect(finding.evidence.organizationTrailOwner).toBe(MANAGEMENT);
  });

  it('is ERROR naming the account to scan when the trail owner is not in the scan', () => {
    // Prepare
    const member = loadFixture('organization').filter((inventory) => inventory.accountId === '333333333333');

    // Act
    const finding = findingFor(member, 'root_usage');

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.brokenLink).toBe('trail');
    expect(finding.reason).toBe(
      "cannot verify: trail 'org-trail' (account 222222222222, us-east-1) is an organization trail of account 222222222222, which is not in this scan: scan account 222222222222 too",
    );
  });

  it('is ERROR with the failure when the scan of the trail owner failed', () => {
    // Prepare
    const member = loadFixture('organization').filter((inventory) => inventory.accountId === '333333333333');

    // Act
    const finding = findingFor(member, 'root_usage', { failedAccounts: [{ accountId: MANAGEMENT, error: 'AccessDenied on sts:AssumeRole' }] });

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toMatch(/organization trail of account 222222222222, whose scan failed \(AccessDenied on sts:AssumeRole\): fix access to it and scan again$/);
  });

  it('still fails a member region the organization trail does not reach', () => {
    // Prepare: a single-region organization trail in us-east-1 says nothing of the member's ap-southeast-2.
    const inventories = loadFixture('organization').map((inventory) =>
      inventory.accountId === MANAGEMENT
        ? edit(inventory, (draft) => {
            findTrail(draft, 'org-trail').isMultiRegionTrail = false;
          })
        : inventory,
    );

    // Act
    const finding = findingFor(inventories, 'vpc_changes', { accountId: '444444444444', organization });

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.coveredRegions).toEqual(['us-east-1']);
    expect(finding.uncoveredRegions).toEqual(['eu-west-1', 'ap-southeast-2']);
    expect(finding.reason).toMatch(/^trail 'org-trail' \(account 222222222222, us-east-1\) is single-region in us-east-1, so events of eu-west-1 and ap-southeast-2 never reach it/);
  });
});

describe('Rule: an organization trail is judged once for all its members', () => {
  it('gives each member the finding it gets when judged alone, also the member that owns a resource of the chain', () => {
    // Prepare: the management account's alarms notify a topic that lives in member 333333333333.
    const TOPIC_OWNER = '333333333333';
    const central = `arn:aws:sns:us-east-1:${TOPIC_OWNER}:central-alarms`;
    const [management, topicOwner, other] = ['222222222222', TOPIC_OWNER, '444444444444'].map((id) => {
      const inventory = loadFixture('organization').find((i) => i.accountId === id);
      if (!inventory) throw new Error(`no ${id} in the fixture`);
      return inventory;
    }) as [ReturnType<typeof loadFixture>[number], ReturnType<typeof loadFixture>[number], ReturnType<typeof loadFixture>[number]];
    const rewired = edit(management, (draft) => {
      for (const alarms of Object.values(draft.alarms)) for (const alarm of alarms ?? []) alarm.alarmActions = [central];
    });
    const owning = edit(topicOwner, (draft) => {
      draft.topics[central] = { arn: central, region: 'us-east-1', accountId: TOPIC_OWNER, exists: true, subscriptions: [] };
    });
    const options = { benchmark: 'cis-aws-v4.0.0' as const, organization };

    // Act
    // Both orders: the chains judged first for the member that owns nothing of them, and last.
    const together = evaluate([rewired, other, owning], options);
    const reversed = evaluate([rewired, owning, other], options);
    const ownerAlone = evaluate([rewired, owning], options).filter((f) => f.accountId === TOPIC_OWNER);
    const otherAlone = evaluate([rewired, owning, other], { ...options, organization: { ...organization, memberAccountIds: ['444444444444'] } }).filter(
      (f) => f.accountId === '444444444444',
    );

    // Assess
    expect(reversed.filter((f) => f.accountId !== '222222222222').sort((a, b) => a.accountId.localeCompare(b.accountId))).toEqual(
      together.filter((f) => f.accountId !== '222222222222').sort((a, b) => a.accountId.localeCompare(b.accountId)),
    );
    expect(together.filter((f) => f.accountId === TOPIC_OWNER)).toEqual(ownerAlone);
    expect(together.filter((f) => f.accountId === '444444444444')).toEqual(otherAlone);
    const reasonFor = (accountId: string) => together.find((f) => f.accountId === accountId && f.check === 'root_usage')?.reason ?? '';
    expect(reasonFor('444444444444')).toContain(`account ${TOPIC_OWNER}`);
    expect(reasonFor(TOPIC_OWNER)).not.toContain(`account ${TOPIC_OWNER}`);
  });
});
