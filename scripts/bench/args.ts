/** `npm run bench` flags: whole numbers within sane bounds, anything else a UsageError naming the flag. */
import { parseArgs } from 'node:util';
import { UsageError } from '../../src/errors';

export interface BenchFlags {
  readonly accounts: number;
  readonly latencyMs: number;
  /** Accounts at once; serverless.yml's `concurrency` (the function's default) when absent. */
  readonly concurrency?: number;
  /** Seed every member's own chain, not only the members some run reads (slow at thousands of accounts). */
  readonly seedAll: boolean;
}

function integerFlag(name: string, text: string | undefined, fallback: number, min: number, maxValue: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`--${name} '${text}' is not a whole number`);
  const value = Number(text);
  if (value < min || value > maxValue) throw new UsageError(`--${name} must be between ${min} and ${maxValue}, not ${value}`);
  return value;
}

/** The flags with the function's defaults filled in. */
export type BenchArgs = BenchFlags & { readonly concurrency: number };

export function parseBenchArgs(argv: readonly string[]): BenchFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { accounts: { type: 'string' }, 'latency-ms': { type: 'string' }, concurrency: { type: 'string' }, 'seed-all': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (usage: npm run bench -- [--accounts N] [--latency-ms L] [--concurrency C] [--seed-all])`);
  }
  return {
    accounts: integerFlag('accounts', values.accounts, 200, 2, 50_000),
    latencyMs: integerFlag('latency-ms', values['latency-ms'], 50, 0, 10_000),
    ...(values.concurrency !== undefined ? { concurrency: integerFlag('concurrency', values.concurrency, 0, 1, 200) } : {}),
    seedAll: values['seed-all'] === true,
  };
}

