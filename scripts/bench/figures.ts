/** The benchmark's arithmetic and its printed forms: pure, so it is tested with data. */

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function max(values: readonly number[]): number {
  return values.length === 0 ? 0 : Math.max(...values);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * How close the scan came to keeping `concurrency` calls in flight the whole time: the time the
 * calls would take if nothing else cost anything (attempts × latency ÷ concurrency), divided by
 * the wall time.
 */
export function concurrencyEfficiency(attempts: number, latencyMs: number, concurrency: number, wallMs: number): number {
  if (wallMs <= 0) return 0;
  return (attempts * latencyMs) / concurrency / wallMs;
}

export interface Projection {
  readonly accounts: number;
  /** Calls per account, discovery included, at the projected region count. */
  readonly callsPerAccount: number;
  readonly latencyMs: number;
  readonly concurrency: number;
  /** The measured efficiency, carried over (capped at 1: never better than ideal). */
  readonly efficiency: number;
}

/** Seconds a scan of that size would take at that latency. */
export function projectedSeconds(p: Projection): number {
  const efficiency = Math.min(1, Math.max(p.efficiency, Number.EPSILON));
  return (p.accounts * p.callsPerAccount * p.latencyMs) / 1000 / p.concurrency / efficiency;
}

export interface Target {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly met: boolean;
}

/** Numbers as the machine line prints them: integers bare, others with at most `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(digits)));
}

export interface MachineLine {
  readonly callsPerAccountMedian: number;
  readonly callsPerAccountMax: number;
  readonly naiveCallRatio: number;
  readonly efficiency: number;
  readonly projected1000x17Seconds: number;
  readonly coverageMs: number;
  readonly worstDecisionMs: number;
}

export function machineLine(m: MachineLine): string {
  return [
    'bench:',
    `calls_per_account_median=${formatNumber(m.callsPerAccountMedian, 1)}`,
    `calls_per_account_max=${formatNumber(m.callsPerAccountMax, 0)}`,
    `naive_call_ratio=${formatNumber(m.naiveCallRatio, 2)}`,
    `efficiency=${formatNumber(m.efficiency, 2)}`,
    `projected_1000x17_s=${formatNumber(m.projected1000x17Seconds, 1)}`,
    `coverage_ms=${formatNumber(m.coverageMs, 1)}`,
    `worst_decision_ms=${formatNumber(m.worstDecisionMs, 1)}`,
  ].join(' ');
}

/** A left-aligned text table; the first row is the header. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  if (!header) return '';
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
