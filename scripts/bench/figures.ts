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
  /** The scale figures, appended after the others. */
  readonly scale?: {
    readonly accounts: number;
    readonly wallSeconds: number;
    readonly peakRssMb: number;
    readonly projectedSingle10000x17Seconds: number;
    readonly projectedDistributed50000x17Seconds: number;
  };
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
    ...(m.scale
      ? [
          `accounts=${m.scale.accounts}`,
          `wall_17_s=${formatNumber(m.scale.wallSeconds, 1)}`,
          `peak_rss_mb=${formatNumber(m.scale.peakRssMb, 0)}`,
          `projected_single_10000x17_s=${formatNumber(m.scale.projectedSingle10000x17Seconds, 1)}`,
          `projected_distributed_50000x17_s=${formatNumber(m.scale.projectedDistributed50000x17Seconds, 1)}`,
        ]
      : []),
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

/**
 * The scale model: what was measured at `accounts` accounts with `latencyMs` per request, carried
 * to other sizes at `projectionLatencyMs`. A phase that waits on calls made one after another
 * (discovery's pages or tree walk, the owner's read, the aggregate's reads) scales with the
 * latency; CPU (evaluation) does not, but runs slower in a Lambda of less than one vCPU; both
 * scale with the accounts where the code's work does.
 */
export interface ScaleMeasurements {
  readonly accounts: number;
  readonly latencyMs: number;
  /** Single mode, every check settled by the organization trail: members judged without a call. */
  readonly single: {
    readonly discoveryMs: number;
    /** Discovery's calls, and those of them that list accounts or OUs (their number grows with the organization; the others do not). */
    readonly discoveryCalls: number;
    readonly discoveryListingCalls: number;
    /** The owner's read and the judged members' bookkeeping: does not grow with the members. */
    readonly collectionMs: number;
    /** CPU time of the evaluation and report (a busy machine stretches their wall time, not their CPU). */
    readonly evaluationCpuMs: number;
    /** The resident set before the scan, and what the scan added (measure.ts memoryGrowth). */
    readonly baselineRssBytes: number;
    readonly growthBytes: number;
  };
  /** Single mode reading every account (no organization trail, or one whose chain misses a check), on a sample. */
  readonly read: {
    readonly accounts: number;
    readonly attempts: number;
    readonly collectionMs: number;
    readonly evaluationCpuMs: number;
    readonly concurrency: number;
  };
  /** Distributed mode: discover (the whole organization), one batch, the aggregate of the whole run. */
  readonly distributed: {
    readonly batchAccounts: number;
    readonly batchWallMs: number;
    readonly aggregateCpuMs: number;
    readonly aggregateAttempts: number;
    /** The batch files the aggregate read (a GET each): the part of its requests that grows with the accounts. */
    readonly aggregateBatchFiles: number;
    readonly aggregateAccounts: number;
    readonly aggregateBaselineRssBytes: number;
    readonly aggregateGrowthBytes: number;
  };
}

export interface DistributedSettings {
  readonly batchSize: number;
  readonly maxConcurrency: number;
  /**
   * How much slower CPU work runs in the function than here: Lambda gives a function one vCPU at
   * 1,769 MB and a share in proportion below (1769 / 1024 at the default 1 GB).
   */
  readonly cpuSlowdown: number;
  /** The same for the aggregate step, which has a memory size of its own (serverless.yml distributedAggregateMemorySize). */
  readonly aggregateCpuSlowdown: number;
}

/** How much slower CPU work runs in a Lambda of this memory than on one full core here (one thread: more than one vCPU does not help). */
export function lambdaCpuSlowdown(memoryMb: number): number {
  return LAMBDA_ONE_VCPU_MB / Math.min(memoryMb, LAMBDA_ONE_VCPU_MB);
}

/** The memory at which Lambda gives a function the equivalent of one full vCPU. */
export const LAMBDA_ONE_VCPU_MB = 1769;

export interface ScaleProjection {
  readonly accounts: number;
  readonly single: { readonly seconds: number; readonly discoverySeconds: number; readonly rssBytes: number };
  readonly singleReadingEvery: { readonly seconds: number };
  readonly distributed: {
    readonly seconds: number;
    readonly discoverSeconds: number;
    readonly batches: number;
    readonly waves: number;
    readonly childSeconds: number;
    readonly aggregateSeconds: number;
    readonly aggregateRssBytes: number;
  };
}

/** Seconds the sequential ListAccounts walk takes: 20 accounts a page, each page after the previous one, and the two calls before it. */
export function sequentialListAccountsSeconds(accounts: number, latencyMs: number): number {
  return ((Math.ceil(accounts / 20) + 2) * latencyMs) / 1000;
}

export function projectScale(m: ScaleMeasurements, accounts: number, latencyMs: number, settings: DistributedSettings): ScaleProjection {
  if (m.latencyMs <= 0) throw new RangeError('a projection needs a measured latency above 0 ms');
  const waits = latencyMs / m.latencyMs;
  const size = accounts / m.accounts;
  const rss = (baseline: number, growth: number, per: number) => baseline + growth * per;
  const cpu = Math.max(1, settings.cpuSlowdown);

  // Discovery: the measured time per call (its parallelism included), for the calls the code would make at that size.
  const perDiscoveryCall = m.single.discoveryMs / Math.max(1, m.single.discoveryCalls);
  const discoveryCalls = m.single.discoveryCalls - m.single.discoveryListingCalls + m.single.discoveryListingCalls * size;
  const discoverySeconds = (perDiscoveryCall * waits * discoveryCalls) / 1000;
  const singleSeconds = discoverySeconds + (m.single.collectionMs * waits + m.single.evaluationCpuMs * cpu * size) / 1000;

  const readEfficiency = concurrencyEfficiency(m.read.attempts, m.latencyMs, m.read.concurrency, m.read.collectionMs);
  const readCollection = projectedSeconds({
    accounts,
    callsPerAccount: m.read.attempts / Math.max(1, m.read.accounts),
    latencyMs,
    concurrency: m.read.concurrency,
    efficiency: readEfficiency,
  });
  const readingEvery = discoverySeconds + readCollection + ((m.read.evaluationCpuMs * cpu) / Math.max(1, m.read.accounts)) * accounts / 1000;

  const d = m.distributed;
  // Discover is single mode's discovery, then two files written.
  const discoverSeconds = discoverySeconds + (2 * latencyMs) / 1000;
  const batches = Math.ceil(accounts / settings.batchSize);
  const waves = Math.ceil(batches / settings.maxConcurrency);
  // A full batch's child: the measured batch's time at the projected latency, for batchSize accounts.
  const childSeconds = (d.batchWallMs * waits * (settings.batchSize / Math.max(1, d.batchAccounts))) / 1000;
  const aggregateSize = accounts / Math.max(1, d.aggregateAccounts);
  // Its requests, one after another: a GET per batch file, and the rest (listing, the owner's second passes, publish, store) as measured.
  const aggregateRequests = d.aggregateAttempts - d.aggregateBatchFiles + batches;
  const aggregateSeconds = (d.aggregateCpuMs * Math.max(1, settings.aggregateCpuSlowdown) * aggregateSize + aggregateRequests * latencyMs) / 1000;
  return {
    accounts,
    single: { seconds: singleSeconds, discoverySeconds, rssBytes: rss(m.single.baselineRssBytes, m.single.growthBytes, size) },
    singleReadingEvery: { seconds: readingEvery },
    distributed: {
      seconds: discoverSeconds + waves * childSeconds + aggregateSeconds,
      discoverSeconds,
      batches,
      waves,
      childSeconds,
      aggregateSeconds,
      aggregateRssBytes: rss(d.aggregateBaselineRssBytes, d.aggregateGrowthBytes, aggregateSize),
    },
  };
}
