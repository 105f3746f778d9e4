// Options several commands share: the profile looked up before any call, one name for the human format.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linesOf, runCli } from './run-cli';

const NOWHERE = 'http://127.0.0.1:9';

describe('--profile', () => {
  const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'trailwatch-profiles-'));
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    writeFileSync(process.env.AWS_CONFIG_FILE, '[default]\nregion = us-east-1\n[profile audit]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n');
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE, '[scanner]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = x\n');
  });
  afterAll(() => {
    for (const [name, value] of [['AWS_CONFIG_FILE', saved.config], ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it.each([['scan'], ['remediate']])('%s: names a profile that is not there, and the profiles that are, before any call', async (command) => {
    // Act
    const { code, stdout, stderr } = await runCli([command, '--profile', 'nosuchprofile', '--endpoint-url', NOWHERE]);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(linesOf(stderr)).toEqual([
      `trailwatch ${command}: profile 'nosuchprofile' is not in ${process.env.AWS_CONFIG_FILE} and ${process.env.AWS_SHARED_CREDENTIALS_FILE} ` +
        `(profiles there: audit, default, scanner) (see 'trailwatch ${command} --help')`,
    ]);
  });

  it('lets a profile that is there through to the scan', async () => {
    // Act: the scan then fails at the closed endpoint, which proves the profile passed
    const { code, stderr } = await runCli(['scan', '--profile', 'scanner', '--endpoint-url', NOWHERE]);
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('127.0.0.1:9');
    expect(stderr).not.toContain('nosuchprofile');
  });
});

describe('--format', () => {
  it.each([
    ['controls', ['controls', '--format', 'table'], ['controls', '--format', 'text']],
    ['pattern check', ['pattern', 'check', '--check', 'root_usage', '--pattern', '{ $.x = 1 }', '--format', 'table'], ['pattern', 'check', '--check', 'root_usage', '--pattern', '{ $.x = 1 }', '--format', 'text']],
  ])("%s takes 'table' for its human format, as scan does", async (_, withTable, withText) => {
    const [table, text] = [await runCli(withTable), await runCli(withText)];
    expect(table).toEqual(text);
    expect(table.stdout.length).toBeGreaterThan(0);
  });

  it("scan takes 'text' for its table", async () => {
    // Prepare: credentials (sent nowhere but the closed loopback port)
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    // Act: it gets as far as the closed endpoint, so the format was accepted
    const { code, stderr } = await runCli(['scan', '--format', 'text', '--endpoint-url', NOWHERE]).finally(() => (process.env = saved));
    // Assess
    expect(code).toBe(2);
    expect(stderr).toContain('127.0.0.1:9');
  });
});
