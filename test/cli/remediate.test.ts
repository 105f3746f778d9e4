/** `trailwatch remediate` against the demo organization in moto, as a person runs it. */
import { DEMO_ROLE_NAME, MOTO_CREDENTIALS, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { runCli } from './run-cli';

const SAVED = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

function remediate(...args: string[]) {
  return trailwatch('remediate', ...args);
}

function trailwatch(command: string, ...args: string[]) {
  return runCli([
    command,
    '--endpoint-url',
    motoEndpoint(),
    '--role-name',
    DEMO_ROLE_NAME,
    '--regions',
    'us-east-1,eu-west-1',
    ...args,
  ]);
}

describe('trailwatch remediate', () => {
  useMoto();
  let demo: DemoOrganization;

  beforeAll(() => {
    // The CLI takes the SDK's default credentials: moto's, only ever sent to the loopback moto.
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  });
  afterAll(() => {
    if (SAVED.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = SAVED.id;
    if (SAVED.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = SAVED.secret;
  });
  beforeEach(async () => {
    const seeder = motoClients();
    demo = await seedDemoOrganization(seeder, { organizationTrail: false });
    seeder.destroy();
  });

  it('prints the plan by default and changes nothing', async () => {
    // Act
    const planned = await remediate('--alert-endpoint', 'secops@example.com');
    const again = await remediate('--alert-endpoint', 'secops@example.com', '--format', 'json');
    // Assess
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/^Remediation plan: \d+ changes in 3 accounts/);
    expect(planned.stdout).toContain('To do by hand');
    expect(JSON.parse(again.stdout).changes.length).toBeGreaterThan(0);
  });

  it('prints the plan as AWS CLI commands', async () => {
    // Act
    const { code, stdout } = await remediate('--plan', '--alert-endpoint', 'secops@example.com', '--format', 'cli', '--checks', 'security_group_changes');
    // Assess
    expect(code).toBe(0);
    expect(stdout.startsWith('#!/bin/sh\n')).toBe(true);
    expect(stdout).toContain('aws logs put-metric-filter --region us-east-1 --log-group-name cloudtrail --filter-name trailwatch-security_group_changes');
    expect(stdout).toContain('aws cloudwatch put-metric-alarm');
  });

  it('applies, re-scans the touched accounts, and a second apply changes nothing', async () => {
    // Act
    const applied = await remediate('--apply', '--alert-endpoint', 'secops@example.com');
    const second = await remediate('--apply', '--alert-endpoint', 'secops@example.com', '--format', 'json');
    // Assess
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/Remediation: \d+ done, 0 already so, 0 failed, 0 not attempted/);
    const rescan = applied.stdout.match(/Re-scan: (\d+) of (\d+) failing findings now pass/);
    expect(rescan).not.toBeNull();
    const filterMisses = demo.accounts.find((a) => a.scenario === 'filter-misses-event')!.accountId;
    expect(applied.stdout).toMatch(new RegExp(`${filterMisses} \\S+ +FAIL -> PASS`));
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).applied.applied).toBe(0);
  });

  it('leaves, after --apply, only failures at the trail for `trailwatch scan` to report', async () => {
    // Prepare
    const before = JSON.parse((await trailwatch('scan', '--format', 'json')).stdout);
    // Act
    await remediate('--apply', '--alert-endpoint', 'secops@example.com');
    const scanned = await trailwatch('scan', '--format', 'json');
    // Assess
    const after = JSON.parse(scanned.stdout);
    const failing = (report: { findings: { status: string; brokenLink: string | null }[] }) => report.findings.filter((f) => f.status !== 'PASS');
    expect(failing(before).some((f) => f.brokenLink !== 'trail')).toBe(true);
    expect(failing(after).length).toBeGreaterThan(0);
    expect(failing(after).filter((f) => f.brokenLink !== 'trail' && f.brokenLink !== 'logGroup')).toEqual([]);
  });

  it('stops at --max-changes and exits 1 so the next run finishes', async () => {
    // Act
    const bounded = await remediate('--apply', '--alert-endpoint', 'secops@example.com', '--max-changes', '2', '--format', 'json');
    // Assess
    expect(bounded.code).toBe(1);
    const result = JSON.parse(bounded.stdout);
    expect(result.applied.applied).toBe(2);
    expect(result.applied.notAttempted).toBeGreaterThan(0);
  });

  it('rolls back exactly what it applied: --plan lists it, then it is removed', async () => {
    // Prepare
    await remediate('--apply', '--alert-endpoint', 'secops@example.com', '--checks', 'security_group_changes,vpc_changes');
    // Act
    const listed = await remediate('--rollback', '--plan', '--format', 'json');
    const removed = await remediate('--rollback');
    const after = await remediate('--rollback', '--plan', '--format', 'json');
    // Assess
    const kinds = JSON.parse(listed.stdout).changes.map((c: { kind: string }) => c.kind);
    expect(kinds.filter((k: string) => k === 'deleteMetricFilter').length).toBeGreaterThan(0);
    expect(kinds.filter((k: string) => k === 'deleteTopic').length).toBeGreaterThan(0);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(/Rollback: \d+ done/);
    expect(JSON.parse(after.stdout).changes).toEqual([]);
  });
});

describe('trailwatch remediate usage errors', () => {
  it.each([
    [['--plan', '--apply'], 'cannot be used with'],
    [['--max-changes', '0'], 'at least 1'],
    [['--apply', '--format', 'cli'], '--format cli prints a plan'],
    [['--apply'], '--apply needs --alert-endpoint or --alert-topic'],
    [['--alert-endpoint', 'sms:+15555550100'], 'not one of email'],
    [['--accounts', '12345'], "'12345' is not a valid account ID"],
    [['--checks', 'root-usage,nope'], "unknown check 'nope'"],
    // The scope options are scan's own: the same checks refuse the same values.
    [['--external-id', 'has space'], "'has space' is not an external ID"],
    [['--ous', 'not-an-ou'], "'not-an-ou' is not a valid organizational unit ID"],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    // Act
    const { code, stderr } = await remediate(...args);
    // Assess
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
