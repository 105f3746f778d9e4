// runScan end to end with the real steps: discovery, AssumeRole, collection and evaluation against moto.
import { CreateAccountCommand, CreateOrganizationCommand } from '@aws-sdk/client-organizations';
import { CHECK_SLUGS } from '../src/controls/types';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedChain, seedDemoOrganization, seedTrail } from '../src/demo';
import { AccountCredentials } from '../src/discover';
import { runScan } from '../src/scan';
import { motoClients, useMoto } from './support/moto';

describe('runScan against the demo organization in moto', () => {
  useMoto();

  it('reaches, for every account and check, the verdict the demo organization was built to have', async () => {
    // Prepare
    const seeder = motoClients();
    const demo = await seedDemoOrganization(seeder);
    seeder.destroy();
    const clients = motoClients();
    // Act
    const { report, inventories } = await runScan({
      benchmark: demo.benchmark,
      regions: [...DEMO_REGIONS],
      roleName: DEMO_ROLE_NAME,
      concurrency: 4,
      homeRegion: 'us-east-1',
      clients,
    });
    clients.destroy();
    // Assess
    const scanned = demo.accounts.filter((a) => a.scanned);
    expect(inventories).toHaveLength(scanned.length);
    expect(report.findings).toHaveLength(scanned.length * CHECK_SLUGS.length);
    const got = Object.fromEntries(report.findings.map((f) => [`${f.accountId} ${f.check}`, `${f.status}:${f.brokenLink}`]));
    const want = Object.fromEntries(
      scanned.flatMap((a) => CHECK_SLUGS.map((c) => [`${a.accountId} ${c}`, `${a.expected[c]?.status}:${a.expected[c]?.brokenLink}`])),
    );
    expect(got).toEqual(want);
    const suspended = demo.accounts.find((a) => a.scenario === 'suspended');
    expect(report.accounts.find((a) => a.accountId === suspended?.accountId)?.status).toBe('SKIPPED');
    // A member credited by the organization trail says so.
    const member = demo.accounts.find((a) => a.scenario === 'no-own-trail');
    const credited = report.findings.find((f) => f.accountId === member?.accountId && f.check === 'root_usage');
    expect(credited?.evidence.organizationTrailOwner).toBe(demo.managementAccountId);
  });
});

describe('runScan with a topic in another account', () => {
  useMoto();

  it('reads a central topic with its owner\'s credentials and credits the chain that notifies it', async () => {
    // Prepare: account B owns the alert topic; account A's alarms notify it.
    const seeder = motoClients();
    const management = { accountId: '123456789012' };
    await seeder.organizations(management).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created = await seeder.organizations(management).send(new CreateAccountCommand({ AccountName: 'security', Email: 'sec@example.com' }));
    const securityId = created.CreateAccountStatus?.AccountId as string;
    const credentials = new AccountCredentials(seeder, { callerAccountId: management.accountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' });
    const security = await credentials.sessionFor(securityId);
    const central = await seedChain(seeder, security, 'us-east-1', { logGroupName: 'unused', checks: ['root_usage'] });
    await seedTrail(seeder, management, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    await seedChain(seeder, management, 'us-east-1', { logGroupName: 'cloudtrail', checks: ['root_usage'], topic: { arn: central.topicArn } });
    seeder.destroy();
    const clients = motoClients();
    // Act
    const { report, inventories } = await runScan({
      benchmark: 'cis-aws-v4.0.0',
      checks: ['root_usage'],
      regions: ['us-east-1'],
      roleName: DEMO_ROLE_NAME,
      concurrency: 2,
      homeRegion: 'us-east-1',
      clients,
    });
    clients.destroy();
    // Assess
    const finding = report.findings.find((f) => f.accountId === management.accountId);
    expect(finding).toMatchObject({ status: 'PASS', evidence: { topic: central.topicArn } });
    expect(inventories.find((i) => i.accountId === securityId)?.topics[central.topicArn]?.subscriptions).toHaveLength(1);
  });
});

describe('runScan with source-guarded filters', () => {
  useMoto();

  const IAM_NAMES = [
    'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
    'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
    'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
  ];
  const patterns = {
    iam_policy_changes: `{ ($.eventSource = iam.amazonaws.com) && (${IAM_NAMES.map((name) => `($.eventName = ${name})`).join(' || ')}) }`,
    // CIS v3.0.0 4.13's audit pattern, as the benchmark prints it.
    route_table_changes:
      '{($.eventSource = ec2.amazonaws.com) && ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }',
  };

  it('passes them CloudTrail-aware, saying so, and fails them with strictPatterns', async () => {
    // Prepare: one account, its trail and chains in us-east-1 with the guarded patterns (moto stores
    // the patterns; trailwatch's own engine judges them).
    const seeder = motoClients();
    const management = { accountId: '123456789012' };
    await seeder.organizations(management).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await seedTrail(seeder, management, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    await seedChain(seeder, management, 'us-east-1', { logGroupName: 'cloudtrail', checks: ['iam_policy_changes', 'route_table_changes'], patterns });
    seeder.destroy();
    const scan = async (strictPatterns: boolean) => {
      const clients = motoClients();
      try {
        const { report } = await runScan({
          benchmark: 'cis-aws-v3.0.0',
          checks: ['iam_policy_changes', 'route_table_changes'],
          accounts: [management.accountId],
          regions: ['us-east-1'],
          roleName: DEMO_ROLE_NAME,
          concurrency: 1,
          homeRegion: 'us-east-1',
          clients,
          ...(strictPatterns ? { strictPatterns: true } : {}),
        });
        return report.findings;
      } finally {
        clients.destroy();
      }
    };

    // Act
    const aware = await scan(false);
    const strict = await scan(true);

    // Assess
    expect(aware.map((finding) => [finding.check, finding.status])).toEqual([['iam_policy_changes', 'PASS'], ['route_table_changes', 'PASS']]);
    expect(aware.find((finding) => finding.check === 'route_table_changes')?.reason).toContain('(CloudTrail-aware: only ec2.amazonaws.com AwsApiCall events are in scope of 4.13');
    expect(aware.find((finding) => finding.check === 'iam_policy_changes')?.reason).toContain('(CloudTrail-aware: only iam.amazonaws.com AwsApiCall events are in scope of 4.4');
    expect(strict.map((finding) => [finding.check, finding.status, finding.brokenLink])).toEqual([
      ['iam_policy_changes', 'FAIL', 'metricFilter'],
      ['route_table_changes', 'FAIL', 'metricFilter'],
    ]);
  });
});
