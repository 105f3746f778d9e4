import { BENCHMARK_IDS, type BenchmarkId } from '../controls/types';

/** "cis-aws-v4.0.0", "v4.0.0", "4.0.0", "v4.0" or "4.0": the benchmark, or undefined. */
export function parseBenchmarkId(text: string): BenchmarkId | undefined {
  const trimmed = text.trim().toLowerCase();
  if ((BENCHMARK_IDS as readonly string[]).includes(trimmed)) return trimmed as BenchmarkId;
  const match = /^(?:cis-aws-)?v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(trimmed);
  if (!match) return undefined;
  const id = `cis-aws-v${match[1]}.${match[2]}.${match[3] ?? '0'}`;
  return (BENCHMARK_IDS as readonly string[]).includes(id) ? (id as BenchmarkId) : undefined;
}
