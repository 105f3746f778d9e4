/** Alarm rules, on inventory fixtures. */
import { edit, findAlarm, findFilter, findingFor, healthy } from './builders';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:cis-alarms';

describe('Rule: alarm', () => {
  it('passes on the same metric name and namespace, Sum >= 1 in one period, actions enabled, an SNS action', () => {
    // Act
    const finding = findingFor(healthy(), 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.alarm).toBe('arn:aws:cloudwatch:us-east-1:111111111111:alarm:root-usage');
    expect(finding.reason).toBe(
      "alarm 'root-usage' (us-east-1) fires on usage of the root user in every in-scope region through trail 'main' (us-east-1) and filter 'root-usage' on log group 'cloudtrail-logs' (us-east-1), and notifies topic 'cis-alarms' (us-east-1), which has a confirmed subscription",
    );
  });

  it('fails an alarm on the right metric name in the wrong namespace (regression)', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findAlarm(draft, 'root-usage').namespace = 'LogMetrics';
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('alarm');
    expect(finding.reason).toMatch(/^alarm 'root-usage' \(us-east-1\) watches RootUsage in namespace 'LogMetrics', but filter 'root-usage' publishes it in 'CISBenchmark': point the alarm at CISBenchmark\/RootUsage with `aws cloudwatch put-metric-alarm --alarm-name root-usage --metric-name RootUsage --namespace CISBenchmark /);
    expect(finding.evidence.alarm).toBe('arn:aws:cloudwatch:us-east-1:111111111111:alarm:root-usage');
  });

  it('fails when no alarm watches the metric', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      draft.alarms['us-east-1'] = draft.alarms['us-east-1']!.filter((alarm) => alarm.name !== 'root-usage');
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('alarm');
    expect(finding.reason).toMatch(/^no alarm in region 'us-east-1' watches metric CISBenchmark\/RootUsage of filter 'root-usage': create one with `aws cloudwatch put-metric-alarm --alarm-name root-usage /);
  });

  it('does not credit an alarm in another region', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const alarm = findAlarm(draft, 'root-usage');
      draft.alarms['us-east-1'] = draft.alarms['us-east-1']!.filter((candidate) => candidate.name !== 'root-usage');
      draft.alarms['eu-west-1'] = [{ ...alarm, region: 'eu-west-1', arn: alarm.arn.replace('us-east-1', 'eu-west-1') }];
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage')).toMatchObject({ status: 'FAIL', brokenLink: 'alarm' });
  });

  it('fails when actions are disabled, with the enable-alarm-actions command (regression)', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findAlarm(draft, 'root-usage').actionsEnabled = false;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('alarm');
    expect(finding.reason).toBe("alarm 'root-usage' (us-east-1) has actions disabled: enable them with `aws cloudwatch enable-alarm-actions --alarm-names root-usage --region us-east-1`");
    expect(finding.fix).toBe('aws cloudwatch enable-alarm-actions --alarm-names root-usage --region us-east-1');
  });

  it('fails a threshold of 5, which one event never reaches (regression)', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findAlarm(draft, 'root-usage').threshold = 5;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.reason).toMatch(/^alarm 'root-usage' \(us-east-1\) fires only when Sum >= 5, which takes 5 matching events in one period: set the threshold to 1 with `aws cloudwatch put-metric-alarm .*--threshold 1 --comparison-operator GreaterThanOrEqualToThreshold/);
  });

  it.each([
    ['GreaterThanThreshold', 0, 'PASS'],
    ['GreaterThanThreshold', 1, 'FAIL'],
    ['GreaterThanOrEqualToThreshold', 1, 'PASS'],
    ['LessThanThreshold', 1, 'FAIL'],
    ['LessThanOrEqualToThreshold', 0, 'FAIL'],
    ['LessThanLowerOrGreaterThanUpperThreshold', undefined, 'ERROR'],
  ] as const)('judges %s %s as %s', (comparisonOperator, threshold, status) => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const alarm = findAlarm(draft, 'root-usage');
      alarm.comparisonOperator = comparisonOperator;
      if (threshold === undefined) delete alarm.threshold;
      else alarm.threshold = threshold;
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage').status).toBe(status);
  });

  it('passes a threshold reached by one event of a larger metric value', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findFilter(draft, 'root-usage').transformations[0]!.metricValue = '5';
      findAlarm(draft, 'root-usage').threshold = 5;
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
  });

  it.each([
    ['SampleCount', undefined, 'PASS'],
    ['Maximum', 0, 'PASS'],
    ['Average', undefined, 'PASS'],
    ['Average', 0, 'FAIL'],
    ['Minimum', 0, 'FAIL'],
  ] as const)('judges statistic %s with default value %s as %s', (statistic, defaultValue, status) => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findAlarm(draft, 'root-usage').statistic = statistic;
      if (defaultValue !== undefined) findFilter(draft, 'root-usage').transformations[0]!.defaultValue = defaultValue;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe(status);
    if (status === 'FAIL') expect(finding.reason).toMatch(new RegExp(`uses statistic ${statistic}, but filter 'root-usage' also emits its default value 0 for every other log event`));
  });

  it('passes a percentile statistic when the filter has no default value', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const alarm = findAlarm(draft, 'root-usage');
      delete alarm.statistic;
      alarm.extendedStatistic = 'p99';
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
  });

  it('fails when more than one breaching period is needed', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const alarm = findAlarm(draft, 'root-usage');
      alarm.evaluationPeriods = 3;
      delete alarm.datapointsToAlarm;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.reason).toMatch(/^alarm 'root-usage' \(us-east-1\) needs 3 breaching periods out of 3 before it fires, so a single event never fires it: set datapoints-to-alarm to 1/);
  });

  it('passes one datapoint out of three', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const alarm = findAlarm(draft, 'root-usage');
      alarm.evaluationPeriods = 3;
      alarm.datapointsToAlarm = 1;
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
  });

  it('fails when the alarm notifies no SNS topic', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findAlarm(draft, 'root-usage').alarmActions = ['arn:aws:lambda:us-east-1:111111111111:function:page-oncall'];
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('alarm');
    expect(finding.reason).toMatch(/^alarm 'root-usage' \(us-east-1\) notifies no SNS topic when it fires: add one to its alarm actions with `aws cloudwatch put-metric-alarm .*--alarm-actions <sns-topic-arn>/);
  });

  it('reports the first problem and keeps the others as warnings', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const alarm = findAlarm(draft, 'root-usage');
      alarm.threshold = 5;
      alarm.actionsEnabled = false;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.reason).toMatch(/fires only when Sum >= 5/);
    expect(finding.warnings).toEqual([expect.stringMatching(/^also: alarm 'root-usage' \(us-east-1\) has actions disabled/)]);
  });

  describe('dimensions', () => {
    it('fails when the filter publishes dimensions the alarm does not watch', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'root-usage').transformations[0]!.dimensions = { EventName: '$.eventName' };
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/^alarm 'root-usage' \(us-east-1\) watches RootUsage with no dimensions, but filter 'root-usage' publishes it with dimensions EventName=\$\.eventName, so the alarm sees none of its data/);
    });

    it('is ERROR when the alarm watches one value of the dimension the filter publishes', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        findFilter(draft, 'root-usage').transformations[0]!.dimensions = { EventName: '$.eventName' };
        findAlarm(draft, 'root-usage').dimensions = [{ name: 'EventName', value: 'ConsoleLogin' }];
      });

      // Act & Assess
      expect(findingFor(inventory, 'root_usage')).toMatchObject({ status: 'ERROR', brokenLink: 'alarm' });
    });
  });

  describe('metric math', () => {
    it('passes the plain case: one returned query on the metric', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const alarm = findAlarm(draft, 'root-usage');
        delete alarm.metricName;
        delete alarm.namespace;
        delete alarm.statistic;
        delete alarm.period;
        alarm.metrics = [{ id: 'm1', returnData: true, metricStat: { metricName: 'RootUsage', namespace: 'CISBenchmark', dimensions: [], period: 300, stat: 'Sum' } }];
      });

      // Act & Assess
      expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
    });

    it('is ERROR "cannot verify" for an expression', () => {
      // Prepare
      const inventory = edit(healthy(), (draft) => {
        const alarm = findAlarm(draft, 'root-usage');
        delete alarm.metricName;
        delete alarm.namespace;
        delete alarm.statistic;
        alarm.metrics = [
          { id: 'm1', returnData: false, metricStat: { metricName: 'RootUsage', namespace: 'CISBenchmark', dimensions: [], period: 300, stat: 'Sum' } },
          { id: 'e1', expression: 'RATE(m1)', returnData: true },
        ];
      });

      // Act
      const finding = findingFor(inventory, 'root_usage');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.reason).toBe("cannot verify: trailwatch cannot verify that alarm 'root-usage' (us-east-1) fires on a single event: it uses metric math ('RATE(m1)')");
    });
  });

  it('is ERROR when the alarms of the region could not be read', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      delete draft.alarms['us-east-1'];
      draft.readErrors.push({ scope: 'alarms', region: 'us-east-1', code: 'Throttled', message: 'Rate exceeded' });
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.brokenLink).toBe('alarm');
    expect(finding.reason).toBe("cannot verify: trailwatch could not read the alarms of region 'us-east-1' (Throttled: Rate exceeded)");
  });

  it('keeps the topic in the evidence of a complete chain', () => {
    // Act & Assess
    expect(findingFor(healthy(), 'vpc_changes').evidence.topic).toBe(TOPIC);
  });
});

describe('Rule: alarm stuck in ALARM', () => {
  // The fixture was collected at 2025-01-15T12:00:00Z: "more than a day" is judged against that, never the clock.
  const inAlarmSince = (since: string, treatMissingData = 'notBreaching') =>
    edit(healthy(), (draft) => {
      Object.assign(findAlarm(draft, 'root-usage'), { stateValue: 'ALARM', stateUpdatedTimestamp: since, treatMissingData });
    });

  it('passes with a warning giving the date when the alarm has been in ALARM for more than a day', () => {
    // Act
    const finding = findingFor(inAlarmSince('2025-01-12T08:30:00.000Z'), 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toEqual([
      "alarm 'root-usage' (us-east-1) has been in ALARM since 2025-01-12 08:30 UTC, 3 days before this scan (its filter keeps matching, or its data keeps it there), and an alarm notifies only when its state changes: the next matching event will notify nobody. Find out why it stays in ALARM, then reset it with `aws cloudwatch set-alarm-state --alarm-name root-usage --state-value OK --state-reason 'reset after checking why it stayed in ALARM' --region us-east-1`",
    ]);
  });

  it('says why when missing data keeps the alarm in ALARM', () => {
    // Act
    const breaching = findingFor(inAlarmSince('2025-01-14T11:59:00.000Z', 'breaching'), 'root_usage');
    const ignoring = findingFor(inAlarmSince('2025-01-14T11:59:00.000Z', 'ignore'), 'root_usage');

    // Assess
    expect(breaching.warnings?.[0]).toMatch(/since 2025-01-14 11:59 UTC, 1 day before this scan \(it treats missing data as breaching, so it stays in ALARM while no event comes\)/);
    expect(ignoring.warnings?.[0]).toMatch(/\(it ignores missing data, so nothing brings it back to OK\)/);
  });

  it.each([
    ['in ALARM for less than a day', { stateValue: 'ALARM', stateUpdatedTimestamp: '2025-01-14T12:00:01.000Z' }],
    ['OK for a long time', { stateValue: 'OK', stateUpdatedTimestamp: '2024-01-01T00:00:00.000Z' }],
    ['INSUFFICIENT_DATA for a long time', { stateValue: 'INSUFFICIENT_DATA', stateUpdatedTimestamp: '2024-01-01T00:00:00.000Z' }],
    ['in ALARM since a date that is no date', { stateValue: 'ALARM', stateUpdatedTimestamp: 'yesterday' }],
    ['in ALARM, read by an older trailwatch (no timestamp)', { stateValue: 'ALARM' }],
  ])('gives no warning for an alarm %s', (_name, state) => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      Object.assign(findAlarm(draft, 'root-usage'), state);
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toBeUndefined();
  });

  it('keeps the warning next to a failure of the same alarm', () => {
    // Prepare
    const inventory = edit(inAlarmSince('2025-01-10T00:00:00.000Z'), (draft) => {
      findAlarm(draft, 'root-usage').actionsEnabled = false;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'alarm' });
    expect(finding.warnings).toEqual([expect.stringMatching(/has been in ALARM since 2025-01-10 00:00 UTC, 5 days before this scan/)]);
  });
});
