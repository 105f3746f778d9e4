import { diffReports, hasChanges, mergeBaseline } from '../../src/report/diff';
import { finding, report } from '../notify/fixtures';

describe('diffReports', () => {
  it('calls a finding new when it fails now and passed or was absent before', () => {
    // Prepare
    const previous = report([finding('111111111111', 'root_usage', 'PASS')]);
    const current = report([finding('111111111111', 'root_usage', 'FAIL'), finding('222222222222', 'root_usage', 'ERROR')]);
    // Act
    const diff = diffReports(previous, current);
    // Assess
    expect(diff.appeared.map((c) => [c.finding.accountId, c.previousStatus])).toEqual([
      ['111111111111', 'PASS'],
      ['222222222222', null],
    ]);
    expect(diff.fixed).toEqual([]);
  });

  it('calls a finding fixed when it passes now and failed before', () => {
    const previous = report([finding('111111111111', 'root_usage', 'FAIL'), finding('111111111111', 'vpc_changes', 'ERROR')]);
    const current = report([finding('111111111111', 'root_usage', 'PASS'), finding('111111111111', 'vpc_changes', 'PASS')]);

    const diff = diffReports(previous, current);

    expect(diff.fixed.map((c) => [c.finding.check, c.previousStatus])).toEqual([
      ['root_usage', 'FAIL'],
      ['vpc_changes', 'ERROR'],
    ]);
    expect(hasChanges(diff)).toBe(true);
  });

  it('tells FAIL turning into ERROR apart from an unchanged failure', () => {
    const previous = report([finding('111111111111', 'root_usage', 'FAIL'), finding('111111111111', 'vpc_changes', 'FAIL')]);
    const current = report([finding('111111111111', 'root_usage', 'ERROR'), finding('111111111111', 'vpc_changes', 'FAIL')]);

    const diff = diffReports(previous, current);

    expect(diff.changed.map((c) => c.finding.check)).toEqual(['root_usage']);
    expect(diff.unchangedFailing).toBe(1);
    expect(diff.appeared).toEqual([]);
  });

  it('ignores findings the current scan did not cover (a narrowed scan is not a fix)', () => {
    const previous = report([finding('111111111111', 'root_usage', 'FAIL'), finding('222222222222', 'root_usage', 'FAIL')]);
    const current = report([finding('111111111111', 'root_usage', 'FAIL')]);

    const diff = diffReports(previous, current);

    expect(hasChanges(diff)).toBe(false);
  });
});

describe('mergeBaseline', () => {
  it('keeps previous findings the current scan did not cover and recounts the summary', () => {
    const previous = report([finding('111111111111', 'root_usage', 'FAIL'), finding('222222222222', 'root_usage', 'FAIL')]);
    const current = report([finding('111111111111', 'root_usage', 'PASS')]);

    const merged = mergeBaseline(previous, current);

    expect(merged.findings.map((f) => [f.accountId, f.status]).sort()).toEqual([
      ['111111111111', 'PASS'],
      ['222222222222', 'FAIL'],
    ]);
    expect(merged.summary).toEqual({ pass: 1, fail: 1, error: 0 });
    expect(merged.accounts.map((a) => a.accountId).sort()).toEqual(['111111111111', '222222222222']);
  });

  it('starts over when the benchmark changed', () => {
    const previous = report([finding('222222222222', 'root_usage', 'FAIL')], { benchmark: 'cis-aws-v3.0.0' });
    const current = report([finding('111111111111', 'root_usage', 'PASS')]);

    expect(mergeBaseline(previous, current)).toBe(current);
  });
});
