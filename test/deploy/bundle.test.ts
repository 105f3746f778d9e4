/**
 * The Lambda artefact as esbuild builds it for `npm run package` (same entry point, the SDK
 * bundled in): it loads in a bare Node process, and a wrong environment fails it at load time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = join(__dirname, '..', '..');

describe('the Lambda bundle', () => {
  let dir: string;
  let bundle: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trailwatch-bundle-'));
    bundle = join(dir, 'scan.js');
    await build({
      entryPoints: [join(ROOT, 'handlers/scan.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      mainFields: ['module', 'main'],
      logLevel: 'silent',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** `require`s the bundle in a fresh Node with only `env`, and reports what it exports. */
  function load(env: Record<string, string>) {
    return spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(bundle)}); console.log(typeof m.handler)`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: dir,
    });
  }

  it('is self-contained and exports the handler', () => {
    const run = load({ FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:findings', MEMBER_ROLE_NAME: 'trailwatch-member-read', AWS_REGION: 'us-east-1' });

    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function');
    expect(statSync(bundle).size).toBeGreaterThan(100_000);
  });

  it('fails at cold start when the environment is wrong, logging why as JSON', () => {
    const run = load({ AWS_REGION: 'us-east-1', NOTIFY: 'hourly' });

    expect(run.status).not.toBe(0);
    const logged = run.stderr.split('\n').find((line) => line.startsWith('{"level":"ERROR"'));
    expect(JSON.parse(logged ?? '{}')).toMatchObject({
      message: 'bad configuration: the function cannot start',
      error: { name: 'ConfigurationError', message: expect.stringContaining("NOTIFY: 'hourly' is not one of always, on-fail, on-change") },
    });
  });
});
