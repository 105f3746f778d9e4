import { exitCodeOf } from '../../src/cli/report-output';
import { applyExceptions, exceptReport, type ExceptionRule } from '../../src/exceptions';
import { finding, sampleReport } from '../report/fixtures';

const NOW = new Date('2026-12-04T15:00:00Z');

function rule(overrides: Partial<ExceptionRule> & Pick<ExceptionRule, 'entry'>): ExceptionRule {
  return { accounts: [], ous: [], checks: 'all', reason: 'accepted', approvedBy: 'ciso@example.com', expires: '2027-01-31', ...overrides };
}

const FAIL_EU = finding({ accountId: '222222222222', check: 'vpc_changes', control: '4.14', status: 'FAIL', brokenLink: 'trail', uncoveredRegions: ['eu-west-1'] });
const FAIL_BOTH = finding({ accountId: '222222222222', check: 'nacl_changes', control: '4.11', status: 'FAIL', brokenLink: 'trail', uncoveredRegions: ['us-east-1', 'eu-west-1'] });
const PASSING = finding({ accountId: '222222222222', check: 'root_usage', control: '4.3', status: 'PASS' });
const ERROR_OTHER = finding({ accountId: '333333333333', check: 'root_usage', control: '4.3', status: 'ERROR', reason: 'AccessDenied' });

describe('applyExceptions', () => {
  it('excepts a FAIL or ERROR finding of a listed account, keeping its status', () => {
    const { findings, outcome } = applyExceptions([FAIL_EU, ERROR_OTHER], { rules: [rule({ entry: 1, accounts: ['222222222222', '333333333333'], kind: 'siem' })] }, { now: NOW });

    expect(findings.map((f) => [f.status, f.exception])).toEqual([
      ['FAIL', { reason: 'accepted', approvedBy: 'ciso@example.com', expires: '2027-01-31', kind: 'siem' }],
      ['ERROR', { reason: 'accepted', approvedBy: 'ciso@example.com', expires: '2027-01-31', kind: 'siem' }],
    ]);
    expect(outcome).toEqual({ applied: 2, expired: [], stale: [] });
  });

  it('never excepts a PASS, and calls an entry whose findings all pass stale', () => {
    const { findings, outcome } = applyExceptions([PASSING], { rules: [rule({ entry: 1, id: 'old', accounts: ['222222222222'], checks: ['root_usage'] })] }, { now: NOW });

    expect(findings[0]?.exception).toBeUndefined();
    expect(outcome.stale).toEqual([{ entry: 1, id: 'old', why: 'every finding in its scope passes: the risk it accepts is gone, remove the entry' }]);
  });

  it('matches accounts under an OU at any depth when discovery says where each account is', () => {
    const parents = { '222222222222': ['r-ab12', 'ou-ab12-11111111', 'ou-ab12-22222222'] };
    const rules = { rules: [rule({ entry: 1, ous: ['ou-ab12-11111111'] })] };

    expect(applyExceptions([FAIL_EU], rules, { now: NOW, accountParents: parents }).findings[0]?.exception).toBeDefined();
    expect(applyExceptions([ERROR_OTHER], rules, { now: NOW, accountParents: parents }).findings[0]?.exception).toBeUndefined();
    expect(applyExceptions([FAIL_EU], rules, { now: NOW }).outcome.stale[0]?.why).toBe(
      'it names organizational units, and this scan does not know which unit each account is in',
    );
  });

  it('with regions, excepts a finding only when every region it leaves uncovered is named', () => {
    const rules = { rules: [rule({ entry: 1, accounts: ['222222222222'], regions: ['eu-west-1'] })] };
    const { findings } = applyExceptions([FAIL_EU, FAIL_BOTH], rules, { now: NOW });

    expect(findings.map((f) => f.exception !== undefined)).toEqual([true, false]);
  });

  it('applies through the expiry day and not after; the expired entry is reported with what it would cover', () => {
    const rules = { rules: [rule({ entry: 1, id: 'last-day', accounts: ['222222222222'], expires: '2026-12-04' })] };

    expect(applyExceptions([FAIL_EU], rules, { now: new Date('2026-12-04T23:59:59Z') }).findings[0]?.exception).toBeDefined();
    const after = applyExceptions([FAIL_EU, FAIL_BOTH], rules, { now: new Date('2026-12-05T00:00:00Z') });
    expect(after.findings.every((f) => f.exception === undefined)).toBe(true);
    expect(after.outcome).toEqual({ applied: 0, expired: [{ entry: 1, id: 'last-day', expires: '2026-12-04', findings: 2 }], stale: [] });
  });

  it('gives a finding the first entry that matches; a later entry it shadows is stale and says why', () => {
    const rules = {
      rules: [rule({ entry: 1, accounts: ['222222222222'], reason: 'first' }), rule({ entry: 2, accounts: ['222222222222'], checks: ['vpc_changes'], reason: 'second' })],
    };
    const { findings, outcome } = applyExceptions([FAIL_EU], rules, { now: NOW });

    expect(findings[0]?.exception?.reason).toBe('first');
    expect(outcome.stale).toEqual([{ entry: 2, why: 'an earlier entry excepts every finding it covers' }]);
  });

  it('says when an entry names nothing this scan covered, or fails only outside its regions', () => {
    const rules = {
      rules: [rule({ entry: 1, accounts: ['999999999999'] }), rule({ entry: 2, accounts: ['222222222222'], checks: ['nacl_changes'], regions: ['eu-west-1'] })],
    };

    expect(applyExceptions([FAIL_BOTH], rules, { now: NOW }).outcome.stale).toEqual([
      { entry: 1, why: 'no finding of this scan is in its scope (its accounts, units and checks)' },
      { entry: 2, why: 'its findings fail in regions it does not name (eu-west-1)' },
    ]);
  });
});

describe('exceptReport', () => {
  it('counts excepted findings apart, and only unexcepted FAIL or ERROR make exit code 1', () => {
    const sample = sampleReport();
    const report = { ...sample, accounts: sample.accounts.filter((a) => a.status === 'SCANNED') };
    const failing = report.findings.filter((f) => f.status !== 'PASS');
    const accounts = [...new Set(failing.map((f) => f.accountId))];

    const all = exceptReport(report, { source: 'x.yml', rules: [rule({ entry: 1, accounts })] }, { now: NOW });
    expect(all.summary).toEqual({ pass: report.summary.pass, fail: 0, error: 0, excepted: failing.length });
    expect(all.exceptions).toMatchObject({ source: 'x.yml', applied: failing.length });
    expect(exitCodeOf(all)).toBe(0);

    const some = exceptReport(report, { rules: [rule({ entry: 1, accounts, checks: [failing[0]?.check ?? 'root_usage'] })] }, { now: NOW });
    expect(some.summary.excepted).toBeGreaterThan(0);
    expect(some.summary.fail + some.summary.error).toBeGreaterThan(0);
    expect(exitCodeOf(some)).toBe(1);
  });

  it('lets an account that could not be scanned pass only when an exception covers each of its findings', () => {
    const sample = sampleReport();
    const unscanned = sample.accounts.find((a) => a.status === 'ERROR')?.accountId as string;
    const report = { ...sample, findings: [ERROR_OTHER].map((f) => ({ ...f, accountId: unscanned })), summary: { pass: 0, fail: 0, error: 1 } };

    expect(exitCodeOf(exceptReport(report, { rules: [rule({ entry: 1, accounts: [unscanned] })] }, { now: NOW }))).toBe(0);
    expect(exitCodeOf(exceptReport({ ...report, findings: [] }, { rules: [rule({ entry: 1, accounts: [unscanned] })] }, { now: NOW }))).toBe(1);
  });
});
