/**
 * The watch's templates, read as data: with the `watch` parameter off (the default) the stack
 * has no bus, rule, queue or function of the watch; with it on, the bus admits only the
 * organization, its rule feeds a queue with a failure queue and a 20-second batching window; and
 * deploy/member-events.yml forwards exactly the watched calls (src/watch/calls.ts), IAM and
 * Organizations ones only from us-east-1, and is accepted by cfn-lint. (.ci/run lints the
 * packaged stack, where osls gives the function, its log group and version the same condition.)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eventBridgeSource, GLOBAL_EVENT_SOURCES, WATCHED_CALLS } from '../../src/watch/calls';
import { ROOT, yamlFile } from '../support/templates';

interface Resource {
  Type: string;
  Condition?: string;
  DependsOn?: string;
  Properties: Record<string, unknown>;
}

describe('serverless.yml: the watch', () => {
  const service = yamlFile('serverless.yml') as {
    params: { default: Record<string, unknown> };
    functions: Record<string, { handler: string; condition?: string; reservedConcurrency?: number; events?: unknown[] }>;
    resources: { Parameters: Record<string, { Default?: unknown; AllowedValues?: string[] }>; Conditions: Record<string, unknown>; Resources: Record<string, Resource>; Outputs: Record<string, { Condition?: string }> };
  };
  const resources = service.resources.Resources;

  it('is off by default, and with it off no bus, rule, queue, mapping or function of the watch exists', () => {
    expect(service.params.default.watch).toBe('off');
    expect(service.resources.Parameters.Watch).toMatchObject({ Default: '${param:watch}', AllowedValues: ['off', 'on'] });
    expect(service.resources.Conditions.WatchOn).toEqual({ 'Fn::Equals': [{ Ref: 'Watch' }, 'on'] });
    expect(service.functions.watch).toMatchObject({ handler: 'dist/lambda/watch.handler', condition: 'WatchOn', reservedConcurrency: 1 });
    // Every bus, rule, queue and mapping of the stack but the scan's own failure queue and distributed mode's
    // schedule (conditioned on that mode) is the watch's, and conditional.
    const watchParts = Object.entries(resources).filter(([name, r]) => ['AWS::Events::EventBus', 'AWS::Events::EventBusPolicy', 'AWS::Events::Rule', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::Lambda::EventSourceMapping'].includes(r.Type) && name !== 'ScanFailureQueue' && r.Condition !== 'DistributedMode');
    expect(watchParts.map(([name]) => name).sort()).toEqual(['WatchBus', 'WatchBusPolicy', 'WatchFailureQueue', 'WatchQueue', 'WatchQueueEventSource', 'WatchQueuePolicy', 'WatchRule']);
    for (const [name, resource] of Object.entries(resources)) if (name.startsWith('Watch')) expect([name, resource.Condition]).toEqual([name, 'WatchOn']);
    expect(service.resources.Outputs.WatchBusArn?.Condition).toBe('WatchOn');
  });

  it('admits events on the bus from the organization only', () => {
    const policy = resources.WatchBusPolicy?.Properties as { Statement: { Principal: string; Action: string; Condition: unknown } };
    expect(policy.Statement).toMatchObject({ Principal: '*', Action: 'events:PutEvents', Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'WatchOrganizationId' } } } });
  });

  it('sends the CloudTrail calls of every watched source to the queue, only the rule may send there, and the function reads it in 20-second batches reporting failed items', () => {
    const rule = resources.WatchRule?.Properties as { EventBusName: unknown; EventPattern: { source: string[]; 'detail-type': string[] }; Targets: { Arn: unknown }[] };
    expect(rule.EventBusName).toEqual({ Ref: 'WatchBus' });
    expect(rule.EventPattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect([...rule.EventPattern.source].sort()).toEqual([...new Set(WATCHED_CALLS.map((c) => eventBridgeSource(c.eventSource)))].sort());
    expect(rule.Targets).toEqual([{ Id: 'watch-queue', Arn: { 'Fn::GetAtt': ['WatchQueue', 'Arn'] } }]);
    expect((resources.WatchQueue?.Properties as { RedrivePolicy: unknown }).RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['WatchFailureQueue', 'Arn'] }, maxReceiveCount: 3 });
    const queuePolicy = resources.WatchQueuePolicy?.Properties as { PolicyDocument: { Statement: { Principal: unknown; Condition: unknown }[] } };
    expect(queuePolicy.PolicyDocument.Statement).toHaveLength(1);
    expect(queuePolicy.PolicyDocument.Statement[0]).toMatchObject({ Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['WatchRule', 'Arn'] } } } });
    expect(resources.WatchFailuresQueuedAlarm?.Properties).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['WatchFailureQueue', 'QueueName'] } }], Threshold: 1 });
    expect(resources.WatchQueueEventSource?.Properties).toEqual({
      EventSourceArn: { 'Fn::GetAtt': ['WatchQueue', 'Arn'] },
      FunctionName: { Ref: 'WatchLambdaFunction' },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 20,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const read = resources.WatchQueueReadPolicy?.Properties as { Roles: unknown; PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } };
    expect(read.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
    expect(read.PolicyDocument.Statement).toEqual([
      expect.objectContaining({ Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: { 'Fn::GetAtt': ['WatchQueue', 'Arn'] } }),
      expect.objectContaining({ Action: 'events:DescribeRule', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/trailwatch-${sls:stage}-watch/trailwatch-${sls:stage}-watch' } }),
    ]);
  });

  it('tells trailwatch doctor, through the scan function, where the watch rule, bus and queue are (unset with the watch off)', () => {
    expect((service.functions.scan as unknown as { environment: Record<string, unknown> }).environment).toMatchObject({
      WATCH_RULE_NAME: { 'Fn::If': ['WatchOn', 'trailwatch-${sls:stage}-watch', ''] },
      WATCH_BUS_NAME: { 'Fn::If': ['WatchOn', 'trailwatch-${sls:stage}-watch', ''] },
      WATCH_QUEUE_URL: { 'Fn::If': ['WatchOn', { Ref: 'WatchQueue' }, ''] },
    });
    expect(resources.WatchRule?.Properties.Name).toBe('trailwatch-${sls:stage}-watch');
    expect(resources.WatchBus?.Properties.Name).toBe('trailwatch-${sls:stage}-watch');
  });
});

describe('deploy/member-events.yml', () => {
  const template = yamlFile('deploy/member-events.yml') as { Conditions: Record<string, unknown>; Resources: Record<string, Resource> };
  type Rule = { source: string[]; 'detail-type': string[]; detail: { eventSource: string[]; eventName: string[] } };
  const rules = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Events::Rule');
  const patternOf = (resource: Resource) => resource.Properties.EventPattern as Rule;

  it('forwards exactly the watched calls, each from the source that makes it', () => {
    const forwarded = rules.flatMap(([, rule]) => {
      const pattern = patternOf(rule);
      return WATCHED_CALLS.filter((c) => pattern.detail.eventSource.includes(c.eventSource) && pattern.detail.eventName.includes(c.eventName)).map((c) => `${c.eventSource} ${c.eventName}`);
    });
    expect(forwarded.sort()).toEqual(WATCHED_CALLS.map((c) => `${c.eventSource} ${c.eventName}`).sort());
    for (const [, rule] of rules) {
      const pattern = patternOf(rule);
      expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
      expect([...pattern.source].sort()).toEqual(pattern.detail.eventSource.map(eventBridgeSource).sort());
      // Every name of a rule is a call of one of its sources: no name stands for nothing.
      for (const name of pattern.detail.eventName) expect(WATCHED_CALLS.some((c) => c.eventName === name && pattern.detail.eventSource.includes(c.eventSource))).toBe(true);
    }
  });

  it('forwards IAM and Organizations calls from us-east-1 only, where they are recorded', () => {
    expect(template.Conditions.InUsEast1).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    for (const [, rule] of rules) {
      const global = patternOf(rule).detail.eventSource.some((s) => GLOBAL_EVENT_SOURCES.includes(s));
      if (global) expect(rule.Condition).toBe('InUsEast1');
      else expect(rule.Condition).toBeUndefined();
      if (global) expect(patternOf(rule).detail.eventSource.every((s) => GLOBAL_EVENT_SOURCES.includes(s))).toBe(true);
    }
  });

  it("sends to the scanner's bus with a role that may put events on that bus alone", () => {
    for (const [, rule] of rules) expect(rule.Properties.Targets).toEqual([{ Id: 'trailwatch-watch-bus', Arn: { Ref: 'WatchBusArn' }, RoleArn: { 'Fn::GetAtt': ['ForwardRole', 'Arn'] } }]);
    const role = template.Resources.ForwardRole?.Properties as { Policies: { PolicyDocument: { Statement: unknown[] } }[] };
    expect(role.Policies.flatMap((p) => p.PolicyDocument.Statement)).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: { Ref: 'WatchBusArn' } }]);
  });

  it('is accepted by cfn-lint', () => {
    const lint = spawnSync('cfn-lint', [join(ROOT, 'deploy/member-events.yml')], { encoding: 'utf8' });
    expect(lint.error).toBeUndefined();
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);
  });
});
