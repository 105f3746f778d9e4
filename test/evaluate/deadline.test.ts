/**
 * Evaluation within a deadline: every account and check still gets one finding, those not judged
 * in time ERROR with the reason, and the evaluation gives the event loop a turn between
 * decisions, so a timer (the Lambda's deadline) can fire while it runs.
 */
import type { AccountInventory } from '../../src/collect/inventory';
import { CHECK_SLUGS } from '../../src/controls';
import { EVALUATION_UNFINISHED, evaluate, evaluateWithinDeadline } from '../../src/evaluate';
import { forgetCoverageCaches } from '../../src/pattern/coverage';
import { hostileFilters } from '../../scripts/bench/hostile-patterns';
import { dashed, edit, findFilter, healthyAccount } from './builders';

const BENCHMARK = 'cis-aws-v4.0.0' as const;

function accounts(count: number): AccountInventory[] {
  return Array.from({ length: count }, (_, index) => healthyAccount({ accountId: String(111111111111 + index), regions: ['us-east-1'] }));
}

/** An account whose every filter is its check's reference narrowed by a hostile condition. */
function hostileAccount(accountId: string): AccountInventory {
  return edit(healthyAccount({ accountId, regions: ['us-east-1'] }), (draft) => {
    for (const { check, pattern } of hostileFilters(BENCHMARK)) findFilter(draft, dashed(check as (typeof CHECK_SLUGS)[number])).pattern = pattern;
  });
}

describe('evaluateWithinDeadline', () => {
  it('judges everything, exactly as evaluate does, when there is time', async () => {
    const inventories = accounts(3);
    const findings = await evaluateWithinDeadline(inventories, { benchmark: BENCHMARK, deadline: Date.now() + 60_000 });
    expect(findings).toEqual(evaluate(inventories, { benchmark: BENCHMARK }));
    expect(findings.every((finding) => finding.status === 'PASS')).toBe(true);
  });

  it('reports every account and check once at the deadline, the unjudged ones ERROR with the reason', async () => {
    // Prepare: a clock that moves one tick each time it is read; the deadline comes once two of four accounts would be judged.
    const inventories = accounts(4);
    let clock = 0;
    const now = () => (clock += 1);
    await evaluateWithinDeadline(inventories.slice(0, 2), { benchmark: BENCHMARK, deadline: Number.MAX_SAFE_INTEGER, now });
    const deadline = clock;
    clock = 0;

    // Act
    const findings = await evaluateWithinDeadline(inventories, { benchmark: BENCHMARK, deadline, now });

    // Assess
    const keys = findings.map((finding) => `${finding.accountId} ${finding.check}`);
    expect(new Set(keys).size).toBe(4 * CHECK_SLUGS.length);
    const unfinished = findings.filter((finding) => finding.reason === EVALUATION_UNFINISHED);
    const judged = findings.filter((finding) => finding.reason !== EVALUATION_UNFINISHED);
    expect(judged.length).toBeGreaterThan(0);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(judged.every((finding) => finding.status === 'PASS')).toBe(true);
    expect(unfinished.every((finding) => finding.status === 'ERROR' && finding.brokenLink === null)).toBe(true);
    // In order: once the deadline is reached nothing more is judged.
    expect(findings.slice(0, judged.length)).toEqual(judged);
  });

  it('lets a timer fire while it judges hostile filters, and stops when that timer aborts it', async () => {
    // Prepare: the abort comes from a timer, as the Lambda's does; it can only fire if evaluation yields.
    forgetCoverageCaches();
    const inventories = [hostileAccount('111111111111'), ...accounts(20).slice(1)];
    const abort = new AbortController();
    let firedDuringEvaluation = false;
    let evaluating = true;
    setTimeout(() => {
      firedDuringEvaluation = evaluating;
      abort.abort();
    }, 0);

    // Act
    const findings = await evaluateWithinDeadline(inventories, { benchmark: BENCHMARK, signal: abort.signal });
    evaluating = false;

    // Assess
    expect(firedDuringEvaluation).toBe(true);
    expect(findings).toHaveLength(inventories.length * CHECK_SLUGS.length);
    expect(findings.filter((finding) => finding.reason === EVALUATION_UNFINISHED).length).toBeGreaterThan(0);
  });

  it('says a hostile filter cannot be verified because it is too complex, and judges the other accounts as usual', async () => {
    forgetCoverageCaches();
    const inventories = [hostileAccount('111111111111'), ...accounts(3).slice(1)];
    const findings = await evaluateWithinDeadline(inventories, { benchmark: BENCHMARK });
    for (const finding of findings) {
      if (finding.accountId === '111111111111') {
        expect(finding).toMatchObject({ status: 'ERROR', brokenLink: 'metricFilter' });
        expect(finding.reason).toMatch(/^cannot verify: trailwatch cannot verify that filter '.+' on log group 'cloudtrail-logs' .* catches every event of .+: the pattern is too complex to decide \(it needs more than 500,000 steps/);
      } else expect(finding.status).toBe('PASS');
    }
  });
});
