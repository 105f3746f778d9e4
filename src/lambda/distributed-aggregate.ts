/**
 * Distributed mode, step 3: everything single mode does after collection, by the same code. The
 * saved run (discovery, the batches' inventories, the Map Run's failures) becomes the discover and
 * collect steps of `runScan` (src/scan.ts); the rest of runScan runs as in single mode (topics
 * owned elsewhere, what they deliver through, evaluate, exceptions, remediate, Security Hub,
 * publish and store), inside the scan handler itself (`createScanHandler`), which also records
 * the run and beats the heartbeat. An account whose batch failed after its retries, or never
 * ran, is ERROR with the reason; no account of the run is lost. A member Discover left to the
 * organization trail is judged through it here, as single mode judges it.
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
  DistributedRunError,
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

/** Batches whose inventories are held at once while the aggregate hands them out (the one in use, and its neighbour). */
const BATCHES_HELD = 2;

/**
 * The batches' inventories, read back one batch at a time: each is handed out once (to runScan's
 * collect step, which judges it and keeps only its findings and what other accounts look up in it,
 * or the whole inventory when remediation is on, as in single mode) and then dropped. A member the
 * organization trail settles is never asked for, so its batch is not read again for it. Memory
 * holds at most BATCHES_HELD batches' inventories, whatever the run's size.
 */
export class SavedInventories {
  private readonly held = new Map<string, Promise<Map<string, AccountInventory>>>();
  /** Handed out already: a batch read again leaves them out. */
  private readonly taken = new Set<string>();

  constructor(
    private readonly store: RunStore,
    /** The batch file that holds each collected account's inventory. */
    private readonly batchOf: ReadonlyMap<string, string>,
  ) {}

  get size(): number {
    return this.batchOf.size;
  }

  has(accountId: string): boolean {
    return this.batchOf.has(accountId);
  }

  /** The account's inventory, once; undefined for an account no batch collected. */
  async take(accountId: string): Promise<AccountInventory | undefined> {
    const key = this.batchOf.get(accountId);
    if (key === undefined) return undefined;
    if (this.taken.has(accountId)) throw new DistributedRunError(`the inventory of account ${accountId} was asked for twice`);
    const reading = this.batch(key);
    const batch = await reading;
    const inventory = batch.get(accountId);
    this.taken.add(accountId);
    batch.delete(accountId);
    if (batch.size === 0 && this.held.get(key) === reading) this.held.delete(key);
    if (!inventory) throw new DistributedRunError(`batch file ${key} no longer holds account ${accountId}: it changed during the run`);
    return inventory;
  }

  private batch(key: string): Promise<Map<string, AccountInventory>> {
    const held = this.held.get(key);
    if (held) {
      // The most recently used last: the first is the one to let go.
      this.held.delete(key);
      this.held.set(key, held);
      return held;
    }
    const reading = this.store
      .get(key)
      .then((text) => new Map(parseBatch(text, key).inventories.filter((inventory) => !this.taken.has(inventory.accountId)).map((inventory) => [inventory.accountId, inventory])));
    this.held.set(key, reading);
    reading.catch(() => this.held.delete(key));
    for (const oldest of this.held.keys()) {
      if (this.held.size <= BATCHES_HELD) break;
      // A batch let go while some of its accounts are still to come is read again for them.
      this.held.delete(oldest);
    }
    return reading;
  }
}

/** What the run's steps left in the bucket, read back: everything but the inventories, which SavedInventories reads as they are needed. */
export interface SavedRun {
  readonly discovery: DiscoveryFile;
  readonly accounts: AccountToScan[];
  readonly inventories: SavedInventories;
  /** Accounts with no inventory, and why (collect failed, the deadline, their batch failed). */
  readonly notCollected: Map<string, string>;
  readonly apiCalls: DiscoveryFile['apiCalls'][];
}

/**
 * Reads the run's files. Every batch file is read and checked here (a file that does not parse
 * fails the step before anything is judged or published), but only which accounts it holds is
 * kept; their inventories are read again, a batch at a time, when they are judged.
 */
export async function readSavedRun(store: RunStore, prefix: string, runId: string, map: MapOutcome | undefined): Promise<SavedRun> {
  const keys = runKeys(prefix, runId);
  const discovery = parseDiscovery(await store.get(keys.discovery), keys.discovery);
  const accounts = parseAccounts(await store.get(keys.accounts), keys.accounts);
  const batchOf = new Map<string, string>();
  const notCollected = new Map<string, string>();
  const apiCalls = [discovery.apiCalls];
  for (const key of await store.list(keys.batches)) {
    const batch = parseBatch(await store.get(key), key);
    for (const inventory of batch.inventories) batchOf.set(inventory.accountId, key);
    for (const { accountId, error } of batch.notCollected) notCollected.set(accountId, error);
    apiCalls.push(batch.apiCalls);
  }
  // The Map Run's failures: each failed child execution names the batch it was given.
  if (map && 'ResultWriterDetails' in map) {
    const { Bucket: bucket, Key: manifestKey } = map.ResultWriterDetails;
    const manifest = parseManifest(await store.get(manifestKey, bucket), manifestKey);
    for (const key of manifest.failed) {
      for (const { accountId, error } of failedBatches(await store.get(key, bucket), key)) {
        if (!batchOf.has(accountId)) notCollected.set(accountId, error);
      }
    }
  }
  // Whatever is still unaccounted for never finished: the Map Run failed as a whole, or its batch is pending.
  const why =
    map && 'Error' in map
      ? `not scanned: the Distributed Map failed (${oneLine([map.Error, map.Cause].filter(Boolean).join(': '))})`
      : 'not scanned: its batch left no result';
  // Members Discover left to the organization trail are never asked for, unless the owner's chain no longer settles them here.
  const leftToTrail = new Set(discovery.judgedThroughOrganization?.members ?? []);
  const notRead =
    `not read: when the run started, the organization trail of account ${discovery.judgedThroughOrganization?.owner ?? '(none)'} settled every check for this member, ` +
    'and when the run was judged it no longer did (its chain changed meanwhile): scan again';
  for (const account of accounts) {
    if (!batchOf.has(account.accountId) && !notCollected.has(account.accountId)) notCollected.set(account.accountId, leftToTrail.has(account.accountId) ? notRead : why);
  }
  return { discovery, accounts, inventories: new SavedInventories(store, batchOf), notCollected, apiCalls };
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
      const inventory = await run.inventories.take(account.accountId);
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
    // The run's files are read until the scan ends: the inventories a batch at a time, as they are judged.
    const fileClients = clientsOf(deps);
    let saved: SavedRun;
    try {
      const { store, prefix } = runStoreOf(settings, fileClients);
      saved = await readSavedRun(store, prefix, runId, map);
    } catch (error) {
      fileClients.destroy();
      logger.error('distributed scan: the run cannot be read back', error as Error);
      throw error;
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
    try {
      return await scan(event, { ...context, ...(deps.scanFunctionName ? { functionName: deps.scanFunctionName } : {}) });
    } finally {
      fileClients.destroy();
    }
  };
}
