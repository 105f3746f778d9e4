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

/** Samples the resident set while `work` runs. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T } & PeakRss> {
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
  try {
    const value = await work();
    sample();
    return { value, peakRssBytes: peak, baselineRssBytes, peakHeapBytes: peakHeap, baselineHeapBytes };
  } finally {
    clearInterval(timer);
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
