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
