/**
 * The deployment templates, read as data: serverless.yml grants exactly the reads the collector
 * makes (and the role the member template creates grants the same), nothing writes but the
 * findings publish and the report bucket, and cfn-lint accepts the member role template.
 * (.ci/run lints the packaged stack template too: packaging is not part of npm test.)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCHMARK_IDS } from '../../src/controls';
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
  'account:ListRegions',
  'ec2:DescribeRegions',
].sort();

describe('serverless.yml', () => {
  const service = yamlFile('serverless.yml') as {
    provider: { runtime: string; architecture: string; iam: { role: { statements: Statement[] } } };
    params: { default: Record<string, unknown> };
    functions: { scan: { handler: string; events: { schedule: { rate: string } }[]; destinations: { onFailure: { type: string } } } };
    package: { patterns: string[] };
  };
  const statements = service.provider.iam.role.statements;
  const bySid = (sid: string): Statement | undefined => statements.find((s) => s.Sid === sid);

  it('runs the bundle on nodejs22.x arm64 on a daily schedule by default, failures to SQS', () => {
    expect(service.provider.runtime).toBe('nodejs22.x');
    expect(service.provider.architecture).toBe('arm64');
    expect(service.functions.scan.handler).toBe('dist/lambda/scan.handler');
    expect(service.package.patterns).toEqual(['!**', 'dist/lambda/scan.js', 'dist/lambda/scan.js.map']);
    expect(service.functions.scan.events[0]?.schedule.rate).toBe('${param:scheduleRate}');
    expect(service.params.default.scheduleRate).toBe('rate(1 day)');
    expect(service.functions.scan.destinations.onFailure.type).toBe('sqs');
  });

  it('grants exactly the reads the collector makes', () => {
    expect(actions(bySid('ReadMonitoringChain')).sort()).toEqual(COLLECTOR_READS);
    expect(actions(bySid('DiscoverOrganization')).sort()).toEqual([
      'organizations:DescribeOrganization',
      'organizations:ListAccounts',
      'organizations:ListAccountsForParent',
      'organizations:ListChildren',
      'organizations:ListParents',
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

  it('assumes the member role by its name only', () => {
    expect(bySid('AssumeMemberRole')).toMatchObject({
      Action: 'sts:AssumeRole',
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${param:memberRoleName}' },
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

describe('deploy/member-role.yml', () => {
  const template = yamlFile('deploy/member-role.yml') as {
    Resources: { MemberReadRole: { Properties: { AssumeRolePolicyDocument: { Statement: Statement[] }; Policies: { PolicyDocument: { Statement: Statement[] } }[] } } };
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
    const granted = role.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap(actions)).sort();

    expect(granted).toEqual(COLLECTOR_READS);
  });

  it('is accepted by cfn-lint', () => {
    const lint = spawnSync('cfn-lint', [join(ROOT, 'deploy/member-role.yml')], { encoding: 'utf8' });

    expect(lint.error).toBeUndefined();
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });
});
