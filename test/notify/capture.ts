/** Loggers and stdout, recorded for assertions. */
import type { StructuredLogger } from '../../src/notify/observe';

/** A logger that records (level, message, fields) instead of writing. */
export function recordingLogger(): StructuredLogger & { lines: { level: string; message: string; fields: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]): void => {
      lines.push({ level, message, fields: Object.assign({}, ...extra) as Record<string, unknown> });
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** What was written to stdout while `act` ran, as JSON lines. */
export function captureStdoutJson(act: () => void): Record<string, unknown>[] {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** What was written to stdout and stderr (where error logs go) while `act` ran, as JSON lines in order, with its outcome. */
export async function captureStdoutJsonAsync<T>(act: () => Promise<T>): Promise<{ lines: Record<string, unknown>[]; result?: T; error?: unknown }> {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(record);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(record);
  const spy = { mockRestore: () => [out, err].forEach((s) => s.mockRestore()) };
  let outcome: { result?: T; error?: unknown };
  try {
    outcome = { result: await act() };
  } catch (error) {
    outcome = { error };
  } finally {
    spy.mockRestore();
  }
  const lines = chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { lines, ...outcome };
}
