/**
 * `trailwatch recheck --event FILE` in-process against the demo organization in moto: a scan's
 * JSON report is the baseline, a metric filter is deleted with the SDK, and the replayed event
 * re-reads that one account and tells the change, naming the actor.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AccountCredentials } from '../../src/discover';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { handMadeRecord, watchedEvent } from '../watch/fixtures/events';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { runCli } from './run-cli';

const CHECK = 'security_group_changes';

const savedEnv = { ...process.env };
beforeAll(() => {
  // The CLI takes the SDK's default credentials, as it would on a workstation; moto accepts any.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
});
afterAll(() => {
  process.env = savedEnv;
});

describe('trailwatch recheck', () => {
  useMoto();
  let demo: DemoOrganization;
  let dir: string;
  const common = () => ['--endpoint-url', motoEndpoint(), '--regions', DEMO_REGIONS.join(','), '--role-name', DEMO_ROLE_NAME];

  beforeEach(async () => {
    const seeder = motoClients();
    demo = await seedDemoOrganization(seeder, { organizationTrail: false });
    seeder.destroy();
    dir = mkdtempSync(join(tmpdir(), 'trailwatch-recheck-'));
  });

  it('re-reads only the account of the event and prints the change naming the actor', async () => {
    // Prepare: the baseline, then the break
    const baseline = join(dir, 'baseline.json');
    const scan = await runCli(['scan', ...common(), '--format', 'json', '--output', baseline]);
    expect(scan.code).toBe(1);
    const account = demo.accounts.find((a) => a.scenario === 'compliant-reformatted');
    const chain = account?.chain;
    const clients = motoClients();
    const session = await new AccountCredentials(clients, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' }).sessionFor(account?.accountId as string);
    await clients.cloudWatchLogs(session, chain?.region as string).send(new DeleteMetricFilterCommand({ logGroupName: chain?.logGroupName, filterName: chain?.checks[CHECK]?.filterName }));
    clients.destroy();
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(watchedEvent('DeleteMetricFilter', { accountId: account?.accountId, region: chain?.region })));
    // Act
    const run = await runCli(['recheck', ...common(), '--event', eventFile, '--baseline', baseline]);
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`re-reads: ${account?.accountId}\n`);
    expect(run.stdout).toContain(
      `trailwatch: ${CHECK} FAIL in ${account?.accountId} (${account?.name}) — DeleteMetricFilter by arn:aws:sts::${account?.accountId}:assumed-role/Admin/ops-session from 203.0.113.7 at 2026-12-04T09:00:12Z`,
    );
    expect(run.stdout).toContain(`would publish: trailwatch: ${CHECK} FAIL in ${account?.accountId} (DeleteMetricFilter)`);
  });

  it('with --exceptions, a break of an excepted check is named as excepted and would not be published', async () => {
    // Prepare: the same break, with the check of that account accepted until a month from now
    const baseline = join(dir, 'baseline.json');
    await runCli(['scan', ...common(), '--format', 'json', '--output', baseline]);
    const account = demo.accounts.find((a) => a.scenario === 'compliant-reformatted');
    const chain = account?.chain;
    const clients = motoClients();
    const session = await new AccountCredentials(clients, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' }).sessionFor(account?.accountId as string);
    await clients.cloudWatchLogs(session, chain?.region as string).send(new DeleteMetricFilterCommand({ logGroupName: chain?.logGroupName, filterName: chain?.checks[CHECK]?.filterName }));
    clients.destroy();
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(watchedEvent('DeleteMetricFilter', { accountId: account?.accountId, region: chain?.region })));
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const exceptionsFile = join(dir, 'exceptions.yml');
    writeFileSync(exceptionsFile, `exceptions:\n  - accounts: ['${account?.accountId}']\n    checks: [${CHECK}]\n    reason: moving to the SIEM\n    approvedBy: ciso@example.com\n    expires: ${expires}\n`);
    // Act
    const run = await runCli(['recheck', ...common(), '--event', eventFile, '--baseline', baseline, '--exceptions', exceptionsFile]);
    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`not published, excepted until ${expires}: trailwatch: ${CHECK} FAIL in ${account?.accountId}`);
    expect(run.stdout).not.toContain('would publish');
  });

  it('with --plan-only says what it would read without calling AWS; a bad event is a usage error naming the field', async () => {
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify(handMadeRecord('StopLogging', { accountId: '444444444444' })));
    const plan = await runCli(['recheck', '--endpoint-url', 'http://127.0.0.1:9', '--event', eventFile, '--plan-only']);
    expect(plan).toMatchObject({ code: 0, stdout: 're-reads: 444444444444\n' });
    writeFileSync(eventFile, JSON.stringify({ ...handMadeRecord('StopLogging'), eventID: undefined }));
    const bad = await runCli(['recheck', '--event', eventFile, '--plan-only']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${eventFile}: event field eventID: required`);
  });
});
