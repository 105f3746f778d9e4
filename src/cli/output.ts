/** Small writers the commands share. */
import type { PatternSyntaxError } from '../pattern';
import type { TextSink } from './types';

export function writeLine(sink: TextSink, line = ''): void {
  sink.write(`${line}\n`);
}

export function writeJson(sink: TextSink, value: unknown): void {
  sink.write(`${JSON.stringify(value)}\n`);
}

const SNIPPET_RADIUS = 40;

/** The error, then the pattern around the offset with a caret under the problem. */
export function describeParseError(pattern: string, error: PatternSyntaxError): string {
  const offset = Math.max(0, Math.min(error.offset, pattern.length));
  const start = Math.max(0, offset - SNIPPET_RADIUS);
  const end = Math.min(pattern.length, offset + SNIPPET_RADIUS);
  const prefix = start > 0 ? '…' : '';
  const snippet = `${prefix}${pattern.slice(start, end)}${end < pattern.length ? '…' : ''}`.replace(/\s/g, ' ');
  return `the pattern does not parse: ${error.message}\n  ${snippet}\n  ${' '.repeat(prefix.length + offset - start)}^`;
}
