/**
 * Distributed mode, step 2: one batch of the Distributed Map. Collects its accounts exactly as
 * single mode's collect step does (`awsScanSteps`, `collectWithinDeadline`, src/scan.ts), and
 * writes their inventories, the accounts it could not collect (with why) and its calls to
 * `batches/<first account>.json`. An account that fails is recorded and the batch goes on; the
 * batch itself fails (and is retried by the state machine) only when its file cannot be written
 * or its input is wrong.
 */
import { collectWithinDeadline, awsScanSteps, type AccountToScan } from '../scan';
import type { AccountInventory } from '../collect/inventory';
import { PayloadError } from '../config';
import { buildScanOptions, scanDeadlines, type LambdaContext } from './scan-handler';
import { batchKey, callCountsOf, collectEventSchema, DistributedRunError, runKeys, serializeBatch } from './distributed-run';
import { clientsOf, runStoreOf, type DistributedStepDeps } from './distributed-discover';

export interface CollectResult {
  readonly batch: string;
  readonly collected: number;
  readonly notCollected: number;
}

export function createDistributedCollectHandler(deps: DistributedStepDeps): (input: unknown, context: LambdaContext) => Promise<CollectResult> {
  const { settings, logger } = deps;
  const now = deps.now ?? Date.now;
  return async (input, context) => {
    const parsedInput = collectEventSchema.safeParse(input);
    if (!parsedInput.success) {
      const [issue] = parsedInput.error.issues;
      throw new PayloadError([{ field: issue?.path.join('.') || 'input', message: `expected the Map's batch ({ Items, BatchInput }): ${issue?.message ?? 'invalid'}` }]);
    }
    const { Items: items, BatchInput: { run } } = parsedInput.data;
    const accounts = items as AccountToScan[];
    const scanClients = clientsOf(deps);
    const fileClients = clientsOf(deps);
    const abort = new AbortController();
    const deadlines = scanDeadlines(now(), typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined, settings.deadlineMarginMs);
    const timer = deadlines ? setTimeout(() => abort.abort(new DistributedRunError('the Lambda is about to time out')), deadlines.abortAfterMs) : undefined;
    timer?.unref();
    try {
      const { store, prefix } = runStoreOf(settings, fileClients);
      const keys = runKeys(prefix, run.runId);
      const key = batchKey(keys, accounts);
      const options = buildScanOptions(settings, run.regions ? { regions: run.regions } : {}, {
        clients: scanClients,
        signal: abort.signal,
        ...(deadlines ? { deadline: deadlines.deadline } : {}),
      });
      const steps = awsScanSteps({ callerAccountId: run.callerAccountId });
      const byId = new Map(accounts.map((a) => [a.accountId, a]));
      const outcomes = await collectWithinDeadline(
        [...byId.keys()],
        (accountId, signal) => steps.collect(byId.get(accountId) as AccountToScan, options, signal),
        { concurrency: options.concurrency, ...(options.deadline !== undefined ? { deadline: options.deadline } : {}), signal: abort.signal },
      );
      const inventories: AccountInventory[] = [];
      const notCollected: { accountId: string; error: string }[] = [];
      for (const outcome of outcomes) {
        if (outcome.kind === 'collected') inventories.push(outcome.value);
        else notCollected.push({ accountId: outcome.accountId, error: outcome.error });
      }
      await store.put(key, serializeBatch({ inventories, notCollected, apiCalls: callCountsOf(scanClients.callCounter) }));
      logger.info('distributed scan: batch collected', { runId: run.runId, batch: key, collected: inventories.length, notCollected: notCollected.length });
      return { batch: key, collected: inventories.length, notCollected: notCollected.length };
    } catch (error) {
      logger.error('distributed scan: batch failed', error as Error);
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
      scanClients.destroy();
      fileClients.destroy();
      logger.resetKeys();
    }
  };
}
