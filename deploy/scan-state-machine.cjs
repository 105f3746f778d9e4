// @ts-check
/**
 * Distributed mode's state machine (README "Distributed mode", docs/architecture.md), generated
 * when the template is packaged: serverless.yml reads `${file(./deploy/scan-state-machine.cjs):...}`,
 * and the tests validate the same definition with asl-validator (cfn-lint checks it again in the
 * packaged template).
 *
 * Discover (a Lambda) writes the accounts in scope to the report bucket, and those the batches
 * collect (all but the organization trail's owner, which it reads itself, and the members that
 * owner's chain settles) -> when any is left, a DISTRIBUTED Map reads that JSON array (ItemReader), hands each child execution a batch of accounts (ItemBatcher) and
 * writes its children's results to the bucket (ResultWriter) -> Aggregate (a Lambda) evaluates,
 * remediates, publishes and stores. A batch is retried with exponential backoff and full jitter;
 * one that still fails costs only its accounts (ERROR, with the reason, in the report). When more
 * batches fail than tolerated the Map Run stops, and the Catch still hands what was collected to
 * Aggregate. The function ARNs and the bucket are CloudFormation's (DefinitionSubstitutions).
 */

/** Where Step Functions writes the Map Runs' results (the state machine's role may write only there). */
const MAP_RESULTS_PREFIX = 'trailwatch/distributed/map-runs';

/** Lambda's own transient failures: the function did not run, or its answer was lost. */
const LAMBDA_TRANSIENT_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

const DEFAULTS = { batchSize: 200, maxConcurrency: 25, toleratedFailurePercentage: 10 };

/**
 * @param {number} value
 * @param {string} name
 * @param {number} min
 * @param {number} max
 */
function integerWithin(value, name, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, not ${JSON.stringify(value)}`);
  return value;
}

/**
 * The Amazon States Language definition.
 * @param {{ batchSize?: number, maxConcurrency?: number, toleratedFailurePercentage?: number }} [settings]
 */
function definition(settings = {}) {
  const batchSize = integerWithin(settings.batchSize ?? DEFAULTS.batchSize, 'distributedBatchSize', 1, 1000);
  // A child execution per batch; Step Functions runs at most 10,000 at once.
  const maxConcurrency = integerWithin(settings.maxConcurrency ?? DEFAULTS.maxConcurrency, 'distributedMaxConcurrency', 1, 10000);
  const toleratedFailurePercentage = integerWithin(settings.toleratedFailurePercentage ?? DEFAULTS.toleratedFailurePercentage, 'distributedToleratedFailurePercentage', 0, 100);
  const lambdaRetry = { ErrorEquals: LAMBDA_TRANSIENT_ERRORS, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 30, JitterStrategy: 'FULL' };
  return {
    Comment: 'trailwatch distributed scan: discover -> collect the accounts in batches -> aggregate (evaluate, remediate, publish, store)',
    StartAt: 'Discover',
    States: {
      Discover: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: {
          FunctionName: '${DiscoverFunctionArn}',
          Payload: { 'event.$': '$$.Execution.Input', 'runId.$': '$$.Execution.Name', 'startedAt.$': '$$.Execution.StartTime' },
        },
        ResultSelector: { 'runId.$': '$.Payload.runId', 'accountsKey.$': '$.Payload.accountsKey', 'accounts.$': '$.Payload.accounts', 'collect.$': '$.Payload.collect' },
        ResultPath: '$.run',
        Retry: [lambdaRetry],
        Next: 'AnythingToCollect',
      },
      // Discover leaves out the owner (read already) and the members its organization trail settles: often nothing is left.
      AnythingToCollect: {
        Type: 'Choice',
        Choices: [{ Variable: '$.run.accounts', NumericGreaterThan: 0, Next: 'Collect' }],
        Default: 'NothingToCollect',
      },
      NothingToCollect: {
        Type: 'Pass',
        Result: { NothingToCollect: true },
        ResultPath: '$.map',
        Next: 'Aggregate',
      },
      Collect: {
        Type: 'Map',
        Label: 'Collect',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { Bucket: '${ReportBucket}', 'Key.$': '$.run.accountsKey' },
        },
        ItemBatcher: { MaxItemsPerBatch: batchSize, BatchInput: { 'run.$': '$.run.collect' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'CollectBatch',
          States: {
            CollectBatch: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: '${CollectFunctionArn}', 'Payload.$': '$' },
              ResultSelector: { 'batch.$': '$.Payload.batch', 'collected.$': '$.Payload.collected', 'notCollected.$': '$.Payload.notCollected' },
              // Any failure of the batch (Lambda's, a timeout, the batch file not written): again, with backoff and jitter.
              Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2, MaxDelaySeconds: 60, JitterStrategy: 'FULL' }],
              End: true,
            },
          },
        },
        MaxConcurrency: maxConcurrency,
        ToleratedFailurePercentage: toleratedFailurePercentage,
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: '${ReportBucket}', Prefix: MAP_RESULTS_PREFIX } },
        ResultPath: '$.map',
        // The Map Run failed as a whole: aggregate what was collected; the rest is ERROR with this error.
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.map', Next: 'Aggregate' }],
        Next: 'Aggregate',
      },
      Aggregate: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: '${AggregateFunctionArn}', Payload: { 'event.$': '$$.Execution.Input', 'run.$': '$.run', 'map.$': '$.map' } },
        OutputPath: '$.Payload',
        // Only failures before the function ran: a retried aggregate could publish twice.
        Retry: [lambdaRetry],
        End: true,
      },
    },
  };
}

/** @param {{ resolveVariable: (address: string) => Promise<unknown> }} serverless */
async function fromParams({ resolveVariable }) {
  const [batchSize, maxConcurrency, toleratedFailurePercentage] = await Promise.all([
    resolveVariable('param:distributedBatchSize'),
    resolveVariable('param:distributedMaxConcurrency'),
    resolveVariable('param:distributedToleratedFailurePercentage'),
  ]);
  return definition({ batchSize: Number(batchSize), maxConcurrency: Number(maxConcurrency), toleratedFailurePercentage: Number(toleratedFailurePercentage) });
}

module.exports = {
  MAP_RESULTS_PREFIX,
  DEFAULTS,
  definition,
  /** The StateMachine's Definition, from the serverless params. */
  fromParams,
  /** The distributed schedule rule's State, from scheduleEnabled as the scan function's schedule reads it. */
  scheduleState: async (/** @type {{ resolveVariable: (address: string) => Promise<unknown> }} */ { resolveVariable }) =>
    String(await resolveVariable('param:scheduleEnabled')) === 'false' ? 'DISABLED' : 'ENABLED',
};
