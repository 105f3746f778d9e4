/** How the benchmark measures: injected latency, the resident set while work runs, CPU time. */
import { readFileSync } from 'node:fs';
import type { AttemptHook } from '../../src/aws/clients';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every HTTP attempt waits `latencyMs` first, as a far-away AWS would make it wait. */
export function latencyHook(latencyMs: number): AttemptHook {
  return () => (latencyMs > 0 ? sleep(latencyMs) : undefined);
}

/** Collects garbage when node runs with --expose-gc (run.mjs does), so a baseline is what is live. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export interface PeakRss {
  /** The largest resident set sampled while the work ran (every 20 ms, and at its end). */
  readonly peakRssBytes: number;
  /** The resident set just before, after a garbage collection: what the work added is peak - baseline. */
  readonly baselineRssBytes: number;
  /** The largest V8 heap in use sampled while the work ran, and the heap in use just before (collected). */
  readonly peakHeapBytes: number;
  readonly baselineHeapBytes: number;
}

/**
 * What the work added to memory: the resident set's growth, or the heap's when larger (a process
 * keeps pages it has freed, so work after other work can grow its heap without growing the RSS).
 */
export function memoryGrowth(m: PeakRss): number {
  return Math.max(0, m.peakRssBytes - m.baselineRssBytes, m.peakHeapBytes - m.baselineHeapBytes);
}

/** What is live on the heap while work runs: sampled right after a collection forced between its turns. */
export interface LiveHeap {
  /** The largest heap in use right after a forced collection: what the work held, garbage aside. */
  readonly peakLiveHeapBytes: number;
  readonly forcedCollections: number;
  /** Wall and CPU time the forced collections took: to be taken off the work's own time. */
  readonly forcedGcWallMs: number;
  readonly forcedGcCpuMs: number;
}

/**
 * What the work held: the live heap's growth when it was sampled, else memoryGrowth. A process
 * given plenty of memory (this one) lets garbage pile up before V8 collects it, so its peak RSS
 * overstates what a function with less memory needs; the live heap is what must fit.
 */
export function liveGrowth(m: PeakRss & Partial<LiveHeap>): number {
  return m.peakLiveHeapBytes === undefined ? memoryGrowth(m) : Math.max(0, m.peakLiveHeapBytes - m.baselineHeapBytes);
}

/** Forced collections take at most this share of the work's time: the next waits this many times the last one's length. */
const FORCED_GC_SPACING = 4;

/**
 * Samples the resident set while `work` runs; with `liveHeapEveryMs`, also forces a collection
 * that often (further apart when collections are slow) and samples the heap left after it. A
 * live peak that rises and falls between two samples is missed: the figure is a lower bound of
 * the true live peak, as close as the interval.
 */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T } & PeakRss>;
export async function withPeakRss<T>(work: () => Promise<T>, options: { readonly liveHeapEveryMs: number }): Promise<{ value: T } & PeakRss & LiveHeap>;
export async function withPeakRss<T>(work: () => Promise<T>, options?: { readonly liveHeapEveryMs: number }): Promise<{ value: T } & PeakRss & Partial<LiveHeap>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (options && !gc) throw new Error('sampling the live heap needs node --expose-gc (npm run bench passes it)');
  collectGarbage();
  const baselineRssBytes = process.memoryUsage.rss();
  let peak = baselineRssBytes;
  const baselineHeapBytes = process.memoryUsage().heapUsed;
  let peakHeap = baselineHeapBytes;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 20);
  const live = { peakLiveHeapBytes: 0, forcedCollections: 0, forcedGcWallMs: 0, forcedGcCpuMs: 0 };
  let liveTimer: NodeJS.Timeout | undefined;
  /** Forces a collection and samples what is left; returns how long the collection took (counted in the totals while the work runs). */
  const sampleLive = (duringWork = true): number => {
    if (!gc || !options) return 0;
    sample();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    gc();
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    live.peakLiveHeapBytes = Math.max(live.peakLiveHeapBytes, process.memoryUsage().heapUsed);
    if (!duringWork) return wallMs;
    live.forcedCollections += 1;
    live.forcedGcWallMs += wallMs;
    live.forcedGcCpuMs += (cpu.user + cpu.system) / 1000;
    return wallMs;
  };
  const scheduleLive = (delayMs: number) => {
    liveTimer = setTimeout(() => scheduleLive(Math.max(options?.liveHeapEveryMs ?? 0, FORCED_GC_SPACING * sampleLive())), delayMs);
  };
  if (options) scheduleLive(options.liveHeapEveryMs);
  try {
    const value = await work();
    if (liveTimer) clearTimeout(liveTimer);
    sample();
    // What the work left behind once it returned (its result aside) is live too; this one is not in the work's time.
    sampleLive(false);
    return { value, peakRssBytes: peak, baselineRssBytes, peakHeapBytes: peakHeap, baselineHeapBytes, ...(options ? live : {}) };
  } finally {
    clearInterval(timer);
    if (liveTimer) clearTimeout(liveTimer);
  }
}

/** CPU time (ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU the emulator and this process spent during `work`, per HTTP attempt. */
export async function withCpu<T extends { attempts: number }>(
  motoPid: number,
  work: () => Promise<T>,
): Promise<T & { motoCpuMsPerAttempt?: number; benchCpuMsPerAttempt: number; benchCpuMs: number }> {
  const motoBefore = processCpuMs(motoPid);
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  const motoAfter = processCpuMs(motoPid);
  const benchCpuMs = (used.user + used.system) / 1000;
  const perAttempt = (ms: number) => ms / Math.max(1, value.attempts);
  return {
    ...value,
    ...(motoBefore !== undefined && motoAfter !== undefined ? { motoCpuMsPerAttempt: perAttempt(motoAfter - motoBefore) } : {}),
    benchCpuMsPerAttempt: perAttempt(benchCpuMs),
    benchCpuMs,
  };
}
