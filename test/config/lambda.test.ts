import { ConfigurationError, PayloadError, loadLambdaSettings, parseScanEvent } from '../../src/config';

const scheduledEvent = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2025-11-20T06:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/trailwatch-prod-ScanEventsRuleSchedule1'],
  detail: {},
};

function payloadIssues(event: unknown): string[] {
  try {
    parseScanEvent(event);
  } catch (error) {
    if (error instanceof PayloadError) return error.issues.map((i) => `${i.field}: ${i.message}`);
    throw error;
  }
  throw new Error('expected a PayloadError');
}

describe('parseScanEvent', () => {
  it('scans everything for the scheduled event', () => {
    expect(parseScanEvent(scheduledEvent)).toEqual({ payload: {}, trigger: { kind: 'schedule', time: '2025-11-20T06:00:00Z' } });
  });

  it('scans everything for an empty manual payload', () => {
    expect(parseScanEvent({})).toEqual({ payload: {}, trigger: { kind: 'manual' } });
    expect(parseScanEvent(null)).toEqual({ payload: {}, trigger: { kind: 'manual' } });
  });

  it('narrows the scan with a manual payload, accepting a benchmark short form', () => {
    const { payload } = parseScanEvent({
      benchmark: 'v5.0',
      checks: ['root_usage', 'vpc_changes'],
      accounts: ['111111111111'],
      regions: ['eu-west-1', 'us-gov-west-1'],
      notify: false,
      readEveryAccount: true,
    });

    expect(payload).toEqual({
      benchmark: 'cis-aws-v5.0.0',
      checks: ['root_usage', 'vpc_changes'],
      accounts: ['111111111111'],
      regions: ['eu-west-1', 'us-gov-west-1'],
      notify: false,
      readEveryAccount: true,
    });
  });

  it.each([
    [{ benchmark: 'v9' }, "benchmark: unknown benchmark 'v9': use one of cis-aws-v1.2.0"],
    [{ benchmark: 4 }, 'benchmark: Invalid input: expected string, received number'],
    [{ checks: ['root_usage', 'root-usage'] }, "checks[1]: 'root-usage' is not a check (one of unauthorized_api_calls,"],
    [{ checks: 'root_usage' }, "checks: expected a list of checks, got 'root_usage'"],
    [{ checks: [] }, 'checks: an empty list would scan no checks'],
    [{ accounts: ['1234'] }, "accounts[0]: '1234' is not a 12-digit account ID"],
    [{ accounts: [111111111111] }, 'accounts[0]: 111111111111 is not an account ID'],
    [{ accounts: ['111111111111', '111111111111'] }, "accounts[1]: '111111111111' is listed twice"],
    [{ regions: ['eu-west'] }, "regions[0]: 'eu-west' is not a region name (e.g. eu-west-1)"],
    [{ notify: 'no' }, "notify: expected true or false, got 'no'"],
    [{ readEveryAccount: 'yes' }, "readEveryAccount: expected true or false, got 'yes'"],
    [{ acounts: ['111111111111'] }, 'acounts: unknown field (expected benchmark, checks, accounts, regions, notify, readEveryAccount, doctor, approve, reject)'],
    ['scan everything', '(payload): expected an object with benchmark, checks, accounts, regions, notify, readEveryAccount, doctor, approve, reject'],
    [[], '(payload): expected an object'],
  ])('refuses %j, naming the field', (event, expected) => {
    const issues = payloadIssues(event);

    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain(expected);
  });

  it('names every wrong field at once', () => {
    // Act
    const issues = payloadIssues({ checks: ['nope'], accounts: ['1'], regions: 'x', extra: 1 });
    // Assess
    expect(issues.map((i) => i.split(':')[0])).toEqual(['checks[0]', 'accounts[0]', 'regions', 'extra']);
  });

  it('takes {"doctor": true} alone: the doctor scans nothing, so nothing may narrow a scan next to it', () => {
    expect(parseScanEvent({ doctor: true })).toEqual({ payload: { doctor: true }, trigger: { kind: 'manual' } });
    expect(payloadIssues({ doctor: false })).toEqual(['doctor: expected true, got false']);
    expect(payloadIssues({ doctor: true, checks: ['root_usage'] })).toEqual(['checks: the doctor checks the deployment and scans nothing: send {"doctor": true} alone']);
  });

  it('says "invalid payload" and the fields in its message', () => {
    expect(() => parseScanEvent({ accounts: ['1'] })).toThrow("invalid payload: accounts[0]: '1' is not a 12-digit account ID");
  });
});

describe('loadLambdaSettings', () => {
  const minimal = {
    FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:trailwatch-prod-findings',
    MEMBER_ROLE_NAME: 'trailwatch-member-read',
    AWS_REGION: 'us-east-1',
  };

  it('fills in the defaults from a minimal environment', () => {
    expect(loadLambdaSettings(minimal)).toEqual({
      benchmark: 'cis-aws-v4.0.0',
      roleName: 'trailwatch-member-read',
      concurrency: 16,
      deadlineMarginMs: 60_000,
      homeRegion: 'us-east-1',
      notify: { topicArn: minimal.FINDINGS_TOPIC_ARN, when: 'on-fail', level: 'info' },
    });
  });

  it.each(['cis-aws-v7.0.0', 'v7.0.0', '7'])('takes CIS v7.0.0 as the benchmark, written %j', (written) => {
    expect(loadLambdaSettings({ ...minimal, BENCHMARK: written }).benchmark).toBe('cis-aws-v7.0.0');
    expect(parseScanEvent({ benchmark: written }).payload).toEqual({ benchmark: 'cis-aws-v7.0.0' });
  });

  it('reads every setting, treating an empty variable as unset', () => {
    const settings = loadLambdaSettings({
      ...minimal,
      REPORT_BUCKET: 'trailwatch-prod-reportbucket-1abc',
      REPORT_PREFIX: 'scans',
      NOTIFY: 'on-change',
      NOTIFICATION_LEVEL: 'verbose',
      BENCHMARK: '6.0',
      CHECKS: 'root_usage, vpc_changes',
      REGIONS: 'us-east-1,eu-west-1',
      EXCLUDE_ACCOUNTS: '999999999999',
      EXTERNAL_ID: '',
      SCAN_CONCURRENCY: '25',
      DEADLINE_MARGIN_SECONDS: '90',
      HOME_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      SCHEDULE_RULE_NAME: 'trailwatch-prod-scan-schedule',
      MEMBER_STACK_SET_NAME: 'trailwatch-member-role',
      FAILURE_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/trailwatch-prod-scan-failures',
    });

    expect(settings).toEqual({
      benchmark: 'cis-aws-v6.0.0',
      checks: ['root_usage', 'vpc_changes'],
      regions: ['us-east-1', 'eu-west-1'],
      excludeAccounts: ['999999999999'],
      roleName: 'trailwatch-member-read',
      concurrency: 25,
      deadlineMarginMs: 90_000,
      homeRegion: 'eu-west-1',
      endpointUrl: 'http://127.0.0.1:5000',
      notify: {
        topicArn: minimal.FINDINGS_TOPIC_ARN,
        when: 'on-change',
        level: 'verbose',
        reportBucket: 'trailwatch-prod-reportbucket-1abc',
        reportPrefix: 'scans/',
      },
      deployment: {
        scheduleRuleName: 'trailwatch-prod-scan-schedule',
        memberStackSetName: 'trailwatch-member-role',
        failureQueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/trailwatch-prod-scan-failures',
      },
    });
  });

  it('names every wrong variable', () => {
    // Act
    const error = (() => {
      try {
        loadLambdaSettings({ NOTIFY: 'sometimes', NOTIFICATION_LEVEL: 'debug', SCAN_CONCURRENCY: '0', CHECKS: 'root_usage,bogus', AWS_REGION: 'us-east-1' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    // Assess
    expect(error).toBeInstanceOf(ConfigurationError);
    const issues = (error as ConfigurationError).issues.map((i) => `${i.field}: ${i.message}`);
    expect(issues).toEqual([
      'FINDINGS_TOPIC_ARN: required: the ARN of the findings topic',
      "NOTIFY: 'sometimes' is not one of always, on-fail, on-change",
      "NOTIFICATION_LEVEL: 'debug' is not one of verbose, info, error",
      expect.stringContaining("CHECKS[1]: 'bogus' is not a check"),
      'MEMBER_ROLE_NAME: required: the name of the role trailwatch assumes in member accounts',
      'SCAN_CONCURRENCY: must be at least 1',
    ]);
    expect((error as Error).message).toMatch(/^invalid environment: FINDINGS_TOPIC_ARN: required/);
  });

  it('imports into Security Hub only with SECURITY_HUB=true, and refuses anything but true or false', () => {
    expect(loadLambdaSettings({ ...minimal, SECURITY_HUB: 'true' }).securityHub).toBe(true);
    expect(loadLambdaSettings({ ...minimal, SECURITY_HUB: 'false' }).securityHub).toBeUndefined();
    expect(loadLambdaSettings(minimal).securityHub).toBeUndefined();
    expect(() => loadLambdaSettings({ ...minimal, SECURITY_HUB: 'yes' })).toThrow(/SECURITY_HUB: 'yes' is not one of true, false/);
  });

  it('decides filters CloudTrail-aware unless STRICT_PATTERNS=true, and refuses anything but true or false', () => {
    expect(loadLambdaSettings({ ...minimal, STRICT_PATTERNS: 'true' }).strictPatterns).toBe(true);
    expect(loadLambdaSettings(minimal).strictPatterns).toBeUndefined();
    expect(() => loadLambdaSettings({ ...minimal, STRICT_PATTERNS: 'on' })).toThrow(/STRICT_PATTERNS: 'on' is not one of true, false/);
  });

  it('groups the email by FRAMEWORK and sends a chat message to CHAT_TOPIC_ARN, naming a wrong value', () => {
    const settings = loadLambdaSettings({ ...minimal, FRAMEWORK: 'NIST 800-53', CHAT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:trailwatch-prod-chat' });
    expect(settings.notify).toMatchObject({ framework: 'nist-800-53', chatTopicArn: 'arn:aws:sns:us-east-1:123456789012:trailwatch-prod-chat' });
    expect(loadLambdaSettings(minimal).notify).not.toHaveProperty('framework');
    expect(loadLambdaSettings(minimal).notify).not.toHaveProperty('chatTopicArn');
    expect(() => loadLambdaSettings({ ...minimal, FRAMEWORK: 'sox', CHAT_TOPIC_ARN: 'https://hooks.slack.com/x' })).toThrow(
      /FRAMEWORK: 'sox' is not a framework \(one of nist-800-53, .*\).*CHAT_TOPIC_ARN: 'https:\/\/hooks.slack.com\/x' is not an SNS topic ARN/,
    );
  });

  it('wants a home region when AWS_REGION is not set', () => {
    const { AWS_REGION: _, ...withoutRegion } = minimal;

    expect(() => loadLambdaSettings(withoutRegion)).toThrow('invalid environment: HOME_REGION: required when AWS_REGION is not set');
  });
});
