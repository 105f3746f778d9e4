import type { Command } from 'commander';
import { buildProgram } from '../../src/cli';
import { linesOf, runCli } from './run-cli';

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  const path = [...prefix, command.name()];
  return [path, ...command.commands.filter((c) => c.name() !== 'help').flatMap((c) => commandPaths(c, path))];
}

const PATHS = commandPaths(buildProgram({ io: { stdout: { write: () => true }, stderr: { write: () => true }, stdin: process.stdin }, setExitCode: () => undefined }))
  .map((path) => path.slice(1));

describe('trailwatch (the program)', () => {
  it('registers the controls and pattern commands', () => {
    // Assess
    expect(PATHS).toEqual(expect.arrayContaining([['controls'], ['pattern'], ['pattern', 'match'], ['pattern', 'check']]));
  });

  it.each(PATHS.map((path) => [path.join(' ') || '(no command)', path]))('prints the help of %s with --help and exits 0', async (_, path) => {
    // Act
    const { code, stdout, stderr } = await runCli([...(path as string[]), '--help']);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: ${['trailwatch', ...(path as string[])].join(' ')} `);
    expect(stderr).toBe('');
  });

  it('exits 2 with one line naming an unknown flag and the help to read', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['controls', '--benchmrak', 'v1.2.0']);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(linesOf(stderr)).toEqual([
      "trailwatch controls: unknown option '--benchmrak' (did you mean --benchmark?) (see 'trailwatch controls --help')",
    ]);
  });

  it('names a misspelt flag rather than the required option it leaves missing', async () => {
    // Act
    const { code, stderr } = await runCli(['pattern', 'match', '--patern', '{ $.a = 1 }']);
    // Assess
    expect(code).toBe(2);
    expect(linesOf(stderr)).toEqual([
      "trailwatch pattern match: unknown option '--patern' (did you mean --pattern?) (see 'trailwatch pattern match --help')",
    ]);
  });

  it('exits 2 with one line for an unknown command', async () => {
    // Act
    const { code, stderr } = await runCli(['contrls']);
    // Assess
    expect(code).toBe(2);
    expect(linesOf(stderr)).toEqual(["trailwatch: unknown command 'contrls' (did you mean controls?) (see 'trailwatch --help')"]);
  });

  it('exits 2 with one line for an argument a command does not take', async () => {
    // Act
    const { code, stderr } = await runCli(['controls', 'extra']);
    // Assess
    expect(code).toBe(2);
    expect(linesOf(stderr)).toHaveLength(1);
    expect(stderr).toContain('too many arguments');
  });

  it('prints the help on stderr and exits 2 when no command is given', async () => {
    // Act
    const { code, stdout, stderr } = await runCli([]);
    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: trailwatch [options] [command]');
  });

  it('prints its version', async () => {
    // Act
    const { code, stdout } = await runCli(['--version']);
    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
