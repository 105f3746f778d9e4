/**
 * Distributed mode's template (serverless.yml with mode=distributed, deploy/scan-state-machine.cjs):
 * the definition is valid Amazon States Language (asl-validator) with a DISTRIBUTED Map reading
 * the account list from S3 in batches, retrying with backoff and jitter, writing its results to
 * S3, and a Catch that still aggregates; the state machine's role grants exactly what the
 * definition makes Step Functions do; single mode keeps its schedule on the scan function and
 * distributed mode moves it to the state machine. (.ci/run lints both packaged templates.)
 */
import aslValidator from 'asl-validator';
import { yamlFile } from '../support/templates';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the generator serverless.yml loads
const machine = require('../../deploy/scan-state-machine.cjs') as {
  definition: (settings?: Record<string, number>) => Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  MAP_RESULTS_PREFIX: string;
  DEFAULTS: Record<string, number>;
};

interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** What a definition makes Step Functions do with the state machine's role (AWS's documented policies per integration). */
function actionsTheDefinitionNeeds(definition: Record<string, any>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const actions = new Set<string>();
  const visit = (states: Record<string, any>) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const state of Object.values(states)) {
      if (state.Resource === 'arn:aws:states:::lambda:invoke') actions.add('lambda:InvokeFunction');
      if (state.ItemReader?.Resource === 'arn:aws:states:::s3:getObject') actions.add('s3:GetObject');
      if (state.ResultWriter?.Resource === 'arn:aws:states:::s3:putObject') ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'].forEach((a) => actions.add(a));
      if (state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution'].forEach((a) => actions.add(a));
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
    }
  };
  visit(definition.States);
  return [...actions].sort();
}

describe('distributed mode: the state machine', () => {
  const definition = machine.definition();

  it('is valid Amazon States Language, with the defaults and with other parameters', () => {
    for (const candidate of [definition, machine.definition({ batchSize: 1, maxConcurrency: 1, toleratedFailurePercentage: 0 })]) {
      const { isValid, errorsText } = aslValidator(candidate);
      expect([isValid, errorsText('\n')]).toEqual([true, '']);
    }
  });

  it('asl-validator refuses a broken one (the check can fail)', () => {
    const broken = machine.definition();
    broken.States.Collect.Next = 'Nowhere';
    broken.States.Collect.ToleratedFailurePercentage = 150;
    expect(aslValidator(broken).isValid).toBe(false);
  });

  it('discovers, collects in a DISTRIBUTED Map over the account list in S3, and aggregates', () => {
    const collect = definition.States.Collect;
    expect(definition.StartAt).toBe('Discover');
    expect(definition.States.Discover).toMatchObject({ Next: 'AnythingToCollect', ResultPath: '$.run' });
    // No batch when Discover leaves nothing to collect (the organization trail settles every member): straight to the aggregate.
    expect(definition.States.AnythingToCollect).toMatchObject({ Type: 'Choice', Choices: [{ Variable: '$.run.accounts', NumericGreaterThan: 0, Next: 'Collect' }], Default: 'NothingToCollect' });
    expect(definition.States.NothingToCollect).toMatchObject({ Type: 'Pass', Result: { NothingToCollect: true }, ResultPath: '$.map', Next: 'Aggregate' });
    expect(collect.ItemReader).toEqual({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: '${ReportBucket}', 'Key.$': '$.run.accountsKey' } });
    expect(collect.ItemBatcher).toEqual({ MaxItemsPerBatch: machine.DEFAULTS.batchSize, BatchInput: { 'run.$': '$.run.collect' } });
    expect(collect.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(collect).toMatchObject({ MaxConcurrency: machine.DEFAULTS.maxConcurrency, ToleratedFailurePercentage: machine.DEFAULTS.toleratedFailurePercentage, Next: 'Aggregate' });
    expect(collect.ResultWriter).toEqual({ Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: '${ReportBucket}', Prefix: machine.MAP_RESULTS_PREFIX } });
    // A Map Run that fails as a whole still goes to the aggregate, which reports its accounts ERROR.
    expect(collect.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.map', Next: 'Aggregate' }]);
    expect(definition.States.Aggregate).toMatchObject({ End: true, Parameters: { Payload: { 'event.$': '$$.Execution.Input', 'run.$': '$.run', 'map.$': '$.map' } } });
  });

  it('retries every task with exponential backoff and full jitter; a batch on any error, discover and aggregate only when Lambda did not run them', () => {
    const batch = definition.States.Collect.ItemProcessor.States.CollectBatch;
    expect(batch.Retry).toEqual([{ ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' }]);
    for (const step of [definition.States.Discover, definition.States.Aggregate]) {
      expect(step.Retry).toHaveLength(1);
      expect(step.Retry[0]).toMatchObject({ BackoffRate: 2, JitterStrategy: 'FULL' });
      expect(step.Retry[0].ErrorEquals.every((e: string) => e.startsWith('Lambda.'))).toBe(true);
    }
  });

  it('refuses parameters out of range when packaged', () => {
    expect(() => machine.definition({ batchSize: 0 })).toThrow(/distributedBatchSize must be an integer from 1 to 1000/);
    expect(() => machine.definition({ toleratedFailurePercentage: 101 })).toThrow(/distributedToleratedFailurePercentage/);
    expect(() => machine.definition({ maxConcurrency: Number.NaN })).toThrow(/distributedMaxConcurrency/);
  });
});

describe('serverless.yml: mode=single|distributed', () => {
  const service = yamlFile('serverless.yml') as {
    params: { default: Record<string, unknown> };
    functions: Record<string, { handler: string; condition?: string; memorySize?: unknown; environment?: Record<string, unknown> }>;
    resources: { Parameters: Record<string, { Default?: unknown; AllowedValues?: string[] }>; Conditions: Record<string, unknown>; Resources: Record<string, Resource>; extensions: Record<string, { Condition?: string }> };
  };
  const resources = service.resources.Resources;

  it("gives the aggregate step a memory size of its own (it holds the whole organization's report), the other steps the scan function's", () => {
    expect(service.params.default.distributedAggregateMemorySize).toBe(3008);
    expect(service.functions.distributedAggregate?.memorySize).toBe('${param:distributedAggregateMemorySize}');
    for (const name of ['scan', 'distributedDiscover', 'distributedCollect']) expect([name, service.functions[name]?.memorySize]).toEqual([name, undefined]);
  });

  it('is single by default; distributed creates the three functions, the state machine, its roles, schedule and alarm, and takes the scan function\'s schedule away', () => {
    expect(service.params.default.mode).toBe('single');
    expect(service.resources.Parameters.Mode).toMatchObject({ Default: '${param:mode}', AllowedValues: ['single', 'distributed'] });
    for (const name of ['distributedDiscover', 'distributedCollect', 'distributedAggregate']) expect(service.functions[name]?.condition).toBe('DistributedMode');
    expect(service.functions.distributedAggregate?.environment?.SCAN_FUNCTION_NAME).toEqual({ Ref: 'ScanLambdaFunction' });
    for (const name of ['ScanStateMachine', 'ScanStateMachineRole', 'DistributedScheduleRule', 'DistributedScheduleRole', 'ScanExecutionsFailedAlarm']) expect([name, resources[name]?.Condition]).toEqual([name, 'DistributedMode']);
    expect(service.resources.extensions).toEqual({ ScanEventsRuleSchedule1: { Condition: 'SingleMode' }, ScanLambdaPermissionEventsRuleSchedule1: { Condition: 'SingleMode' } });
    // The same schedule name in both modes: trailwatch doctor finds it there.
    expect(resources.DistributedScheduleRule?.Properties).toMatchObject({ Name: 'trailwatch-${sls:stage}-scan-schedule', ScheduleExpression: '${param:scheduleRate}', Targets: [{ Arn: { Ref: 'ScanStateMachine' } }] });
  });

  it("the state machine's role grants exactly what its definition makes Step Functions do, on its own functions, prefixes and executions", () => {
    const statements = resources.ScanStateMachineRole?.Properties.Policies[0].PolicyDocument.Statement as { Sid: string; Action: string | string[]; Resource: unknown }[];
    const granted = [...new Set(statements.flatMap((s) => [s.Action].flat()))].sort();
    expect(granted).toEqual(actionsTheDefinitionNeeds(machine.definition()));
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid);
    expect(JSON.stringify(bySid('InvokeSteps')?.Resource)).not.toContain('ScanLambdaFunction');
    expect(bySid('WriteMapRunResults')?.Resource).toEqual({ 'Fn::Sub': `\${ReportBucket.Arn}/${machine.MAP_RESULTS_PREFIX}/*` });
    expect(bySid('RunChildExecutions')?.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:trailwatch-${sls:stage}-scan' });
    expect(resources.ScanStateMachine?.Properties.StateMachineName).toBe('trailwatch-${sls:stage}-scan');
    const schedule = resources.DistributedScheduleRole?.Properties.Policies[0].PolicyDocument.Statement as { Action: string; Resource: unknown }[];
    expect(schedule).toEqual([{ Sid: 'StartScan', Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: 'ScanStateMachine' } }]);
  });
});
