// `trailwatch scan` and `trailwatch evaluate` in-process, against the demo organization in moto.
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { linesOf, runCli } from './run-cli';

const scanIn = (regions: string) => ['scan', '--endpoint-url', motoEndpoint(), '--regions', regions, '--role-name', DEMO_ROLE_NAME];
const scanArgs = () => scanIn(DEMO_REGIONS.join(','));

const savedEnv = { ...process.env };
beforeAll(() => {
  // The scan takes the SDK's default credentials, as it would on a workstation; moto accepts any.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
});
afterAll(() => {
  process.env = savedEnv;
});

describe('Command: trailwatch scan', () => {
  useMoto();
  let demo: DemoOrganization;
  let dir: string;
  beforeEach(async () => {
    const seeder = motoClients();
    demo = await seedDemoOrganization(seeder);
    seeder.destroy();
    dir = mkdtempSync(join(tmpdir(), 'trailwatch-cli-'));
  });

  it('prints the JSON report of the contract and exits 1 when a finding fails', async () => {
    // Act
    const { code, stdout } = await runCli([...scanArgs(), '--format', 'json']);
    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['benchmark', 'startedAt', 'finishedAt', 'accounts', 'findings', 'summary']));
    expect(report.benchmark).toBe('cis-aws-v4.0.0');
    expect(Object.keys(report.findings[0])).toEqual(
      expect.arrayContaining(['accountId', 'check', 'control', 'status', 'coveredRegions', 'uncoveredRegions', 'brokenLink', 'reason', 'evidence']),
    );
    const failing = demo.accounts.find((a) => a.scenario === 'filter-misses-event');
    const finding = report.findings.find((f: { accountId: string; check: string }) => f.accountId === failing?.accountId && f.check === 'security_group_changes');
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'metricFilter', control: '4.10' });
    expect(finding.reason).toContain('RevokeSecurityGroupEgress');
  });

  it('exits 0 when every finding of the selected accounts and checks passes', async () => {
    const management = demo.managementAccountId;
    const { code, stdout, stderr } = await runCli([...scanArgs(), '--accounts', management, '--checks', 'root_usage,iam_policy_changes']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Summary: 2 pass, 0 fail, 0 error');
  });

  it('scans against CIS v7.0.0, with its control numbers', async () => {
    // Act
    const { code, stdout } = await runCli([...scanArgs(), '--benchmark', 'v7.0.0', '--checks', 'security_group_changes', '--format', 'json']);
    // Assess
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.benchmark).toBe('cis-aws-v7.0.0');
    const failing = demo.accounts.find((a) => a.scenario === 'filter-misses-event');
    const finding = report.findings.find((f: { accountId: string }) => f.accountId === failing?.accountId);
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'metricFilter', control: '5.10' });
    expect(finding.reason).toContain('cis-aws-v7.0.0 5.10');
  });

  it('writes --output whole, saves the inventory, and evaluate re-reads it offline to the same findings', async () => {
    // Prepare
    const reportFile = join(dir, 'report.json');
    const inventoryFile = join(dir, 'inventory.json');
    // Act
    const scan = await runCli([...scanArgs(), '--format', 'json', '--output', reportFile, '--save-inventory', inventoryFile]);
    const again = await runCli(['evaluate', '--inventory', inventoryFile, '--format', 'json']);
    // Assess
    expect(scan.code).toBe(1);
    expect(scan.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['inventory.json', 'report.json']);
    const strip = (findings: object[]) => findings.map((f) => JSON.stringify(f)).sort();
    const online = JSON.parse(readFileSync(reportFile, 'utf8'));
    const offline = JSON.parse(again.stdout);
    expect(again.code).toBe(1);
    expect(strip(offline.findings)).toEqual(strip(online.findings));
  });

  it('re-evaluates a saved inventory under another benchmark, with its own control numbers', async () => {
    const inventoryFile = join(dir, 'inventory.json');
    await runCli([...scanArgs(), '--format', 'json', '--save-inventory', inventoryFile]);
    const { stdout } = await runCli(['evaluate', '--inventory', inventoryFile, '--benchmark', 'v1.2.0', '--format', 'csv']);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toContain('accountId');
    expect(rows.some((row) => row.includes(',root_usage,3.3,'))).toBe(true);
    expect(rows.some((row) => row.includes('organizations_changes'))).toBe(false);
  });

  it('refuses a region AWS does not have before reading any account: exit 2, the region and the help page named', async () => {
    // Act
    const { code, stdout, stderr } = await runCli([...scanIn('us-east-1,eu-west-9'), '--format', 'json']);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(linesOf(stderr)).toEqual([expect.stringMatching(/^trailwatch scan: 'eu-west-9' is not a region AWS has .*e\.g\. eu-west-1.* \(see 'trailwatch scan --help'\)$/)]);
  });

  it('makes a region no account has enabled a usage error, not a smaller report', async () => {
    // Prepare: ap-east-1 is an opt-in region none of moto's accounts has enabled
    const output = join(dir, 'report.json');
    // Act
    const { code, stdout, stderr } = await runCli([...scanIn('us-east-1,ap-east-1'), '--output', output]);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/region ap-east-1 is enabled in none of the 7 accounts scanned/);
    expect(existsSync(output)).toBe(false);
  });

  it('dates an offline evaluation by when the inventory was collected, not by when it was re-read', async () => {
    // Prepare
    const inventoryFile = join(dir, 'inventory.json');
    const scan = await runCli([...scanArgs(), '--format', 'json', '--save-inventory', inventoryFile]);
    const collected = JSON.parse(readFileSync(inventoryFile, 'utf8')).inventories.map((i: { collectedAt: string }) => i.collectedAt).sort();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Act
    const again = await runCli(['evaluate', '--inventory', inventoryFile, '--format', 'json']);
    const table = await runCli(['evaluate', '--inventory', inventoryFile]);
    // Assess
    const offline = JSON.parse(again.stdout);
    expect([offline.startedAt, offline.finishedAt]).toEqual([collected[0], collected[collected.length - 1]]);
    expect(Date.parse(offline.finishedAt)).toBeLessThanOrEqual(Date.parse(JSON.parse(scan.stdout).finishedAt));
    expect(table.stdout).toContain(`from ${collected[0]} to ${collected[collected.length - 1]}`);
  });

  it('tells a scan report given as an inventory what to do instead', async () => {
    // Prepare
    const reportFile = join(dir, 'report.json');
    await runCli([...scanArgs(), '--format', 'json', '--checks', 'root_usage', '--output', reportFile]);
    // Act
    const { code, stderr } = await runCli(['evaluate', '--inventory', reportFile]);
    // Assess
    expect(code).toBe(2);
    expect(linesOf(stderr)).toEqual([
      "trailwatch evaluate: this is a scan report (scan --format json), not an inventory: save an inventory with trailwatch scan --save-inventory FILE (see 'trailwatch evaluate --help')",
    ]);
  });

  it('renders ASFF findings for Security Hub', async () => {
    const { stdout } = await runCli([...scanArgs(), '--format', 'asff', '--checks', 'root_usage']);
    const findings = JSON.parse(stdout);
    expect(findings).toHaveLength(demo.accounts.filter((a) => a.scanned).length);
    expect(findings[0]).toMatchObject({ SchemaVersion: '2018-10-08', Compliance: { Status: expect.any(String) } });
  });
});

describe('Command: trailwatch scan, bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown flag', ['--acounts', '123456789012'], /unknown option '--acounts'/],
    ['a malformed account ID', ['--accounts', '12345'], /'12345' is not a valid account ID/],
    ['a malformed region', ['--regions', 'mars-north'], /'mars-north' is not a region/],
    ['an unknown benchmark', ['--benchmark', 'v9'], /unknown benchmark 'v9'/],
    ['an unknown check', ['--checks', 'root_usage,rooot'], /unknown check 'rooot'/],
    ['a check the benchmark lacks', ['--benchmark', 'v1.2.0', '--checks', 'organizations_changes'], /cis-aws-v1.2.0 has no organizations_changes/],
    ['a bad concurrency', ['--concurrency', '0'], /not a whole number from 1 to 1000/],
    ['a bad deadline', ['--deadline', 'soon'], /'soon' is not a duration/],
    ['a deadline without a unit', ['--deadline', '10'], /'10' has no unit: write 10s, 10m or 10h/],
    ['an output file where none can be created', ['--output', '/proc/version'], /cannot write \/proc\/version/],
    ['a bad format', ['--format', 'xml'], /xml/],
    ['an endpoint that is not a URL', ['--endpoint-url', 'nowhere'], /is not a URL/],
  ];
  it.each(cases)('exits 2 with one clear line for %s', async (_what, args, message) => {
    const { code, stderr, stdout } = await runCli(['scan', ...args]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('exits 2 naming the endpoint when nothing answers there, and writes no output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailwatch-cli-'));
    const output = join(dir, 'report.json');
    const { code, stderr } = await runCli(['scan', '--endpoint-url', 'http://127.0.0.1:9', '--output', output]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('127.0.0.1:9');
    expect(existsSync(output)).toBe(false);
  });

  it('exits 2 when the inventory file is unreadable or malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trailwatch-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"formatVersion":1,"inventories":[{"accountId":7}]}');
    const missing = await runCli(['evaluate', '--inventory', join(dir, 'nope.json')]);
    const malformed = await runCli(['evaluate', '--inventory', bad]);
    expect([missing.code, malformed.code]).toEqual([2, 2]);
    expect(missing.stderr).toMatch(/cannot read the inventory file/);
    expect(malformed.stderr).toMatch(/inventories\[0\]/);
  });
});
