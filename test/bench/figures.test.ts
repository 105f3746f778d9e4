import { UsageError } from '../../src/errors';
import { parseBenchArgs } from '../../scripts/bench/args';
import { concurrencyEfficiency, formatNumber, machineLine, median, projectedSeconds, table } from '../../scripts/bench/figures';

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

  it('aligns a table under its header', () => {
    expect(table([['a', 'bb'], ['ccc', 'd']])).toBe('a    bb\n---  --\nccc  d');
  });
});

describe('npm run bench flags', () => {
  it('defaults to 200 accounts, 50 ms per request, 10 accounts at once', () => {
    expect(parseBenchArgs([])).toEqual({ accounts: 200, latencyMs: 50, concurrency: 10 });
    expect(parseBenchArgs(['--accounts', '1000', '--latency-ms=0', '--concurrency', '25'])).toEqual({ accounts: 1000, latencyMs: 0, concurrency: 25 });
  });

  it.each([
    [['--accounts', 'many'], /--accounts 'many' is not a whole number/],
    [['--accounts', '1'], /--accounts must be between 2 and 5000, not 1/],
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
