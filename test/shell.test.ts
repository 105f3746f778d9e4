/**
 * src/shell.ts and the fix commands findings carry (src/evaluate/fixes.ts): each value reaches the
 * AWS CLI as one argument, byte for byte, whatever a member account named it — proven by running
 * the commands with /bin/sh and a stub `aws` that records its argv.
 */
import type { AlarmRecord } from '../src/collect/inventory';
import * as fixes from '../src/evaluate/fixes';
import { NO_COMMAND, awsCli, hasControlCharacters, isCommand, printable, shellQuote } from '../src/shell';
import { HOSTILE_NAMES, gaveVerbatim, runWithStubAws } from './support/stub-aws';

describe('Module: shell', () => {
  it('quotes only what needs it', () => {
    expect(shellQuote('cloudtrail/main-1')).toBe('cloudtrail/main-1');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's $(x)")).toBe("'it'\\''s $(x)'");
  });

  it('writes every control character as a visible escape, so a line stays one line', () => {
    expect(printable('a\nb\r\tc\u0000\u001b[31m\u007f\u0085\u009b\u2028\u2029')).toBe('a\\nb\\r\\tc\\x00\\x1b[31m\\x7f\\x85\\x9b\\u2028\\u2029');
    expect(printable('naïve – ok')).toBe('naïve – ok');
    for (const name of HOSTILE_NAMES) expect(hasControlCharacters(printable(name))).toBe(false);
  });

  it('gives a value starting with "-" as --flag=value', () => {
    expect(awsCli('logs', 'delete-metric-filter', { 'log-group-name': '--debug', 'filter-name': 'x', region: 'us-east-1' })).toBe(
      'aws logs delete-metric-filter --log-group-name=--debug --filter-name x --region us-east-1',
    );
  });

  it('offers no command for a value the AWS CLI would read as a local file', () => {
    const text = awsCli('cloudwatch', 'enable-alarm-actions', { 'alarm-names': 'FILE:///home/me/.aws/credentials', region: 'us-east-1' });

    expect(isCommand(text)).toBe(false);
    expect(text.startsWith(NO_COMMAND)).toBe(true);
    expect(text).toContain("'FILE:///home/me/.aws/credentials'");
  });

  it.each(HOSTILE_NAMES.map((name) => [printable(name), name]))('passes the name "%s" to aws verbatim in every fix command, and runs nothing else', (_label, name) => {
    // Prepare
    const alarm: AlarmRecord = {
      name,
      arn: `arn:aws:cloudwatch:us-east-1:111111111111:alarm:${name}`,
      region: 'us-east-1',
      metricName: name,
      namespace: name,
      dimensions: [{ name: 'Name', value: name }],
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      actionsEnabled: false,
      alarmActions: ['arn:aws:sns:us-east-1:111111111111:alerts'],
    };
    const commands = [
      fixes.startLogging(name, 'us-east-1'),
      fixes.makeMultiRegion(name, 'us-east-1'),
      fixes.includeGlobalServiceEvents(name, 'us-east-1'),
      fixes.logAllManagementEvents(name, 'us-east-1'),
      fixes.putMetricFilter({ logGroupName: name, filterName: name, pattern: name, metricName: 'M', metricNamespace: 'N', region: 'us-east-1' }),
      fixes.repairAlarm(alarm, { name, namespace: name, dimensions: { [name]: 'v' } }),
      fixes.enableAlarmActions(name, 'us-east-1'),
      fixes.createTopic(name, 'us-east-1'),
    ];
    // Act
    const run = runWithStubAws(['set -eu', ...commands].join('\n'));
    // Assess
    expect(run.leftovers).toEqual([]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.invocations).toHaveLength(commands.length);
    for (const flag of ['name', 'trail-name', 'log-group-name', 'filter-name', 'filter-pattern', 'alarm-name', 'metric-name', 'namespace', 'alarm-names']) {
      expect(`--${flag} ${gaveVerbatim(run.invocations, flag, name)}`).toBe(`--${flag} true`);
    }
  });
});
