/** The `trailwatch` command line: a thin adapter over src/. */
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { TrailwatchError } from '../errors';
import { registerControls } from './commands/controls';
import { registerDemo } from './commands/demo';
import { registerDoctor } from './commands/doctor';
import { registerEvaluate } from './commands/evaluate';
import { registerPattern } from './commands/pattern';
import { registerRemediate } from './commands/remediate';
import { registerRecheck } from './commands/recheck';
import { registerScan } from './commands/scan';
import { nodeSupportNotice, silenceSdkNodeNotice } from './node-notice';
import { checkRequiredOptions } from './options';
import { type CliContext, type CliIo, ExitCode, type ExitCodeValue, type RegisterCommand, type TextSink } from './types';

/** Every command, in help order; adding one is adding its register function here. */
const COMMANDS: readonly RegisterCommand[] = [registerScan, registerEvaluate, registerDemo, registerRemediate, registerDoctor, registerControls, registerPattern, registerRecheck];

export function buildProgram(cli: CliContext, onAction: (command: Command) => void = () => undefined): Command {
  const program = new Command('trailwatch')
    .description('Checks that the CIS AWS Foundations Benchmark monitoring controls really work across an AWS organization')
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.stdout.write(text),
      writeErr: (text) => cli.io.stderr.write(text),
    })
    .hook('preAction', (_program, action) => {
      onAction(action);
      checkRequiredOptions(action);
      // --verbose: the one place the Node.js notice is said (the SDK's own is off, see main()).
      const notice = action.opts().verbose === true ? nodeSupportNotice() : undefined;
      if (notice) cli.io.stderr.write(`${notice}\n`);
    });
  for (const register of COMMANDS) register(program, cli);
  for (const command of allCommands(program)) {
    command.configureOutput({ ...command.configureOutput(), outputError: (text, write) => write(oneLineError(text, command)) });
  }
  return program;
}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: ExitCodeValue = ExitCode.OK;
  const cli: CliContext = { io, setExitCode: (code) => (exitCode = code) };
  // The command whose action runs, so its usage errors name its help page as commander's do.
  let active = 'trailwatch';
  try {
    await buildProgram(cli, (command) => (active = commandPath(command))).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Commander has already said what was wrong (or printed the help or version asked for).
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    if (error instanceof TrailwatchError) {
      io.stderr.write(`${active}: ${error.message} (see '${active} --help')\n`);
      return ExitCode.USAGE;
    }
    io.stderr.write(`trailwatch: unexpected error (a bug, please report it): ${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCode.INTERNAL;
  }
}

/** The bin entry: runs on process.argv and sets the process exit code. */
export async function main(): Promise<void> {
  silenceSdkNodeNotice();
  process.exitCode = await run(process.argv.slice(2), { stdout: pipeSafeStdout(), stderr: process.stderr, stdin: process.stdin });
}

/**
 * process.stdout, except that a reader that stops early (`| head`) is not an error: the rest of
 * the output is dropped, commands may stop producing it (`closed`), and the exit code still
 * says what the command found.
 */
function pipeSafeStdout(): TextSink {
  let closed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    write: (text: string) => !closed && process.stdout.write(text),
    isTTY: process.stdout.isTTY,
    get closed() {
      return closed;
    },
  };
}

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Commander's "error: unknown option '--x'\n(Did you mean --y?)" as one line naming the help to read. */
function oneLineError(text: string, command: Command): string {
  const message = text
    .replace(/^error: /, '')
    .replace(/\s*\n\((Did you mean[^)]*)\)/, (_, hint: string) => ` (${hint.charAt(0).toLowerCase()}${hint.slice(1)})`)
    .replace(/\s+/g, ' ')
    .trim();
  return `${commandPath(command)}: ${message} (see '${commandPath(command)} --help')\n`;
}

if (require.main === module) {
  void main();
}
