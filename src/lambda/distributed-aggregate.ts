/**
 * Distributed mode, step 3: everything single mode does after collection, by the same code. The
 * saved run (discovery, the batches' inventories, the Map Run's failures) becomes the discover and
 * collect steps of `runScan` (src/scan.ts); the rest of runScan runs as in single mode (topics
 * owned elsewhere, what they deliver through, evaluate, exceptions, remediate, Security Hub,
 * publish and store), inside the scan handler itself (`createScanHandler`), which also records
 * the run and beats the heartbeat. An account whose batch failed after its retries, or never
 * ran, is ERROR with the reason; no account of the run is lost.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { AccountInventory } from '../collect/inventory';
import { PayloadError } from '../config';
import { TrailwatchError } from '../errors';
import { awsScanSteps, runScan, type ScanOptions, type ScanResult, type ScanSteps } from '../scan';
import type { RecordRun } from './runs';
import { createScanHandler, type LambdaContext, type ScanSummary } from './scan-handler';
import {
  addCallCounts,
  failedBatches,
  oneLine,
  parseAccounts,
  parseBatch,
  parseDiscovery,
  parseAggregateInput,
  parseManifest,
  runKeys,
  type DiscoveryFile,
  type MapOutcome,
  type RunStore,
} from './distributed-run';
import { clientsOf, runStoreOf, type DistributedStepDeps } from './distributed-discover';
import type { AccountToScan } from '../scan';

export interface DistributedAggregateDeps extends DistributedStepDeps {
  readonly metrics: Metrics;
  readonly recordRun?: RecordRun;
  /** The scan function's name: the heartbeat alarm watches it, and approval instructions name it. */
  readonly scanFunctionName?: string;
}

/** An account of the run without an inventory: the reason is the report's. */
class NotCollectedError extends TrailwatchError {}

/** What the run's steps left in the bucket, read back. */
export interface SavedRun {
  readonly discovery: DiscoveryFile;
  readonly accounts: AccountToScan[];
  readonly inventories: Map<string, AccountInventory>;
  /** Accounts with no inventory, and why (collect failed, the deadline, their batch failed). */
  readonly notCollected: Map<string, string>;
  readonly apiCalls: DiscoveryFile['apiCalls'][];
}

export async function readSavedRun(store: RunStore, prefix: string, runId: string, map: MapOutcome | undefined): Promise<SavedRun> {
  const keys = runKeys(prefix, runId);
  const discovery = parseDiscovery(await store.get(keys.discovery), keys.discovery);
  const accounts = parseAccounts(await store.get(keys.accounts), keys.accounts);
  const inventories = new Map<string, AccountInventory>();
  const notCollected = new Map<string, string>();
  const apiCalls = [discovery.apiCalls];
  for (const key of await store.list(keys.batches)) {
    const batch = parseBatch(await store.get(key), key);
    for (const inventory of batch.inventories) inventories.set(inventory.accountId, inventory);
    for (const { accountId, error } of batch.notCollected) notCollected.set(accountId, error);
    apiCalls.push(batch.apiCalls);
  }
  // The Map Run's failures: each failed child execution names the batch it was given.
  if (map && 'ResultWriterDetails' in map) {
    const { Bucket: bucket, Key: manifestKey } = map.ResultWriterDetails;
    const manifest = parseManifest(await store.get(manifestKey, bucket), manifestKey);
    for (const key of manifest.failed) {
      for (const { accountId, error } of failedBatches(await store.get(key, bucket), key)) {
        if (!inventories.has(accountId)) notCollected.set(accountId, error);
      }
    }
  }
  // Whatever is still unaccounted for never finished: the Map Run failed as a whole, or its batch is pending.
  const why =
    map && 'Error' in map
      ? `not scanned: the Distributed Map failed (${oneLine([map.Error, map.Cause].filter(Boolean).join(': '))})`
      : 'not scanned: its batch left no result';
  for (const account of accounts) {
    if (!inventories.has(account.accountId) && !notCollected.has(account.accountId)) notCollected.set(account.accountId, why);
  }
  return { discovery, accounts, inventories, notCollected, apiCalls };
}

/**
 * runScan's steps for a saved run: discovery and collection come from the bucket (and the calls
 * they made are counted, as single mode counts them); the second passes and evaluation are the
 * real ones.
 */
export function savedRunSteps(run: SavedRun): ScanSteps {
  const real = awsScanSteps({ callerAccountId: run.discovery.callerAccountId });
  return {
    ...real,
    async discover(options) {
      for (const counts of run.apiCalls) addCallCounts(options.clients.callCounter, counts);
      return {
        accounts: run.accounts,
        skipped: run.discovery.skipped,
        ...(run.discovery.organization ? { organization: run.discovery.organization } : {}),
        callerAccountId: run.discovery.callerAccountId,
        notes: run.discovery.notes,
      };
    },
    async collect(account) {
      const inventory = run.inventories.get(account.accountId);
      if (inventory) return inventory;
      throw new NotCollectedError(run.notCollected.get(account.accountId) ?? 'not scanned: its batch left no result');
    },
  };
}

export function createDistributedAggregateHandler(deps: DistributedAggregateDeps): (input: unknown, context: LambdaContext) => Promise<ScanSummary> {
  const { settings, logger } = deps;
  return async (input, context) => {
    const parsedInput = parseAggregateInput(input);
    if ('issue' in parsedInput) throw new PayloadError([{ field: 'input', message: `expected { event, run, map } from the state machine: ${parsedInput.issue}` }]);
    const { event, runId, map } = parsedInput;
    const fileClients = clientsOf(deps);
    let saved: SavedRun;
    try {
      const { store, prefix } = runStoreOf(settings, fileClients);
      saved = await readSavedRun(store, prefix, runId, map);
    } catch (error) {
      logger.error('distributed scan: the run cannot be read back', error as Error);
      throw error;
    } finally {
      fileClients.destroy();
    }
    logger.info('distributed scan: aggregating', { runId: runId, accounts: saved.accounts.length, collected: saved.inventories.size, notCollected: saved.notCollected.size });
    // The first runScan is the run's; a later one (remediation's re-scan of what it repaired) reads the accounts afresh.
    let first = true;
    const scan = createScanHandler({
      settings,
      logger,
      metrics: deps.metrics,
      runScan: (options: ScanOptions): Promise<ScanResult> => {
        const steps = first ? savedRunSteps(saved) : awsScanSteps();
        first = false;
        return runScan(options, steps);
      },
      ...(deps.clients ? { clients: deps.clients } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.recordRun ? { recordRun: deps.recordRun } : {}),
    });
    return scan(event, { ...context, ...(deps.scanFunctionName ? { functionName: deps.scanFunctionName } : {}) });
  };
}
