import { UsageError } from '../../src/errors';
import { parseBenchArgs } from '../../scripts/bench/args';
import { ouPlacementAt } from '../../scripts/bench/organization';
import { underAccountId } from '../../scripts/bench/distributed';
import { memoryGrowth } from '../../scripts/bench/measure';
import {
  concurrencyEfficiency,
  formatNumber,
  machineLine,
  median,
  projectedSeconds,
  projectScale,
  lambdaCpuSlowdown,
  sequentialListAccountsSeconds,
  table,
  type ScaleMeasurements,
} from '../../scripts/bench/figures';

describe('benchmark figures', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([10, 4, 4])).toBe(4);
    expect(median([3, 4, 10, 4])).toBe(4);
    expect(median([1, 2])).toBe(1.5);
    expect(median([])).toBe(0);
  });

  it('measures efficiency as ideal time (attempts x latency / concurrency) over wall time', () => {
    // 1,000 attempts of 50 ms, 10 at a time, ideally 5 s; done in 6.25 s
    expect(concurrencyEfficiency(1000, 50, 10, 6250)).toBeCloseTo(0.8);
    expect(concurrencyEfficiency(1000, 50, 10, 0)).toBe(0);
  });

  it('projects a scan from calls per account, latency, concurrency and measured efficiency, never better than ideal', () => {
    // 1,000 accounts x 6 calls x 100 ms / 10 = 60 s ideal; at efficiency 0.75, 80 s
    expect(projectedSeconds({ accounts: 1000, callsPerAccount: 6, latencyMs: 100, concurrency: 10, efficiency: 0.75 })).toBeCloseTo(80);
    expect(projectedSeconds({ accounts: 1000, callsPerAccount: 6, latencyMs: 100, concurrency: 10, efficiency: 1.4 })).toBeCloseTo(60);
  });

  it('prints the machine line with the exact keys, in order', () => {
    const line = machineLine({ callsPerAccountMedian: 4, callsPerAccountMax: 10, naiveCallRatio: 2.4912, efficiency: 0.8765, projected1000x17Seconds: 92.44, coverageMs: 136.04, worstDecisionMs: 88.31 });
    expect(line).toBe('bench: calls_per_account_median=4 calls_per_account_max=10 naive_call_ratio=2.49 efficiency=0.88 projected_1000x17_s=92.4 coverage_ms=136 worst_decision_ms=88.3');
    expect(formatNumber(4.5, 1)).toBe('4.5');
  });

  it('appends the scale figures to the machine line', () => {
    const line = machineLine({
      callsPerAccountMedian: 0,
      callsPerAccountMax: 10,
      naiveCallRatio: 120,
      efficiency: 0.05,
      projected1000x17Seconds: 12.34,
      coverageMs: 100,
      worstDecisionMs: 80,
      scale: { accounts: 10000, wallSeconds: 61.25, peakRssMb: 700.4, projectedSingle10000x17Seconds: 130.04, projectedDistributed50000x17Seconds: 900 },
    });
    expect(line).toMatch(/ worst_decision_ms=80 accounts=10000 wall_17_s=61.3 peak_rss_mb=700 projected_single_10000x17_s=130 projected_distributed_50000x17_s=900$/);
  });

  it('models sequential ListAccounts: a page of 20 after another, and the two calls before them', () => {
    expect(sequentialListAccountsSeconds(10_000, 100)).toBeCloseTo(50.2);
    expect(sequentialListAccountsSeconds(50_000, 100)).toBeCloseTo(250.2);
    expect(sequentialListAccountsSeconds(21, 100)).toBeCloseTo(0.4);
  });

  describe('the scale model', () => {
    // Measured at 1,000 accounts and 50 ms a request.
    const measured: ScaleMeasurements = {
      accounts: 1000,
      latencyMs: 50,
      single: { discoveryMs: 2500, discoveryCalls: 50, discoveryListingCalls: 48, collectionMs: 1000, evaluationCpuMs: 1000, baselineRssBytes: 200e6, growthBytes: 50e6 },
      // 100 accounts read, 600 attempts of 50 ms 10 at a time: 3 s ideal, done in 4 s (efficiency 0.75)
      read: { accounts: 100, attempts: 600, collectionMs: 4000, evaluationCpuMs: 250, concurrency: 10 },
      distributed: {
        batchAccounts: 100,
        batchWallMs: 4000,
        aggregateCpuMs: 5000,
        aggregateAttempts: 20,
        aggregateBatchFiles: 5,
        aggregateAccounts: 1000,
        aggregateBaselineRssBytes: 200e6,
        aggregateGrowthBytes: 100e6,
      },
    };

    it('scales waiting by the latency and the accounts, CPU by the accounts, memory from its baseline', () => {
      const p = projectScale(measured, 10_000, 100, { batchSize: 200, maxConcurrency: 25, cpuSlowdown: 2, aggregateCpuSlowdown: 2 });
      // discovery: 50 ms a call measured, 100 ms at twice the latency; 2 calls that do not grow and 48 x 10 that list
      expect(p.single.discoverySeconds).toBeCloseTo(48.2);
      // the owner's read 1 s x 2 (latency); evaluation 1 s of CPU x 2 (a Lambda of half a vCPU) x 10 (accounts)
      expect(p.single.seconds).toBeCloseTo(48.2 + 2 + 20);
      expect(p.single.rssBytes).toBeCloseTo(200e6 + 50e6 * 10);
      // reading: 10,000 x 6 calls x 100 ms / 10 / 0.75 = 800 s, plus 2.5 ms of CPU an account, x 2
      expect(p.singleReadingEvery.seconds).toBeCloseTo(48.2 + 800 + 50);
    });

    it('runs the batches in waves of MaxConcurrency children, each a full batch at the measured pace', () => {
      const p = projectScale(measured, 50_000, 100, { batchSize: 200, maxConcurrency: 25, cpuSlowdown: 2, aggregateCpuSlowdown: 2 });
      expect(p.distributed.batches).toBe(250);
      expect(p.distributed.waves).toBe(10);
      // 100 accounts in 4 s at 50 ms: 200 accounts at 100 ms take 16 s
      expect(p.distributed.childSeconds).toBeCloseTo(16);
      // single mode's discovery (2 + 48 x 50 calls of 100 ms), then two files written
      expect(p.distributed.discoverSeconds).toBeCloseTo(240.2 + 0.2);
      // 5 s of CPU x 2 x 50; requests: the 15 that do not grow and a GET for each of the 250 batch files, 100 ms each
      expect(p.distributed.aggregateSeconds).toBeCloseTo(500 + 26.5);
      expect(p.distributed.seconds).toBeCloseTo(240.4 + 10 * 16 + 526.5);
      expect(p.distributed.aggregateRssBytes).toBeCloseTo(200e6 + 100e6 * 50);
    });

    it("scales the aggregate's CPU by its own memory size, not the scan function's", () => {
      const settings = { batchSize: 200, maxConcurrency: 25, cpuSlowdown: 2 };
      const slow = projectScale(measured, 50_000, 100, { ...settings, aggregateCpuSlowdown: 2 });
      const fast = projectScale(measured, 50_000, 100, { ...settings, aggregateCpuSlowdown: 1 });
      // 5 s of CPU x 50 at one full vCPU instead of half of one; the rest (its requests, discovery, the children) unchanged
      expect(slow.distributed.aggregateSeconds - fast.distributed.aggregateSeconds).toBeCloseTo(250);
      expect(fast.distributed.childSeconds).toBe(slow.distributed.childSeconds);
      expect(fast.single.seconds).toBe(slow.single.seconds);
    });

    it('gives a Lambda one vCPU at 1,769 MB and no more to one thread above it', () => {
      expect(lambdaCpuSlowdown(1024)).toBeCloseTo(1769 / 1024);
      expect(lambdaCpuSlowdown(1769)).toBe(1);
      expect(lambdaCpuSlowdown(3008)).toBe(1);
    });

    it('needs a measured latency', () => {
      expect(() => projectScale({ ...measured, latencyMs: 0 }, 10_000, 100, { batchSize: 200, maxConcurrency: 25, cpuSlowdown: 2, aggregateCpuSlowdown: 2 })).toThrow(RangeError);
    });
  });

  it("counts what work added to memory by the resident set, or by the heap when that grew more (freed pages stay resident)", () => {
    expect(memoryGrowth({ baselineRssBytes: 300, peakRssBytes: 400, baselineHeapBytes: 100, peakHeapBytes: 150 })).toBe(100);
    expect(memoryGrowth({ baselineRssBytes: 300, peakRssBytes: 310, baselineHeapBytes: 100, peakHeapBytes: 180 })).toBe(80);
    expect(memoryGrowth({ baselineRssBytes: 300, peakRssBytes: 300, baselineHeapBytes: 100, peakHeapBytes: 90 })).toBe(0);
  });

  it('places members in leaf OUs of a fixed size, ten leaves to a group', () => {
    const layout = { accountsPerUnit: 100, unitsPerGroup: 10 };
    expect(ouPlacementAt(0, layout)).toEqual({ group: 0, unit: 0 });
    expect(ouPlacementAt(99, layout)).toEqual({ group: 0, unit: 0 });
    expect(ouPlacementAt(100, layout)).toEqual({ group: 0, unit: 1 });
    expect(ouPlacementAt(1000, layout)).toEqual({ group: 1, unit: 10 });
  });

  it('copies a saved inventory under another account id, everywhere the id appears', () => {
    const inventory = { accountId: '111111111111', trails: [{ arn: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t' }] };
    expect(underAccountId(inventory, '111111111111', '222222222222')).toEqual({ accountId: '222222222222', trails: [{ arn: 'arn:aws:cloudtrail:us-east-1:222222222222:trail/t' }] });
  });

  it('aligns a table under its header', () => {
    expect(table([['a', 'bb'], ['ccc', 'd']])).toBe('a    bb\n---  --\nccc  d');
  });
});

describe('npm run bench flags', () => {
  it("defaults to 200 accounts, 50 ms per request, the function's concurrency (serverless.yml's, read by the bench)", () => {
    expect(parseBenchArgs([])).toEqual({ accounts: 200, latencyMs: 50, seedAll: false });
    expect(parseBenchArgs(['--accounts', '1000', '--latency-ms=0', '--concurrency', '25', '--seed-all'])).toEqual({ accounts: 1000, latencyMs: 0, concurrency: 25, seedAll: true });
  });

  it.each([
    [['--accounts', 'many'], /--accounts 'many' is not a whole number/],
    [['--accounts', '1'], /--accounts must be between 2 and 50000, not 1/],
    [['--accounts', '1e3'], /not a whole number/],
    [['--latency-ms', '-5'], /argument is ambiguous/],
    [['--latency-ms=-5'], /--latency-ms '-5' is not a whole number/],
    [['--concurrency', '0'], /--concurrency must be between 1 and 200/],
    [['--concurrency', ''], /not a whole number/],
    [['--regions', 'us-east-1'], /Unknown option '--regions'/],
    [['extra'], /positional/],
    [['--accounts'], /argument missing/],
  ])('refuses %j with a UsageError', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
