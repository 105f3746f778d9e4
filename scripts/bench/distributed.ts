/**
 * Distributed mode in the benchmark: the three real step functions (src/lambda/distributed-*.ts,
 * as handlers/ builds them) called in the state machine's order, in this process, against moto
 * with the benchmark's latency, twice. As scheduled: the organization trail settles every check,
 * so Discover (the whole organization and the trail's owner) leaves no account to the Map, and
 * Aggregate judges the members through the trail. Then reading every account (readEveryAccount
 * in the execution's input, the regime distributed mode is for): discover the whole organization,
 * collect ONE batch of the default size (a child of the Distributed Map, as one Lambda would),
 * then aggregate a run of the organization's full size, every account judged from its inventory. moto does not run a Distributed Map, and one moto cannot serve 25
 * children at once as 25 Lambdas would be served, so the other batches are not collected: their
 * files are the measured batch's inventories copied under the other accounts' ids (a member of
 * the same kind), which is what makes the aggregate's time and memory those of the full run.
 * The wiring of the state machine itself (ItemReader, ItemBatcher, ResultWriter, retries) is
 * test/lambda/distributed.moto.test.ts's, with the in-process driver.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AwsClients, CallCounter } from '../../src/aws/clients';
import { loadLambdaSettings } from '../../src/config';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { TrailwatchError } from '../../src/errors';
import { createDistributedAggregateHandler } from '../../src/lambda/distributed-aggregate';
import { createDistributedCollectHandler } from '../../src/lambda/distributed-collect';
import { createDistributedDiscoverHandler } from '../../src/lambda/distributed-discover';
import { runKeys, type CallCounts, type CollectRun, type DiscoverResult } from '../../src/lambda/distributed-run';
import type { ScanSummary } from '../../src/lambda/scan-handler';
import type { ScanReport } from '../../src/report/types';
import type { AccountToScan } from '../../src/scan';
import { latencyHook, withPeakRss, type LiveHeap, type PeakRss } from './measure';
import type { SyntheticOrganization } from './organization';

/** What one step cost: wall time, this process's CPU, HTTP attempts (S3 bookkeeping included). */
export interface StepCost {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly attempts: number;
}

/** The organization trail settling every check: Discover reads the owner and leaves the members out of the Map. */
export interface SettledRunMeasurement {
  readonly discover: StepCost & { readonly accounts: number; readonly itemsToCollect: number };
  readonly aggregate: StepCost & { readonly accounts: number };
  /** The most calls the report counts for a member judged through the organization trail. */
  readonly maxCallsPerJudgedMember: number;
  readonly judgedMembers: number;
  readonly report: ScanReport;
}

export interface DistributedMeasurement {
  readonly settled: SettledRunMeasurement;
  readonly batchSize: number;
  readonly discover: StepCost & { readonly accounts: number };
  /** The one batch collected: its accounts, and the scan's calls (as the batch file counts them). */
  readonly batch: StepCost & { readonly accounts: number; readonly collected: number; readonly calls: number; readonly concurrency: number };
  readonly aggregate: StepCost & PeakRss & LiveHeap & { readonly accounts: number; readonly batchFiles: number };
  readonly report: ScanReport;
}

export interface DistributedBenchOptions {
  /** The proxy in front of moto (members see the organization trail). */
  readonly endpoint: string;
  readonly latencyMs: number;
  readonly regions: readonly string[];
  readonly concurrency: number;
  readonly batchSize: number;
  readonly org: SyntheticOrganization;
  readonly roleName: string;
  /** A bucket and a topic in the management account, made by the caller. */
  readonly bucket: string;
  readonly topicArn: string;
  /** The accounts of the batch collected (the others' files are copies): seeded in full, and holding the organization trail's owner. */
  readonly sample: readonly string[];
  /** Makes moto ready for these accounts (untimed): moto builds an account's backends on first use, AWS does not. */
  readonly warmUp: (accountIds: readonly string[]) => Promise<void>;
  readonly log: (line: string) => void;
}

const LAMBDA_TIMEOUT_MS = 900_000;

/** A scan by hand that reads every member (the regime distributed mode is for: no organization trail, or one whose chain misses a check). */
const READ_EVERY_ACCOUNT = { readEveryAccount: true };

/** The schedule's event, as EventBridge sends it to the state machine (the execution's input). */
const SCHEDULED_EVENT = {
  version: '0',
  id: 'bench',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-01-01T06:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:123456789012:rule/trailwatch-bench-scan-schedule'],
  detail: {},
};

function lambdaContext() {
  const started = Date.now();
  return { getRemainingTimeInMillis: () => LAMBDA_TIMEOUT_MS - (Date.now() - started), awsRequestId: 'bench' };
}

/** How often the aggregate's live heap is sampled (further apart when a collection takes longer than a quarter of it). */
const LIVE_HEAP_EVERY_MS = 250;

async function timed<T>(counter: { attempts: number }, work: () => Promise<T>): Promise<{ value: T } & StepCost> {
  const attemptsBefore = counter.attempts;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, attempts: counter.attempts - attemptsBefore };
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await response.Body?.transformToString('utf-8')) ?? '';
}

/** The report an aggregate stored, read back. */
async function storedReport(s3: S3Client, summary: ScanSummary): Promise<ScanReport> {
  const uri = summary.stored?.report ?? '';
  const [, bucket = '', key = ''] = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) ?? [];
  if (!key) throw new TrailwatchError(`the aggregate stored no report (${JSON.stringify(summary.notification)})`);
  return JSON.parse(await getText(s3, bucket, key)) as ScanReport;
}

/** A member's saved inventory (or its calls) under another account's id: its id is in its ARNs and keys too. */
export function underAccountId<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).split(from).join(to)) as T;
}

interface BatchFileJson {
  readonly formatVersion: number;
  readonly inventories: { accountId: string }[];
  readonly notCollected: { accountId: string; error: string }[];
  readonly apiCalls: CallCounts;
}

/**
 * The files of the batches not collected: each account gets the measured batch's inventory (and
 * calls) of a member of its kind; an account of a kind the batch lacks is left out (the
 * aggregate reports it ERROR, "its batch left no result").
 */
function copiedBatchFile(measured: BatchFileJson, items: readonly AccountToScan[], kindOf: (accountId: string) => string | undefined): string {
  const templates = new Map<string, { accountId: string }>();
  for (const inventory of measured.inventories) {
    const kind = kindOf(inventory.accountId);
    if (kind && kind !== 'management' && !templates.has(kind)) templates.set(kind, inventory);
  }
  const inventories: { accountId: string }[] = [];
  const apiCalls: CallCounts = {};
  for (const { accountId } of items) {
    const template = templates.get(kindOf(accountId) ?? '');
    if (!template) continue;
    inventories.push(underAccountId(template, template.accountId, accountId));
    const calls = measured.apiCalls[template.accountId];
    if (calls) apiCalls[accountId] = { ...calls };
  }
  return JSON.stringify({ formatVersion: measured.formatVersion, inventories, notCollected: [], apiCalls });
}

export async function measureDistributed(options: DistributedBenchOptions): Promise<DistributedMeasurement> {
  const { org, log } = options;
  // The environment serverless.yml gives the three functions (on moto, behind the proxy).
  const settings = loadLambdaSettings({
    FINDINGS_TOPIC_ARN: options.topicArn,
    REPORT_BUCKET: options.bucket,
    NOTIFY: 'always',
    NOTIFICATION_LEVEL: 'info',
    MEMBER_ROLE_NAME: options.roleName,
    REGIONS: options.regions.join(','),
    SCAN_CONCURRENCY: String(options.concurrency),
    AWS_REGION: options.regions[0],
    AWS_ENDPOINT_URL: options.endpoint,
  });
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const logger = new Logger({ serviceName: 'trailwatch', logLevel: 'SILENT' });
  const counter = { attempts: 0 };
  const countAttempts = () => {
    counter.attempts += 1;
  };
  const clients = () =>
    new AwsClients({ endpointUrl: options.endpoint, credentials: MOTO_CREDENTIALS, callCounter: new CallCounter(), attemptHooks: [countAttempts, latencyHook(options.latencyMs)] });
  const deps = { settings, logger, clients };
  const files = new AwsClients({ endpointUrl: options.endpoint, credentials: MOTO_CREDENTIALS });
  const s3 = files.s3({ accountId: 'scanner' }, settings.homeRegion);
  const runId = `bench-${Date.now()}`;
  const keys = runKeys(settings.notify.reportPrefix ?? 'trailwatch/', runId);
  try {
    // As scheduled: the organization trail settles every check, so Discover leaves every member out of the Map.
    log(`bench: distributed mode, as scheduled: discover (the whole organization and its trail's owner) ...`);
    const discover = createDistributedDiscoverHandler(deps);
    const settledRunId = `bench-settled-${Date.now()}`;
    const settledDiscovered = await timed(counter, () => discover({ event: SCHEDULED_EVENT, runId: settledRunId }, lambdaContext()));
    const settledAccounts = JSON.parse(await getText(s3, options.bucket, runKeys(settings.notify.reportPrefix ?? 'trailwatch/', settledRunId).accounts)) as AccountToScan[];
    if (settledDiscovered.value.accounts > 0) log(`bench:   ${settledDiscovered.value.accounts} accounts left for the batches: the organization trail does not settle every check`);
    log(`bench: distributed mode, as scheduled: aggregate ${settledAccounts.length} accounts${settledDiscovered.value.accounts > 0 ? ' (the batches not run: their accounts ERROR)' : ''} ...`);
    const settledAggregate = createDistributedAggregateHandler({ ...deps, metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }) });
    const settledAggregated = await timed(counter, () =>
      settledAggregate({ event: SCHEDULED_EVENT, run: { runId: settledRunId }, map: { NothingToCollect: true } }, lambdaContext()),
    );
    const settledReport = await storedReport(s3, settledAggregated.value);
    const judged = settledReport.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL');
    const { value: _sd, ...settledDiscoverCost } = settledDiscovered;
    const { value: _sa, ...settledAggregateCost } = settledAggregated;
    const settled: SettledRunMeasurement = {
      discover: { ...settledDiscoverCost, accounts: settledAccounts.length, itemsToCollect: settledDiscovered.value.accounts },
      aggregate: { ...settledAggregateCost, accounts: settledAccounts.length },
      maxCallsPerJudgedMember: Math.max(0, ...judged.map((a) => settledReport.stats?.apiCallsPerAccount?.[a.accountId] ?? 0)),
      judgedMembers: judged.length,
      report: settledReport,
    };

    // Reading every account (readEveryAccount in the execution's input): the batches collect them all.
    log(`bench: distributed mode, reading every account: discover (the whole organization) ...`);
    const discovered = await timed(counter, () => discover({ event: READ_EVERY_ACCOUNT, runId }, lambdaContext()));
    const result: DiscoverResult = discovered.value;
    const accounts = JSON.parse(await getText(s3, options.bucket, keys.accounts)) as AccountToScan[];
    // The batch measured holds the organization trail's owner (the aggregate reads its chain first) and members of every kind.
    const inSample = new Set(options.sample);
    if (!inSample.has(org.managementAccountId)) throw new TrailwatchError('the sample must hold the management account');
    const measuredItems = accounts.filter((a) => inSample.has(a.accountId)).slice(0, options.batchSize);
    const rest = accounts.filter((a) => !inSample.has(a.accountId));
    const batches: AccountToScan[][] = [measuredItems];
    for (let i = 0; i < rest.length; i += options.batchSize) batches.push(rest.slice(i, i + options.batchSize));
    await options.warmUp(measuredItems.map((a) => a.accountId));

    log(`bench: distributed mode: collect one batch of ${measuredItems.length} accounts (the Map's child), ${options.regions.length} regions ...`);
    const collect = createDistributedCollectHandler(deps);
    const run: CollectRun = result.collect;
    const collected = await timed(counter, () => collect({ Items: measuredItems, BatchInput: { run } }, lambdaContext()));
    const measuredFile = JSON.parse(await getText(s3, options.bucket, collected.value.batch)) as BatchFileJson;
    const batchCalls = Object.values(measuredFile.apiCalls).reduce((n, ops) => n + Object.values(ops).reduce((a, b) => a + b, 0), 0);

    log(`bench: distributed mode: ${batches.length - 1} more batch files, copied from the measured one (not timed) ...`);
    const kinds = new Map(org.accounts.map((a) => [a.accountId, a.kind]));
    for (const items of batches.slice(1)) {
      const body = copiedBatchFile(measuredFile, items, (id) => kinds.get(id));
      await s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: `${keys.batches}${items[0]?.accountId}.json`, Body: body, ContentType: 'application/json' }));
    }

    log(`bench: distributed mode: aggregate ${accounts.length} accounts (evaluate, publish, store) ...`);
    const aggregate = createDistributedAggregateHandler({ ...deps, metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }) });
    const input = { event: READ_EVERY_ACCOUNT, run: { runId } };
    // Its live heap is sampled (a collection forced every quarter second or so): what must fit in the function's memory.
    const aggregated = await withPeakRss(() => timed(counter, () => aggregate(input, lambdaContext())), { liveHeapEveryMs: LIVE_HEAP_EVERY_MS });
    const report = await storedReport(s3, aggregated.value.value);
    const { value: _v, ...timedCost } = aggregated.value;
    // The forced collections are the bench's, not the step's.
    const aggregateCost = { ...timedCost, wallMs: timedCost.wallMs - aggregated.forcedGcWallMs, cpuMs: timedCost.cpuMs - aggregated.forcedGcCpuMs };
    return {
      settled,
      batchSize: options.batchSize,
      discover: { wallMs: discovered.wallMs, cpuMs: discovered.cpuMs, attempts: discovered.attempts, accounts: result.accounts },
      batch: {
        wallMs: collected.wallMs,
        cpuMs: collected.cpuMs,
        attempts: collected.attempts,
        accounts: measuredItems.length,
        collected: collected.value.collected,
        calls: batchCalls,
        concurrency: settings.concurrency,
      },
      aggregate: {
        ...aggregateCost,
        peakRssBytes: aggregated.peakRssBytes,
        baselineRssBytes: aggregated.baselineRssBytes,
        peakHeapBytes: aggregated.peakHeapBytes,
        baselineHeapBytes: aggregated.baselineHeapBytes,
        peakLiveHeapBytes: aggregated.peakLiveHeapBytes,
        forcedCollections: aggregated.forcedCollections,
        forcedGcWallMs: aggregated.forcedGcWallMs,
        forcedGcCpuMs: aggregated.forcedGcCpuMs,
        accounts: accounts.length,
        batchFiles: batches.length,
      },
      report,
    };
  } finally {
    files.destroy();
  }
}
