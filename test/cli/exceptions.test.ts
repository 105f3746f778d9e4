// `--exceptions FILE` on scan and evaluate: checked before any AWS call; applied offline too, OUs included.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { runCli } from './run-cli';

const savedEnv = { ...process.env };
beforeAll(() => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
});
afterAll(() => {
  process.env = savedEnv;
});

/** A day `days` from today (UTC), as exceptions files write it. */
function daysAhead(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function file(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('Option: --exceptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trailwatch-exceptions-'));

  it('refuses a malformed file with exit 2, naming the entry and field, before any AWS call', async () => {
    // Prepare: an endpoint where nothing listens: a call would be an endpoint error, not this one.
    const path = file(dir, 'bad.yml', `exceptions:\n  - accounts: ['111111111111']\n    checks: all\n    approvedBy: me\n    expires: ${daysAhead(400)}\n`);
    // Act
    const { code, stdout, stderr } = await runCli(['scan', '--endpoint-url', 'http://127.0.0.1:9', '--exceptions', path]);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('entry 1, reason: required: why the risk is accepted');
    expect(stderr).toContain('entry 1, expires:');
    expect(stderr).not.toContain('GetCallerIdentity');
  });

  it('says when the file cannot be read', async () => {
    const { code, stderr } = await runCli(['evaluate', '--inventory', 'x.json', '--exceptions', join(dir, 'missing.yml')]);

    expect(code).toBe(2);
    expect(stderr).toContain('cannot read the exceptions file');
  });

  describe('on the demo organization', () => {
    useMoto();
    let demo: DemoOrganization;
    beforeEach(async () => {
      const seeder = motoClients();
      demo = await seedDemoOrganization(seeder);
      seeder.destroy();
    });

    it('excepts by OU offline: scan --save-inventory keeps each account\'s OU, evaluate --exceptions matches it', async () => {
      // Prepare
      const inventory = join(dir, 'inventory.json');
      const scan = await runCli([
        'scan', '--endpoint-url', motoEndpoint(), '--regions', DEMO_REGIONS.join(','), '--role-name', DEMO_ROLE_NAME,
        '--format', 'json', '--save-inventory', inventory,
      ]);
      expect(scan.code).toBe(1);
      const exceptions = file(
        dir,
        'sandbox.yml',
        `exceptions:\n  - ous: [${demo.sandbox.id}]\n    checks: [security_group_changes, vpc_changes]\n    reason: sandbox\n    approvedBy: ciso\n    expires: ${daysAhead(30)}\n`,
      );
      // Act
      const { code, stdout } = await runCli(['evaluate', '--inventory', inventory, '--format', 'json', '--exceptions', exceptions]);
      // Assess
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      const idOf = (scenario: string) => demo.accounts.find((a) => a.scenario === scenario)?.accountId;
      const excepted = report.findings.filter((f: { exception?: unknown }) => f.exception).map((f: { accountId: string; check: string }) => `${f.accountId} ${f.check}`);
      expect(excepted.sort()).toEqual([`${idOf('filter-misses-event')} security_group_changes`, `${idOf('alarm-actions-disabled')} vpc_changes`].sort());
      expect(report.summary.excepted).toBe(2);
      expect(report.summary.fail).toBe(JSON.parse(scan.stdout).summary.fail - 2);
    });
  });
});
