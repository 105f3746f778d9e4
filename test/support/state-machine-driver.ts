/**
 * An in-process driver for distributed mode's state machine (deploy/scan-state-machine.cjs):
 * moto stores a state machine but does not run a Distributed Map, so this runs the definition
 * itself, as Step Functions documents it, against moto's S3 and the real step functions:
 *
 * - Task `arn:aws:states:::lambda:invoke`: Parameters (payload templates, `.$` paths into the state
 *   input and the context object), the function's answer as `{ Payload }`, ResultSelector,
 *   ResultPath, OutputPath; Retry (MaxAttempts per retrier; the delays are computed, not slept) and
 *   Catch;
 * - Map in DISTRIBUTED mode: ItemReader (`s3:getObject`, JSON), ItemBatcher (MaxItemsPerBatch,
 *   BatchInput), a child execution per batch running the ItemProcessor (MaxConcurrency at once),
 *   ToleratedFailurePercentage (no new batch starts past it; the Map Run then fails with
 *   States.ExceedToleratedFailureThreshold), ResultWriter (`manifest.json` and
 *   `SUCCEEDED_0.json` / `FAILED_0.json` under Prefix/<map run id>/, each entry with the child's
 *   Input as a string and, for a failure, its Error and Cause).
 *
 * - Choice (NumericGreaterThan, Default) and Pass (Result, ResultPath).
 *
 * Only the JSONPath subset the definition uses is read (`$`, `$.a.b`, `$$.Execution.*`); anything
 * else fails the test, so a definition that grows past the driver is noticed.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';

/* eslint-disable @typescript-eslint/no-explicit-any -- ASL is untyped JSON */
type Json = any;

export type StepFunction = (payload: unknown) => Promise<unknown>;

export interface DriverOptions {
  /** The definition with its DefinitionSubstitutions applied. */
  readonly definition: Json;
  /** The functions by the FunctionName the definition gives them. */
  readonly functions: Record<string, StepFunction>;
  readonly s3: S3Client;
  readonly executionName: string;
  /** Called before each attempt of a task: a thrown error is that attempt's failure (fault injection). */
  readonly beforeAttempt?: (functionName: string, payload: unknown, attempt: number) => void;
}

export interface DriverTrace {
  /** Every task attempt: which function, with what input, and the retry delay computed before it. */
  readonly attempts: { functionName: string; payload: unknown; attempt: number; delaySeconds: number; error?: string }[];
  readonly mapRuns: { batches: number; succeeded: number; failed: number; notStarted: number }[];
}

class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly detail: string,
  ) {
    super(`${error}: ${detail}`);
  }
}

export function substitute(definition: Json, substitutions: Record<string, string>): Json {
  return JSON.parse(JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, name: string) => substitutions[name] ?? whole));
}

function readPath(path: string, input: Json, context: Json): Json {
  const [root, rest] = path.startsWith('$$') ? [context, path.slice(2)] : [input, path.slice(1)];
  if (rest !== '' && !/^(\.[A-Za-z_][\w]*)+$/.test(rest)) throw new Error(`the driver reads only $.a.b paths, not ${path}`);
  let value = root;
  for (const key of rest.split('.').filter(Boolean)) {
    if (value === null || typeof value !== 'object' || !(key in value)) throw new StatesError('States.Runtime', `path ${path} not found`);
    value = value[key];
  }
  return value;
}

function template(payload: Json, input: Json, context: Json): Json {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) =>
      key.endsWith('.$') ? [key.slice(0, -2), readPath(value as string, input, context)] : [key, template(value, input, context)],
    ),
  );
}

function withResult(input: Json, resultPath: string | undefined, result: Json): Json {
  if (resultPath === undefined || resultPath === '$') return result;
  const keys = resultPath.replace(/^\$\./, '').split('.');
  const out = structuredClone(input);
  let at = out;
  for (const key of keys.slice(0, -1)) at = at[key] ??= {};
  at[keys.at(-1) as string] = result;
  return out;
}

function matches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.includes(error) || (errorEquals.includes('States.ALL') && error !== 'States.Runtime');
}

export class StateMachineDriver {
  readonly trace: DriverTrace = { attempts: [], mapRuns: [] };

  constructor(private readonly options: DriverOptions) {}

  async start(input: Json): Promise<Json> {
    const context = { Execution: { Input: input, Name: this.options.executionName, StartTime: new Date().toISOString() } };
    return this.run(this.options.definition, input, context);
  }

  private async run(machine: Json, input: Json, context: Json): Promise<Json> {
    let name: string | undefined = machine.StartAt;
    let data = input;
    while (name) {
      const state = machine.States[name];
      if (!state) throw new Error(`no state ${name}`);
      let next: string | undefined = state.Next;
      try {
        if (state.Type === 'Choice') {
          name = this.choose(state, data, context);
          continue;
        }
        let result: Json;
        if (state.Type === 'Task') result = await this.task(state, data, context);
        else if (state.Type === 'Map') result = await this.map(state, data, context);
        else if (state.Type === 'Pass') result = state.Result === undefined ? data : structuredClone(state.Result);
        else throw new Error(`the driver does not run ${state.Type} states`);
        if (state.ResultSelector) result = template(state.ResultSelector, result, context);
        data = withResult(data, state.ResultPath, result);
        if (state.OutputPath) data = readPath(state.OutputPath, data, context);
      } catch (error) {
        if (!(error instanceof StatesError)) throw error;
        const catcher = (state.Catch ?? []).find((c: Json) => matches(c.ErrorEquals, error.error));
        if (!catcher) throw error;
        data = withResult(data, catcher.ResultPath, { Error: error.error, Cause: error.detail });
        next = catcher.Next;
      }
      name = state.End ? undefined : next;
    }
    return data;
  }

  /** The first choice whose rule holds, else Default; only the comparisons the definition uses. */
  private choose(state: Json, input: Json, context: Json): string {
    for (const choice of state.Choices ?? []) {
      const value = readPath(choice.Variable as string, input, context);
      if (!('NumericGreaterThan' in choice) || Object.keys(choice).length !== 3) throw new Error(`the driver compares with NumericGreaterThan only: ${JSON.stringify(choice)}`);
      if (typeof value !== 'number') throw new StatesError('States.Runtime', `${choice.Variable} is not a number`);
      if (value > choice.NumericGreaterThan) return choice.Next as string;
    }
    if (!state.Default) throw new StatesError('States.NoChoiceMatched', 'no choice matched and there is no Default');
    return state.Default as string;
  }

  private async task(state: Json, input: Json, context: Json): Promise<Json> {
    if (state.Resource !== 'arn:aws:states:::lambda:invoke') throw new Error(`the driver runs only lambda:invoke tasks, not ${state.Resource}`);
    const parameters = template(state.Parameters, input, context);
    const functionName = parameters.FunctionName as string;
    const fn = this.options.functions[functionName];
    if (!fn) throw new Error(`no function ${functionName}`);
    const tries = new Map<Json, number>();
    let delaySeconds = 0;
    for (let attempt = 0; ; attempt += 1) {
      try {
        this.options.beforeAttempt?.(functionName, parameters.Payload, attempt);
        const payload = await fn(structuredClone(parameters.Payload));
        this.trace.attempts.push({ functionName, payload: parameters.Payload, attempt, delaySeconds });
        return { Payload: JSON.parse(JSON.stringify(payload ?? null)), StatusCode: 200 };
      } catch (error) {
        const e = error as Error;
        // Lambda reports a function's error by its name; Step Functions names the task's error after it.
        const name = e.name && e.name !== 'Error' ? e.name : 'Error';
        this.trace.attempts.push({ functionName, payload: parameters.Payload, attempt, delaySeconds, error: name });
        const retrier = (state.Retry ?? []).find((r: Json) => matches(r.ErrorEquals, name));
        const used = retrier ? (tries.get(retrier) ?? 0) : 0;
        if (!retrier || used >= (retrier.MaxAttempts ?? 3)) throw new StatesError(name, JSON.stringify({ errorMessage: e.message, errorType: name }));
        tries.set(retrier, used + 1);
        const backoff = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** used;
        delaySeconds = Math.min(backoff, retrier.MaxDelaySeconds ?? Infinity);
      }
    }
  }

  private async getJson(bucket: string, key: string): Promise<Json> {
    const response = await this.options.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await response.Body?.transformToString('utf-8')) ?? 'null');
  }

  private async putJson(bucket: string, key: string, value: Json): Promise<void> {
    await this.options.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value) }));
  }

  private async map(state: Json, input: Json, context: Json): Promise<Json> {
    const processor = state.ItemProcessor;
    if (processor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') throw new Error('the driver runs DISTRIBUTED maps only');
    const reader = state.ItemReader;
    if (reader?.Resource !== 'arn:aws:states:::s3:getObject' || reader.ReaderConfig?.InputType !== 'JSON') throw new Error('the driver reads JSON items from S3 only');
    const where = template(reader.Parameters, input, context);
    const items = await this.getJson(where.Bucket, where.Key);
    if (!Array.isArray(items)) throw new StatesError('States.ItemReaderFailed', 'the item source is not a JSON array');
    const size = state.ItemBatcher?.MaxItemsPerBatch ?? 1;
    const batchInput = state.ItemBatcher?.BatchInput ? template(state.ItemBatcher.BatchInput, input, context) : undefined;
    const batches: Json[] = [];
    for (let i = 0; i < items.length; i += size) batches.push({ Items: items.slice(i, i + size), ...(batchInput ? { BatchInput: batchInput } : {}) });

    const mapRunId = randomUUID();
    const tolerated = state.ToleratedFailurePercentage ?? 0;
    const succeeded: Json[] = [];
    const failed: Json[] = [];
    let started = 0;
    let exceeded = false;
    const limit = pLimit(state.MaxConcurrency || 1000);
    await Promise.all(
      batches.map((batch, index) =>
        limit(async () => {
          if (exceeded) return;
          started += 1;
          const entry = { ExecutionArn: `arn:aws:states:us-east-1:123456789012:execution:driver/${state.Label}:${mapRunId}-${index}`, Input: JSON.stringify(batch), InputDetails: { Included: true }, Name: `${mapRunId}-${index}` };
          try {
            const output = await this.run(processor, batch, { Execution: { Input: batch, Name: entry.Name } });
            succeeded.push({ ...entry, Output: JSON.stringify(output), OutputDetails: { Included: true }, Status: 'SUCCEEDED' });
          } catch (error) {
            if (!(error instanceof StatesError)) throw error;
            failed.push({ ...entry, Status: 'FAILED', Error: error.error, Cause: error.detail });
            if ((failed.length / batches.length) * 100 > tolerated) exceeded = true;
          }
        }),
      ),
    );
    this.trace.mapRuns.push({ batches: batches.length, succeeded: succeeded.length, failed: failed.length, notStarted: batches.length - started });

    const writer = state.ResultWriter;
    let details: Json | undefined;
    if (writer) {
      if (writer.Resource !== 'arn:aws:states:::s3:putObject') throw new Error('the driver writes results with s3:putObject only');
      const to = template(writer.Parameters, input, context);
      const base = `${to.Prefix}/${mapRunId}`;
      const files: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
      for (const [status, entries] of [['SUCCEEDED', succeeded], ['FAILED', failed]] as const) {
        if (entries.length === 0) continue;
        const key = `${base}/${status}_0.json`;
        await this.putJson(to.Bucket, key, entries);
        files[status]?.push({ Key: key, Size: JSON.stringify(entries).length });
      }
      const manifestKey = `${base}/manifest.json`;
      await this.putJson(to.Bucket, manifestKey, { DestinationBucket: to.Bucket, MapRunArn: `arn:aws:states:us-east-1:123456789012:mapRun:driver/${state.Label}:${mapRunId}`, ResultFiles: files });
      details = { Bucket: to.Bucket, Key: manifestKey };
    }
    if (exceeded) throw new StatesError('States.ExceedToleratedFailureThreshold', `The specified tolerated failure threshold was exceeded: ${failed.length} of ${batches.length} child executions failed`);
    if (details) return { MapRunArn: `arn:aws:states:us-east-1:123456789012:mapRun:driver/${state.Label}:${mapRunId}`, ResultWriterDetails: details };
    return succeeded.map((s) => JSON.parse(s.Output));
  }
}
