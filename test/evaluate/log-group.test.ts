/** Log group rules: joined by ARN (account, region, name), never by name; delivery; readability. */
import { edit, findLogGroup, findTrail, findingFor, healthy, logGroupArn } from './builders';

const ACCOUNT = '111111111111';
const TRAIL_GROUP = logGroupArn(ACCOUNT, 'us-east-1', 'cloudtrail-logs');

describe('Rule: log group', () => {
  it('joins the trail to its log group by ARN, with or without the trailing :*', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTrail(draft, 'main').cloudWatchLogsLogGroupArn = TRAIL_GROUP;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.logGroup).toBe(TRAIL_GROUP);
  });

  it('does not credit filters on a log group no trail writes to (regression)', () => {
    // Prepare: the filters live on 'security-logs'; the trail writes to an empty 'cloudtrail-logs'.
    const inventory = edit(healthy(), (draft) => {
      const group = findLogGroup(draft, 'cloudtrail-logs');
      const other = logGroupArn(ACCOUNT, 'us-east-1', 'security-logs');
      draft.logGroups[other] = { ...structuredClone(group), arn: other, name: 'security-logs' };
      group.metricFilters = [];
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('metricFilter');
    expect(finding.reason).toMatch(/^no metric filter on log group 'cloudtrail-logs' \(us-east-1\) catches usage of the root user/);
    expect(finding.evidence.logGroup).toBe(TRAIL_GROUP);
  });

  it('does not join a log group of the same name in another region', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const group = findLogGroup(draft, 'cloudtrail-logs');
      const europe = logGroupArn(ACCOUNT, 'eu-west-1', 'cloudtrail-logs');
      draft.logGroups[europe] = { ...structuredClone(group), arn: europe, region: 'eu-west-1' };
      group.metricFilters = [];
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage')).toMatchObject({ status: 'FAIL', brokenLink: 'metricFilter' });
  });

  it('does not join a log group of the same name in another account', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTrail(draft, 'main').cloudWatchLogsLogGroupArn = `${logGroupArn('999999999999', 'us-east-1', 'cloudtrail-logs')}:*`;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toBe("cannot verify: log group 'cloudtrail-logs' (account 999999999999, us-east-1) is in account 999999999999, which is not in this scan: scan account 999999999999 too");
  });

  it('fails when the trail does not deliver to CloudWatch Logs', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const main = findTrail(draft, 'main');
      delete main.cloudWatchLogsLogGroupArn;
      delete main.cloudWatchLogsRoleArn;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('logGroup');
    expect(finding.reason).toMatch(/^trail 'main' \(us-east-1\) does not deliver to CloudWatch Logs: send it to a log group with `aws cloudtrail update-trail --name main --cloud-watch-logs-log-group-arn/);
  });

  it('fails when the log group does not exist, as the collector records it', () => {
    // Prepare: DescribeMetricFilters answered ResourceNotFoundException.
    const inventory = edit(healthy(), (draft) => {
      delete findLogGroup(draft, 'cloudtrail-logs').metricFilters;
      draft.readErrors.push({ scope: 'metricFilters', resource: TRAIL_GROUP, region: 'us-east-1', code: 'NotFound', message: 'The specified log group does not exist.' });
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage')).toMatchObject({ status: 'FAIL', brokenLink: 'logGroup', reason: expect.stringMatching(/does not exist: create it or point the trail at an existing one/) });
  });

  it('fails when the log group does not exist', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      draft.logGroups = {};
      draft.readErrors.push({ scope: 'metricFilters', resource: TRAIL_GROUP, region: 'us-east-1', code: 'NotFound', message: 'The specified log group does not exist.' });
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('logGroup');
    expect(finding.reason).toMatch(/^log group 'cloudtrail-logs' \(us-east-1\), where trail 'main' \(us-east-1\) delivers, does not exist/);
  });

  it('is ERROR when the metric filters could not be read', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      delete findLogGroup(draft, 'cloudtrail-logs').metricFilters;
      draft.readErrors.push({ scope: 'metricFilters', resource: TRAIL_GROUP, region: 'us-east-1', code: 'AccessDenied', message: 'not authorized to perform: logs:DescribeMetricFilters' });
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.brokenLink).toBe('logGroup');
    expect(finding.reason).toBe(
      "cannot verify: trailwatch could not read the metric filters of log group 'cloudtrail-logs' (us-east-1) (AccessDenied: not authorized to perform: logs:DescribeMetricFilters)",
    );
  });

  it('is ERROR when the log group was not collected at all', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      draft.logGroups = {};
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage')).toMatchObject({ status: 'ERROR', reason: expect.stringMatching(/\(it was not collected\)$/) });
  });

  it('fails when the trail has never delivered to its log group', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTrail(draft, 'main').status = { isLogging: true, latestCloudWatchLogsDeliveryError: 'AccessDeniedException' };
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('logGroup');
    expect(finding.reason).toMatch(/^trail 'main' \(us-east-1\) has never delivered to log group 'cloudtrail-logs' \(us-east-1\) \(CloudWatch Logs said 'AccessDeniedException'\): check that role 'arn:aws:iam::111111111111:role\/CloudTrail_CloudWatchLogs_Role' may write to it$/);
  });

  it('passes with a warning when an old delivery error is followed by deliveries', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTrail(draft, 'main').status = { isLogging: true, latestCloudWatchLogsDeliveryError: 'ThrottlingException', latestCloudWatchLogsDeliveryTime: '2025-01-15T11:59:00.000Z' };
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toEqual([expect.stringMatching(/last reported a CloudWatch Logs delivery error \('ThrottlingException'\)/)]);
  });
});
