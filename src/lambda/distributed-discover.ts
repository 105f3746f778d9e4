/**
 * Distributed mode, step 1 (README "Distributed mode"): the scan's discovery, and the
 * organization trail's owner. Reads the execution's input as the scan function reads its event,
 * discovers the accounts in scope as single mode does (`discoverAccounts`, src/scan.ts), and
 * reads the management account first, as single mode does (`readOrganizationOwner`): when its
 * multi-region organization trail settles every check, the members need no call, so they are left
 * out of the batches (a member cannot change that chain). Writes the accounts (`accounts.json`),
 * the batches' share of them (`items.json`, the Distributed Map's items), the owner's inventory as
 * a batch file of its own, and the rest for the aggregate (`discovery.json`).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { AwsClients } from '../aws/clients';
import { parseScanEvent, PayloadError, type LambdaSettings } from '../config';
import { DEFAULT_REPORT_PREFIX } from '../notify/store';
import { awsScanSteps, discoverAccounts, readOrganizationOwner } from '../scan';
import { buildScanOptions, scanDeadlines, type LambdaContext } from './scan-handler';
import { batchKey, callCountsOf, DistributedRunError, RUN_FORMAT_VERSION, RunStore, runKeys, serializeBatch, type DiscoverResult, type DiscoveryFile } from './distributed-run';

export interface DistributedStepDeps {
  readonly settings: LambdaSettings;
  readonly logger: Logger;
  /** A client factory per invocation; the settings' endpoint when absent. */
  readonly clients?: () => AwsClients;
  readonly now?: () => number;
}

const discoverInputSchema = z.object({ event: z.unknown(), runId: z.string(), startedAt: z.string().optional() });

export function clientsOf(deps: DistributedStepDeps): AwsClients {
  return deps.clients?.() ?? new AwsClients(deps.settings.endpointUrl ? { endpointUrl: deps.settings.endpointUrl } : {});
}

/**
 * The report bucket, which distributed mode needs for everything it hands from one step to the
 * next. The run's files always live under trailwatch/distributed/, whatever REPORT_PREFIX says:
 * the state machine's role (ItemReader, ResultWriter) and the bucket's expiry rule name that
 * prefix (serverless.yml). The report, its page and the baseline go under REPORT_PREFIX, as in
 * single mode.
 */
export function runStoreOf(settings: LambdaSettings, clients: AwsClients): { store: RunStore; prefix: string } {
  const bucket = settings.notify.reportBucket;
  if (!bucket) throw new DistributedRunError('distributed mode keeps its run in the report bucket: REPORT_BUCKET is not set');
  return { store: new RunStore(clients.s3({ accountId: 'scanner' }, settings.homeRegion), bucket), prefix: DEFAULT_REPORT_PREFIX };
}

export function createDistributedDiscoverHandler(deps: DistributedStepDeps): (input: unknown, context: LambdaContext) => Promise<DiscoverResult> {
  const { settings, logger } = deps;
  const now = deps.now ?? Date.now;
  return async (input, context) => {
    const parsedInput = discoverInputSchema.safeParse(input);
    if (!parsedInput.success) throw new PayloadError([{ field: 'input', message: 'expected { event, runId } from the state machine' }]);
    const { event, runId } = parsedInput.data;
    const { payload, trigger } = parseScanEvent(event);
    if (payload.doctor || payload.approve || payload.reject) {
      throw new PayloadError([{ field: payload.doctor ? 'doctor' : payload.approve ? 'approve' : 'reject', message: 'the state machine scans; send this to the scan function' }]);
    }
    logger.info('distributed scan: discovering', { runId, trigger, payload });
    const scanClients = clientsOf(deps);
    // Files are written with clients of their own: the report counts the scan's calls, not the run's bookkeeping.
    const fileClients = clientsOf(deps);
    const abort = new AbortController();
    const deadlines = scanDeadlines(now(), typeof context.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : undefined, settings.deadlineMarginMs);
    const timer = deadlines ? setTimeout(() => abort.abort(new DistributedRunError('the Lambda is about to time out')), deadlines.abortAfterMs) : undefined;
    timer?.unref();
    try {
      const { store, prefix } = runStoreOf(settings, fileClients);
      const keys = runKeys(prefix, runId);
      const options = buildScanOptions(settings, payload, { clients: scanClients, signal: abort.signal, ...(deadlines ? { deadline: deadlines.deadline } : {}) });
      const startedAt = new Date(now()).toISOString();
      const discovery = await discoverAccounts(options);
      const owner = await readOrganizationOwner(discovery, options, awsScanSteps({ callerAccountId: discovery.callerAccountId }));
      // The owner is read here, whatever came of it: its batch file holds its inventory (its queues, functions and keys read, so Aggregate does not read them again), or why it has none.
      if (owner) {
        const { outcome } = owner;
        const ownerAccount = discovery.accounts.filter((a) => a.accountId === outcome.accountId);
        const batch = outcome.kind === 'collected' ? { inventories: [outcome.value], notCollected: [] } : { inventories: [], notCollected: [{ accountId: outcome.accountId, error: outcome.error }] };
        // Its calls are discovery's (counted in discovery.json), not the batch's.
        await store.put(batchKey(keys, ownerAccount), serializeBatch({ ...batch, apiCalls: {} }));
      }
      const settled = owner?.coverage?.unsettled.length === 0 ? { owner: owner.coverage.owner, members: [...owner.members] } : undefined;
      const leftOut = new Set([...(owner ? [owner.outcome.accountId] : []), ...(settled?.members ?? [])]);
      const items = discovery.accounts.filter((a) => !leftOut.has(a.accountId));
      const file: DiscoveryFile = {
        formatVersion: RUN_FORMAT_VERSION,
        runId,
        startedAt,
        event,
        skipped: discovery.skipped,
        ...(discovery.organization ? { organization: discovery.organization } : {}),
        callerAccountId: discovery.callerAccountId,
        notes: discovery.notes,
        apiCalls: callCountsOf(scanClients.callCounter),
        ...(settled ? { judgedThroughOrganization: settled } : {}),
      };
      await store.put(keys.accounts, JSON.stringify(discovery.accounts));
      await store.put(keys.items, JSON.stringify(items));
      await store.put(keys.discovery, JSON.stringify(file));
      logger.info('distributed scan: discovered', {
        runId,
        accounts: discovery.accounts.length,
        toCollect: items.length,
        skipped: discovery.skipped.length,
        ...(owner ? { organizationTrailOwner: owner.outcome.accountId, ownerRead: owner.outcome.kind === 'collected' } : {}),
        ...(settled ? { judgedThroughOrganization: settled.members.length } : {}),
      });
      return {
        runId,
        accountsKey: keys.items,
        accounts: items.length,
        collect: { runId, callerAccountId: discovery.callerAccountId, ...(options.regions ? { regions: [...options.regions] } : {}) },
      };
    } catch (error) {
      logger.error('distributed scan: discovery failed', error as Error);
      throw error;
    } finally {
      if (timer) clearTimeout(timer);
      scanClients.destroy();
      fileClients.destroy();
      logger.resetKeys();
    }
  };
}
