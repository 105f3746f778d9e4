// `trailwatch scan --security-hub` in-process, against the demo organization in moto. The refused
// import goes through test/notify/security-hub-proxy.ts (moto takes every well-formed finding).
import { GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import type { AwsClients } from '../../src/aws/clients';
import { startSecurityHubProxy, type SecurityHubProxy } from '../notify/security-hub-proxy';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { runCli } from './run-cli';

const scanArgs = (endpoint = motoEndpoint()) => ['scan', '--endpoint-url', endpoint, '--regions', DEMO_REGIONS.join(','), '--role-name', DEMO_ROLE_NAME];

const savedEnv = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
});
afterAll(() => {
  process.env = savedEnv;
});

async function hubFindings(clients: AwsClients, accountId: string): Promise<AwsSecurityFinding[]> {
  const out: AwsSecurityFinding[] = [];
  let token: string | undefined;
  do {
    const page = await clients.securityHub({ accountId }, 'us-east-1').send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
    out.push(...(page.Findings ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return out;
}

describe('Command: trailwatch scan --security-hub', () => {
  useMoto();
  let demo: DemoOrganization;
  let proxy: SecurityHubProxy | undefined;
  beforeEach(async () => {
    const seeder = motoClients();
    demo = await seedDemoOrganization(seeder);
    seeder.destroy();
  });
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it("imports every finding into the scanner's account and home region, and archives nothing on a narrowed scan", async () => {
    // Act
    const whole = await runCli([...scanArgs(), '--security-hub', '--format', 'json']);
    const narrowed = await runCli([...scanArgs(), '--security-hub', '--accounts', demo.managementAccountId, '--format', 'json']);
    // Assess
    const report = JSON.parse(whole.stdout) as { findings: { accountId: string; check: string }[] };
    expect(whole.code).toBe(1);
    expect(whole.stderr).toContain(`Security Hub: ${report.findings.length} finding(s) imported, 0 archived, 0 failed`);
    expect(narrowed.stderr).toContain('Security Hub: 15 finding(s) imported, 0 archived, 0 failed');
    const clients = motoClients();
    try {
      const held = await hubFindings(clients, demo.managementAccountId);
      expect(held.map((f) => f.Id).sort()).toEqual(report.findings.map((f) => `trailwatch/cis-aws-v4.0.0/${f.accountId}/${f.check}`).sort());
      expect(held.every((f) => f.AwsAccountId === demo.managementAccountId && f.RecordState === 'ACTIVE')).toBe(true);
    } finally {
      clients.destroy();
    }
  });

  it('exits 1 naming each finding Security Hub would not take, though every finding passes', async () => {
    // Prepare: a proxy that refuses one finding every time.
    const refused = `trailwatch/cis-aws-v4.0.0/${demo.managementAccountId}/root_usage`;
    proxy = await startSecurityHubProxy(motoEndpoint(), { refuse: (id) => (id === refused ? { code: 'InvalidInput', message: 'refused for the test' } : undefined) });
    // Act
    const { code, stdout, stderr } = await runCli([...scanArgs(proxy.endpoint), '--accounts', demo.managementAccountId, '--checks', 'root_usage,iam_policy_changes', '--security-hub']);
    // Assess
    expect(stdout).toContain('Summary: 2 pass, 0 fail, 0 error');
    expect(stderr.split('\n')).toEqual(
      expect.arrayContaining(['Security Hub: 1 finding(s) imported, 0 archived, 1 failed', `  failed ${refused}: InvalidInput: refused for the test`]),
    );
    expect(code).toBe(1);
  });
});
