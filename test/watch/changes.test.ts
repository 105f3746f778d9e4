import type { Finding } from '../../src/evaluate/types';
import { changeLine, changeMessage, findingChanges } from '../../src/watch/changes';
import { parseEventBridgeEvent } from '../../src/watch/events';
import { watchedEvent } from './fixtures/events';

const ACCOUNT = '111111111111';

function finding(check: Finding['check'], status: Finding['status'], brokenLink: Finding['brokenLink'] = null): Finding {
  return { accountId: ACCOUNT, check, control: '4.10', status, coveredRegions: [], uncoveredRegions: [], brokenLink, reason: `${check} is ${status}`, evidence: {}, ...(status === 'FAIL' ? { fix: 'aws logs put-metric-filter ...' } : {}) };
}

const baseline = {
  accounts: [{ accountId: ACCOUNT, name: 'prod', status: 'SCANNED' as const }],
  findings: [finding('security_group_changes', 'PASS'), finding('root_usage', 'FAIL', 'alarm'), finding('vpc_changes', 'FAIL', 'metricFilter')],
};
const deleteFilter = parseEventBridgeEvent(watchedEvent('DeleteMetricFilter', { accountId: ACCOUNT, eventTime: '2026-12-04T09:00:12Z', eventID: 'e1' }));
const putAlarm = parseEventBridgeEvent(watchedEvent('PutMetricAlarm', { accountId: ACCOUNT, eventTime: '2026-12-04T09:00:05Z', eventID: 'e2', actorArn: 'arn:aws:iam::111111111111:user/fixer' }));

describe('findingChanges', () => {
  it('reports a break and a fix, each naming the call on the link concerned; unchanged verdicts are not reported', () => {
    // Act
    const changes = findingChanges(
      baseline,
      [finding('security_group_changes', 'FAIL', 'metricFilter'), finding('root_usage', 'PASS'), finding('vpc_changes', 'FAIL', 'metricFilter')],
      () => [deleteFilter, putAlarm],
    );
    // Assess
    expect(changes.map((c) => [c.check, c.previousStatus, c.status, c.cause.eventID])).toEqual([
      ['security_group_changes', 'PASS', 'FAIL', 'e1'],
      ['root_usage', 'FAIL', 'PASS', 'e2'],
    ]);
    expect(changeLine(changes[0] as (typeof changes)[0])).toBe(
      'trailwatch: security_group_changes FAIL in 111111111111 (prod) — DeleteMetricFilter by arn:aws:sts::111111111111:assumed-role/Admin/ops-session from 203.0.113.7 at 2026-12-04T09:00:12Z',
    );
  });

  it('blames the latest call when none is on the broken link, and a new failing finding counts as a change', () => {
    const changes = findingChanges({ accounts: [], findings: [] }, [finding('vpc_changes', 'FAIL', 'topic'), finding('root_usage', 'PASS')], () => [putAlarm, deleteFilter]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ previousStatus: null, cause: { eventID: 'e1' } });
  });

  it('keeps control characters and over-long text of the event out of the message', () => {
    const hostile = parseEventBridgeEvent(watchedEvent('DeleteMetricFilter', { accountId: ACCOUNT, actorArn: `arn:aws:iam::111111111111:user/x\n\u001b[31mSubject: y${'z'.repeat(600)}` }));
    const [change] = findingChanges(baseline, [finding('security_group_changes', 'FAIL', 'metricFilter')], () => [hostile]);
    const message = changeMessage([change as NonNullable<typeof change>], { benchmark: 'cis-aws-v4.0.0', checkedAt: '2026-12-04T09:00:30Z' });
    const { email } = JSON.parse(message.message) as { email: string };
    const line = email.split('\n').find((l) => l.startsWith('trailwatch: security_group_changes')) ?? '';
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line.length).toBeLessThan(450);
    expect(message.subject).toBe('trailwatch: security_group_changes FAIL in 111111111111 (DeleteMetricFilter)');
  });

  it('builds one message whose JSON carries every change with its actor and whose subject stays within SNS limits', () => {
    const changes = findingChanges(baseline, [finding('security_group_changes', 'FAIL', 'metricFilter'), finding('root_usage', 'PASS')], () => [deleteFilter, putAlarm]);
    const message = changeMessage(changes, { benchmark: 'cis-aws-v4.0.0', checkedAt: '2026-12-04T09:00:30Z', baselineFinishedAt: '2026-12-04T06:01:00Z' });
    const notice = JSON.parse((JSON.parse(message.message) as { default: string }).default) as { kind: string; changes: { cause: { arn: string; sourceIPAddress: string; eventTime: string; eventID: string } }[] };
    expect(notice.kind).toBe('trailwatch.change');
    expect(notice.changes[0]?.cause).toMatchObject({ arn: 'arn:aws:sts::111111111111:assumed-role/Admin/ops-session', sourceIPAddress: '203.0.113.7', eventTime: '2026-12-04T09:00:12Z', eventID: 'e1' });
    expect(message.subject).toBe('trailwatch: 2 changes in 1 account(s) (DeleteMetricFilter, PutMetricAlarm)');
    expect(message.attributes.kind).toEqual({ DataType: 'String', StringValue: 'change' });
    expect(message.attributes.part).toBeUndefined();
  });
});
