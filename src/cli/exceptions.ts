/** `--exceptions FILE` (scan, evaluate, demo): read and checked while the flags are parsed, before any AWS call. */
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { UsageError } from '../errors';
import { parseExceptions, type ExceptionRules } from '../exceptions';
import { parsedBy } from './options';

/** The rules of an exceptions file; a UsageError (exit 2, nothing scanned) naming the entry and field when it is wrong. */
export function readExceptionsFile(path: string, now: Date = new Date()): ExceptionRules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the exceptions file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return parseExceptions(text, { now, source: path });
}

export function exceptionsOption(): Option {
  return new Option('--exceptions <file>', 'accepted risk: a YAML or JSON file of exceptions (reason, approvedBy, expires); excepted findings are counted apart').argParser(
    parsedBy((path) => readExceptionsFile(path)),
  );
}
