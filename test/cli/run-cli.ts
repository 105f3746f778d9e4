/** Runs the CLI in-process with buffers for stdout and stderr and a string as stdin. */
import { Readable } from 'node:stream';
import { run } from '../../src/cli';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(argv: string[], stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([stdin]),
  });
  return { code, stdout, stderr };
}

/** Non-empty lines of a text. */
export function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}
