/** `trailwatch pattern match`: one {"match": true|false} line per event read. */
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UsageError } from '../../errors';
import { matchesEvent, parsePattern, type Pattern, PatternSyntaxError, WorkLimitExceeded } from '../../pattern';
import { patternOption } from '../options';
import { describeParseError, writeJson } from '../output';
import { type CliIo, ExitCode, type ExitCodeValue, type RegisterCommand } from '../types';

interface MatchOptions {
  readonly pattern: string;
  readonly events?: string;
}

export const registerPatternMatch: RegisterCommand = (parent, cli) => {
  parent
    .command('match')
    .description(
      'read events, one per line (JSON lines; a line that is not JSON is matched as raw text; blank lines are skipped), ' +
        'and write {"match": true|false} per event',
    )
    .addOption(patternOption())
    .option('-e, --events <file>', 'read the events from this file instead of stdin')
    .action(async (options: MatchOptions) => cli.setExitCode(await matchEvents(options, cli.io)));
};

export async function matchEvents(options: MatchOptions, io: CliIo): Promise<ExitCodeValue> {
  let pattern: Pattern;
  try {
    pattern = parsePattern(options.pattern);
  } catch (error) {
    if (!(error instanceof PatternSyntaxError)) throw error;
    io.stderr.write(`trailwatch pattern match: ${describeParseError(options.pattern, error)}\n`);
    return ExitCode.USAGE;
  }
  const file = options.events !== undefined ? await openEvents(options.events) : undefined;
  if (!file && (io.stdin as { isTTY?: boolean }).isTTY) io.stderr.write('reading events from stdin, one per line (end with Ctrl-D)\n');
  const lines = createInterface({ input: file ? file.createReadStream({ encoding: 'utf8' }) : io.stdin, crlfDelay: Infinity });
  let undecided = 0;
  try {
    for await (const line of lines) {
      if (io.stdout.closed) break;
      if (line.trim() === '') continue;
      // The line as read: a JSON pattern matches it as JSON (never when it is not JSON), a term or
      // space-delimited pattern as the raw text, as CloudWatch Logs does with a log event.
      try {
        writeJson(io.stdout, { match: matchesEvent(pattern, line) });
      } catch (error) {
        if (!(error instanceof WorkLimitExceeded)) throw error;
        // Each event has its own work budget: one that needs more is answered with neither yes nor no.
        undecided += 1;
        writeJson(io.stdout, { match: null, undetermined: error.message });
      }
    }
  } finally {
    lines.close();
    await file?.close();
  }
  return undecided > 0 ? ExitCode.NOT_OK : ExitCode.OK;
}

async function openEvents(path: string) {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot read the events file ${path}: ${(error as Error).message}`, { cause: error });
  }
  // Opening a directory succeeds; reading it is what fails, mid-stream.
  if ((await file.stat()).isDirectory()) {
    await file.close();
    throw new UsageError(`cannot read the events file ${path}: it is a directory`);
  }
  return file;
}
