import type { Command } from 'commander';

/** Where a command writes text. */
export interface TextSink {
  write(text: string): unknown;
  /** Set on a terminal; commands colour their output only then. */
  readonly isTTY?: boolean;
  /** Set once the reader has gone (a closed pipe): further output is dropped, so a command may stop producing it. */
  readonly closed?: boolean;
}

/** The streams a run reads and writes: process.stdin/stdout/stderr in the bin, buffers in tests. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly stdin: NodeJS.ReadableStream;
}

/** The exit codes of every command (DESIGN.md "Interfaces"). */
export const ExitCode = {
  /** Everything checked is fine (pattern covered, every finding PASS). */
  OK: 0,
  /** The answer is no: a pattern not covered (or not verifiable), a FAIL or ERROR finding. */
  NOT_OK: 1,
  /** A usage or configuration error: a flag, a benchmark, a check, a pattern that does not parse. */
  USAGE: 2,
  /** An unexpected internal error (a bug). */
  INTERNAL: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What a command's action gets besides its options. */
export interface CliContext {
  readonly io: CliIo;
  /** Records the exit code `run` returns. */
  setExitCode(code: ExitCodeValue): void;
}

/** A command module: adds its command (with `parent.command(...)`, so settings are inherited) to the program. */
export type RegisterCommand = (program: Command, cli: CliContext) => void;
