/**
 * The deployment templates, read as data: serverless.yml grants exactly the reads the collector
 * makes (and the role the member template creates grants the same), nothing writes but the
 * findings publish and the report bucket, and cfn-lint accepts the member role template.
 * (.ci/run lints the packaged stack template too: packaging is not part of npm test.)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCHMARK_IDS } from '../../src/controls';
import { HEARTBEAT_METRIC } from '../../src/notify/observe';
import { ROOT, yamlFile } from '../support/templates';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
const actions = (s: Statement | undefined): string[] => (s ? [s.Action].flat() : []);

const COLLECTOR_READS = [
  'cloudtrail:ListTrails',
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
  'logs:DescribeMetricFilters',
  'cloudwatch:DescribeAlarms',
  'sns:GetTopicAttributes',
  'sns:ListSubscriptionsByTopic',
  'sqs:GetQueueAttributes',
  'lambda:GetPolicy',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'account:ListRegions',
  'ec2:DescribeRegions',
].sort();

describe('serverless.yml', () => {
  const service = yamlFile('serverless.yml') as {
    provider: { runtime: string; architecture: string; iam: { role: { statements: Statement[] } } };
    params: { default: Record<string, unknown> };
    functions: { scan: { handler: string; reservedConcurrency: number; events: { schedule: { rate: string } }[]; destinations: { onFailure: { type: string } } } };
    package: { patterns: string[] };
  };
  const statements = service.provider.iam.role.statements;
  const bySid = (sid: string): Statement | undefined => statements.find((s) => s.Sid === sid);

  it('runs the bundle on nodejs22.x arm64 on a daily schedule by default, failures to SQS', () => {
    expect(service.provider.runtime).toBe('nodejs22.x');
    expect(service.provider.architecture).toBe('arm64');
    expect(service.functions.scan.handler).toBe('dist/lambda/scan.handler');
    expect(service.package.patterns).toEqual([
      '!**',
      'dist/lambda/scan.js',
      'dist/lambda/scan.js.map',
      'dist/lambda/watch.js',
      'dist/lambda/watch.js.map',
      'dist/lambda/distributed-*.js',
      'dist/lambda/distributed-*.js.map',
      'dist/lambda/approval-link.js',
      'dist/lambda/approval-link.js.map',
    ]);
    expect(service.functions.scan.events[0]?.schedule.rate).toBe('${param:scheduleRate}');
    expect(service.params.default.scheduleRate).toBe('rate(1 day)');
    expect(service.functions.scan.destinations.onFailure.type).toBe('sqs');
  });

  it('runs one scan at a time: a manual invoke cannot overlap the scheduled one', () => {
    expect(service.functions.scan.reservedConcurrency).toBe(1);
  });

  it('grants exactly the reads the collector makes', () => {
    expect(actions(bySid('ReadMonitoringChain')).sort()).toEqual(COLLECTOR_READS);
    expect(actions(bySid('DiscoverOrganization')).sort()).toEqual([
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListOrganizationalUnitsForParent',
      'organizations:ListRoots',
    ]);
  });

  it('takes the benchmark as a stack parameter allowing every benchmark of the catalogue, and only those', () => {
    const template = service as unknown as {
      provider: { environment: Record<string, unknown> };
      resources: { Parameters: Record<string, { Default?: unknown; AllowedValues?: string[] }> };
    };
    expect(template.provider.environment.BENCHMARK).toEqual({ Ref: 'Benchmark' });
    expect(template.resources.Parameters.Benchmark).toMatchObject({ Default: '${param:benchmark}', AllowedValues: [...BENCHMARK_IDS] });
    expect(BENCHMARK_IDS).toContain(service.params.default.benchmark);
  });

  it('assumes the member role by its name only, and only in an account of its own organization', () => {
    expect(bySid('AssumeMemberRole')).toEqual({
      Sid: 'AssumeMemberRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${param:memberRoleName}' },
      // The policy variable ${aws:PrincipalOrgID}, joined so the Framework leaves it to IAM.
      Condition: { StringEquals: { 'aws:ResourceOrgID': { 'Fn::Join': ['', ['$', '{aws:PrincipalOrgID}']] } } },
    });
  });

  it('names the schedule, the failure queue and the StackSet for the doctor, and reads them only', () => {
    const template = service as unknown as {
      provider: { environment: Record<string, unknown> };
      functions: { scan: { events: { schedule: { name: string } }[] } };
      resources: { Outputs: Record<string, unknown> };
    };
    expect(template.functions.scan.events[0]?.schedule.name).toBe('trailwatch-${sls:stage}-scan-schedule');
    expect(template.provider.environment).toMatchObject({
      SCHEDULE_RULE_NAME: 'trailwatch-${sls:stage}-scan-schedule',
      MEMBER_STACK_SET_NAME: '${param:memberStackSetName}',
      FAILURE_QUEUE_URL: { Ref: 'ScanFailureQueue' },
    });
    expect(actions(bySid('DoctorReads')).sort()).toEqual(['cloudformation:ListStackInstances', 'events:DescribeRule', 'sqs:GetQueueAttributes']);
    expect(Object.keys(template.resources.Outputs)).toEqual(expect.arrayContaining(['ScannerRoleArn', 'ScanFunctionName', 'ScheduleRuleName', 'FindingsTopicArn', 'ReportBucketName', 'ScanFailureQueueUrl', 'MemberRoleName']));
  });

  it('writes nothing but the findings topic and its own report bucket', () => {
    const writes = statements.flatMap((s) => actions(s).filter((a) => !/^[a-z0-9-]+:(List|Describe|Get)/.test(a)).map((a) => [a, s.Resource]));
    expect(writes).toEqual([
      ['sts:AssumeRole', { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${param:memberRoleName}' }],
      ['sns:Publish', { Ref: 'FindingsTopic' }],
      ['s3:PutObject', { 'Fn::Sub': '${ReportBucket.Arn}/*' }],
    ]);
    expect(statements.every((s) => s.Effect === 'Allow' && !actions(s).some((a) => a.includes('*')))).toBe(true);
  });
});

describe('serverless.yml: the alarms that watch the scanner', () => {
  interface Alarm {
    Type: string;
    Condition?: string;
    Properties: Record<string, unknown> & { AlarmName: string; Dimensions: { Name: string; Value: unknown }[]; AlarmActions: unknown[]; OKActions?: unknown[] };
  }
  const service = yamlFile('serverless.yml') as {
    params: { default: Record<string, unknown> };
    provider: { environment: Record<string, unknown> };
    functions: Record<string, { destinations: { onFailure: { arn: unknown } } }>;
    resources: { Parameters: Record<string, Record<string, unknown>>; Conditions: Record<string, unknown>; Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }> };
  };
  const { Resources, Parameters, Conditions } = service.resources;
  const alarm = (name: string): Alarm => Resources[name] as unknown as Alarm;
  // osls names the function's resource after its key: functions.scan -> ScanLambdaFunction.
  const scanFunction = { Ref: 'ScanLambdaFunction' };
  const ALARM_TOPIC = { 'Fn::If': ['HasAlarmTopic', { Ref: 'AlarmTopicArn' }, { Ref: 'FindingsTopic' }] };

  it('notifies the findings topic, or the ops topic the deployer names (alarmTopicArn)', () => {
    // The watch's function (switched on by the watch parameter) reports failed events to its failure queue, watched below.
    // The approval link's function (approvalLink=true) answers every failure with a page and logs it; it has no queue to watch.
    expect(Object.keys(service.functions)).toEqual(['scan', 'watch', 'distributedDiscover', 'distributedCollect', 'distributedAggregate', 'approvalLink']);
    expect(service.params.default.alarmTopicArn).toBe('');
    expect(Parameters.AlarmTopicArn).toMatchObject({ Type: 'String', Default: '${param:alarmTopicArn}' });
    expect(Conditions.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] });
    const alarms = Object.entries(Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.map(([name]) => name).sort()).toEqual(['ScanErrorsAlarm', 'ScanExecutionsFailedAlarm', 'ScanFailuresQueuedAlarm', 'ScanHeartbeatAlarm', 'WatchFailuresQueuedAlarm']);
    for (const [, resource] of alarms) expect((resource as unknown as Alarm).Properties.AlarmActions).toEqual([ALARM_TOPIC]);
  });

  it("goes off on one error of the scan function", () => {
    expect(alarm('ScanErrorsAlarm').Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: scanFunction }],
      Statistic: 'Sum',
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('goes off while the failure queue the function sends failed invocations to holds a message', () => {
    expect(service.functions.scan?.destinations.onFailure.arn).toEqual({ 'Fn::GetAtt': ['ScanFailureQueue', 'Arn'] });
    expect(alarm('ScanFailuresQueuedAlarm').Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['ScanFailureQueue', 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'ignore',
      OKActions: [ALARM_TOPIC],
    });
  });

  it('watches the heartbeat the function publishes, missing data breaching, over the window derived from the schedule', () => {
    const heartbeat = alarm('ScanHeartbeatAlarm');
    // The metric and dimensions src/notify/observe.ts publishes: Powertools' namespace and service, then the function.
    expect(heartbeat.Properties).toMatchObject({
      Namespace: service.provider.environment.POWERTOOLS_METRICS_NAMESPACE,
      MetricName: HEARTBEAT_METRIC,
      Dimensions: [
        { Name: 'service', Value: service.provider.environment.POWERTOOLS_SERVICE_NAME },
        { Name: 'function', Value: scanFunction },
      ],
      Statistic: 'Sum',
      Period: 3600,
      EvaluationPeriods: { Ref: 'HeartbeatHours' },
      DatapointsToAlarm: { Ref: 'HeartbeatHours' },
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      OKActions: [ALARM_TOPIC],
    });
    expect(heartbeat.Condition).toBe('HasHeartbeat');
    expect(Conditions.HasHeartbeat).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'HeartbeatHours' }, 0] }] });
    expect(Parameters.HeartbeatHours).toMatchObject({ Type: 'Number', Default: '${file(./deploy/heartbeat.cjs):hours}', MinValue: 0, MaxValue: 168 });
    expect(service.params.default.heartbeatHours).toBe('');
  });

  it("reaches the findings email: an alarm's notification carries no part attribute", () => {
    expect(Resources.FindingsEmailSubscription?.Properties).toMatchObject({
      FilterPolicyScope: 'MessageAttributes',
      FilterPolicy: { part: [{ numeric: ['=', 1] }, { exists: false }] },
    });
  });
});

describe('serverless.yml: the findings topic and the report bucket', () => {
  const service = yamlFile('serverless.yml') as {
    provider: { iam: { role: { name: string } } };
    resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  };
  const { Resources } = service.resources;
  const topic = { Ref: 'FindingsTopic' };
  const scannerRole = { 'Fn::GetAtt': ['IamRoleLambdaExecution', 'Arn'] };
  const thisAccount = { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' };
  const policy = Resources.FindingsTopicPolicy?.Properties as { Topics: unknown[]; PolicyDocument: { Statement: Statement[] } };
  const statements = policy.PolicyDocument.Statement;
  const allowing = (action: string) => statements.filter((s) => s.Effect === 'Allow' && actions(s).includes(action));

  it('lets only the scanner role publish, and CloudWatch for this stack\'s own alarms', () => {
    expect(policy.Topics).toEqual([topic]);
    expect(allowing('sns:Publish').map((s) => s.Principal)).toEqual([{ AWS: scannerRole }, { Service: 'cloudwatch.amazonaws.com' }]);
    const cloudWatch = allowing('sns:Publish')[1];
    const alarmNames = Object.values(Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => String(r.Properties.AlarmName));
    const sourceArn = String((cloudWatch?.Condition?.ArnLike?.['aws:SourceArn'] as { 'Fn::Sub': string })['Fn::Sub']);
    expect(cloudWatch?.Condition?.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    const alarmPrefix = sourceArn.split(':alarm:')[1] ?? '';
    expect(alarmPrefix).toBe('trailwatch-${sls:stage}-*');
    expect(alarmNames).toHaveLength(5);
    for (const name of alarmNames) expect(name.startsWith(alarmPrefix.slice(0, -1))).toBe(true);
    // Nobody else, whatever their identity policy says: a Deny for every principal but the role and AWS services.
    expect(statements.find((s) => s.Sid === 'NobodyElsePublishes')).toEqual({
      Sid: 'NobodyElsePublishes',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: topic,
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalArn': scannerRole }, Null: { 'aws:PrincipalServiceName': 'true' } },
    });
  });

  it("lets only the deploying account's principals subscribe, never over plain http, and nothing without TLS", () => {
    expect(allowing('sns:Subscribe').map((s) => s.Principal)).toEqual([{ AWS: thisAccount }]);
    expect(statements.some((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('"*"'))).toBe(false);
    expect(statements.find((s) => s.Sid === 'NoPlainHttpSubscriptions')).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 'sns:Subscribe', Condition: { StringEquals: { 'sns:Protocol': 'http' } } });
    expect(statements.find((s) => s.Sid === 'TlsOnly')).toEqual({
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: ['sns:Publish', 'sns:Subscribe'],
      Resource: topic,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('encrypts the topic with a key of its own that the scanner (through SNS) and CloudWatch may use', () => {
    expect(Resources.FindingsTopic?.Properties.KmsMasterKeyId).toEqual({ Ref: 'FindingsTopicKey' });
    const key = Resources.FindingsTopicKey?.Properties as { EnableKeyRotation: boolean; KeyPolicy: { Statement: Statement[] } };
    expect(key.EnableKeyRotation).toBe(true);
    const users = key.KeyPolicy.Statement.filter((s) => actions(s).includes('kms:GenerateDataKey*'));
    expect(users.map((s) => s.Principal)).toEqual([{ AWS: '*' }, { Service: 'cloudwatch.amazonaws.com' }]);
    expect(users[0]?.Condition?.StringEquals).toEqual({
      'kms:CallerAccount': { Ref: 'AWS::AccountId' },
      'kms:ViaService': { 'Fn::Sub': 'sns.${AWS::Region}.amazonaws.com' },
      'aws:PrincipalArn': { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${self:provider.iam.role.name}' },
    });
    expect(service.provider.iam.role.name).toBe('trailwatch-${sls:stage}-${self:provider.region}-scanner');
  });

  it("keeps every version of the report bucket's objects (the on-change baseline's history), old versions for 400 days", () => {
    const bucket = Resources.ReportBucket?.Properties as { VersioningConfiguration: unknown; LifecycleConfiguration: { Rules: Record<string, unknown>[] } };
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LifecycleConfiguration.Rules).toContainEqual({ Id: 'ExpireOldVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 400 } });
    const bucketPolicy = Resources.ReportBucketPolicy?.Properties as { PolicyDocument: { Statement: Statement[] } };
    expect(bucketPolicy.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': false } } }));
  });
});

describe('deploy/member-role.yml', () => {
  const template = yamlFile('deploy/member-role.yml') as {
    Resources: {
      MemberReadRole: { Properties: { AssumeRolePolicyDocument: { Statement: Statement[] }; Policies?: unknown } };
      MemberReadPolicy: { Properties: { PolicyDocument: { Statement: Statement[] } } };
    };
  };
  const role = template.Resources.MemberReadRole.Properties;

  it('trusts only the scanner role (and the one more principal given, if any), with the external ID, from inside the organization', () => {
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Sid: 'TrustTheScanner',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::If': ['HasTrustedPrincipal', [{ Ref: 'ScannerRoleArn' }, { Ref: 'TrustedPrincipalArn' }], { Ref: 'ScannerRoleArn' }] } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' }, 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
      },
    ]);
  });

  it('grants exactly the reads the collector makes, and nothing else', () => {
    const granted = template.Resources.MemberReadPolicy.Properties.PolicyDocument.Statement.flatMap(actions).sort();

    expect(role.Policies).toBeUndefined();
    expect(granted).toEqual(COLLECTOR_READS);
  });

  it('is accepted by cfn-lint', () => {
    const lint = spawnSync('cfn-lint', [join(ROOT, 'deploy/member-role.yml')], { encoding: 'utf8' });

    expect(lint.error).toBeUndefined();
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });
});
