/** The built CLI, run as people run it: `npm run build`, then node on the bundle and on the bin. */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** Runs the bin and closes its stdout after the first chunk, as `| head -1` does; feeds stdin until it exits. */
function nodeIntoHead(args: string[], stdinLine?: string): Promise<{ code: number | null; first: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/trailwatch.js', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'ignore'] });
    let first = '';
    let feeding: NodeJS.Timeout | undefined;
    child.stdin.on('error', () => undefined);
    if (stdinLine) feeding = setInterval(() => child.stdin.write(`${stdinLine}\n`.repeat(100)), 5);
    else child.stdin.end();
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString();
      child.stdout.destroy();
    });
    child.on('exit', (code) => {
      clearInterval(feeding);
      resolve({ code, first });
    });
  });
}

async function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the built trailwatch CLI', () => {
  beforeAll(async () => {
    await run(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
  });

  it('lists the 14 checks of v1.2.0 from dist/trailwatch.js', async () => {
    // Act
    const { code, stdout } = await node(['dist/trailwatch.js', 'controls', '--benchmark', 'v1.2.0']);
    // Assess
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((line) => /^\d+\.\d+ +[a-z0-9_]+ {2}\(level \d\)$/.test(line))).toHaveLength(14);
  });

  it('prints no AWS SDK Node.js notice; --verbose says it once, in one line, on a Node.js older than 22', async () => {
    // Act: a scan that fails fast (nothing listens on port 9), after the SDK's clients were made.
    const args = ['bin/trailwatch.js', 'scan', '--endpoint-url', 'http://127.0.0.1:9', '--accounts', '123456789012', '--regions', 'us-east-1'];
    const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _switch, ...inherited } = process.env;
    const env = { ...inherited, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' };
    const quiet = await run(process.execPath, args, { cwd: ROOT, env }).catch((error: { stderr: string }) => error);
    const verbose = await run(process.execPath, [...args, '--verbose'], { cwd: ROOT, env }).catch((error: { stderr: string }) => error);
    // Assess
    expect(quiet.stderr).not.toContain('NodeVersionSupportWarning');
    expect(quiet.stderr).toContain('GetCallerIdentity');
    expect(verbose.stderr).not.toContain('NodeVersionSupportWarning');
    const notices = verbose.stderr.split('\n').filter((line) => line.includes('AWS SDK releases after'));
    expect(notices).toHaveLength(Number(process.versions.node.split('.')[0]) < 22 ? 1 : 0);
  });

  it('runs through bin/trailwatch.js and passes on the exit code', async () => {
    // Act
    const ok = await node(['bin/trailwatch.js', 'controls', '--benchmark', 'v1.2.0', '--format', 'json']);
    const usage = await node(['bin/trailwatch.js', 'controls', '--no-such-flag']);
    // Assess
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).controls).toHaveLength(14);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('stops matching an endless stream once the reader has gone', async () => {
    // Act
    const result = await nodeIntoHead(['pattern', 'match', '--pattern', '{ $.eventName = ConsoleLogin }'], '{"eventName":"ConsoleLogin"}');
    // Assess
    expect(result.first).toMatch(/^\{"match":true\}\n/);
    expect(result.code).toBe(0);
  });
});
