/**
 * Runs a shell script with /bin/sh and a stub `aws` that records its argv: the only program on
 * PATH. A hostile name that broke out of its quotes would run a builtin (`echo x > file` needs no
 * PATH) and leave a file in the script's working directory, which this reports.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StubAwsRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** One argv (without `aws` itself) per invocation of the stub, in order. */
  readonly invocations: string[][];
  /** Whatever appeared in the working directory: anything here was written by something but `aws`. */
  readonly leftovers: string[];
}

/** Each argument NUL-terminated, each invocation ended by a record separator (builtins only). */
const STUB_AWS = `#!/bin/sh
for a in "$@"; do printf '%s\\0' "$a"; done >> "$AWS_ARGV_LOG"
printf '\\036' >> "$AWS_ARGV_LOG"
`;

export function runWithStubAws(script: string): StubAwsRun {
  const dir = mkdtempSync(join(tmpdir(), 'trailwatch-stub-aws-'));
  try {
    const bin = join(dir, 'bin');
    const work = join(dir, 'work');
    mkdirSync(bin);
    mkdirSync(work);
    writeFileSync(join(bin, 'aws'), STUB_AWS);
    chmodSync(join(bin, 'aws'), 0o755);
    const scriptPath = join(dir, 'script.sh');
    const log = join(dir, 'argv.log');
    writeFileSync(scriptPath, script);
    writeFileSync(log, '');
    const run = spawnSync('/bin/sh', [scriptPath], { cwd: work, env: { PATH: bin, AWS_ARGV_LOG: log }, encoding: 'utf8' });
    const invocations = readFileSync(log, 'utf8')
      .split('\u001e')
      .slice(0, -1)
      .map((record) => record.split('\0').slice(0, -1));
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, invocations, leftovers: readdirSync(work) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names that end a comment, substitute a command, close a quote or pass for an option. */
export const HOSTILE_NAMES = [
  'x\necho pwned > pwned-newline #',
  '$(echo pwned > pwned-dollar)',
  '`echo pwned > pwned-backtick`',
  "'; echo pwned > pwned-quote; '",
  '"; echo pwned > pwned-dquote; "',
  'x\r\necho pwned > pwned-crlf',
  'x\u2028echo pwned > pwned-line-separator\u2029',
  'x\u0085\u001b[31mred\u009b2J',
  '-leading-dash',
  '--profile=attacker',
] as const;

/**
 * True when some invocation gives `name` verbatim as the value of `--flag`: `--flag name`, or
 * `--flag=name` (the only form the AWS CLI cannot take for an option when `name` starts with '-').
 */
export function gaveVerbatim(invocations: readonly string[][], flag: string, name: string): boolean {
  return invocations.some((argv) =>
    argv.some((arg, i) => arg === `--${flag}=${name}` || (!name.startsWith('-') && arg === `--${flag}` && argv[i + 1] === name)),
  );
}
