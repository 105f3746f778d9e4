/**
 * The one orchestrator: discover -> collect (bounded concurrency, deadline aware) -> evaluate ->
 * report -> notify -> remediate. The CLI and the Lambda handlers both call `runScan`; neither
 * re-implements any of it.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { AwsClients } from './aws/clients';
import type { AccountInventory, OrganizationContext } from './collect/inventory';
import type { BenchmarkId, CheckSlug } from './controls/types';
import type { Finding } from './evaluate/types';
import type { AccountResult, ScanReport } from './report/types';
import { TrailwatchError } from './errors';

export interface ScanProgress {
  readonly kind: 'discovered' | 'account-started' | 'account-finished' | 'account-skipped';
  readonly accountId?: string;
  readonly message?: string;
  readonly done?: number;
  readonly total?: number;
}

export interface ScanOptions {
  readonly benchmark: BenchmarkId;
  /** All checks of the benchmark when absent. */
  readonly checks?: readonly CheckSlug[];
  readonly accounts?: readonly string[];
  readonly excludeAccounts?: readonly string[];
  readonly ous?: readonly string[];
  /** Every enabled region when absent. */
  readonly regions?: readonly string[];
  /** The role assumed in every account but the scanner's own. */
  readonly roleName: string;
  readonly externalId?: string;
  /** Accounts collected at once. */
  readonly concurrency: number;
  /** Epoch milliseconds after which no new account is started and unfinished ones are given up. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  /** The region for account-wide calls (STS, Organizations). */
  readonly homeRegion: string;
  /** The SDK client factory (endpoint, credentials, retries, call counting). */
  readonly clients: AwsClients;
  readonly onProgress?: (progress: ScanProgress) => void;
}

export interface ScanResult {
  readonly report: ScanReport;
  /** The inventories collected, for --save-inventory and remediation. */
  readonly inventories: AccountInventory[];
}

/** An account the scan should read. */
export interface AccountToScan {
  readonly accountId: string;
  readonly name?: string;
}

/** What discovery found: the accounts in scope, those listed but not scanned, the organization. */
export interface Discovery {
  readonly accounts: AccountToScan[];
  /** Listed for the record but not scanned (e.g. suspended accounts). */
  readonly skipped: AccountResult[];
  readonly organization?: OrganizationContext;
  readonly notes: string[];
}

/** The steps runScan composes; the defaults talk to AWS, tests inject their own. */
export interface ScanSteps {
  discover(options: ScanOptions): Promise<Discovery>;
  collect(account: AccountToScan, options: ScanOptions, signal: AbortSignal): Promise<AccountInventory>;
  evaluate(
    inventories: AccountInventory[],
    context: {
      benchmark: BenchmarkId;
      checks?: readonly CheckSlug[];
      organization?: OrganizationContext;
      failedAccounts: { accountId: string; error: string }[];
    },
  ): Finding[];
}

/** An account that could not be finished before the deadline. */
export class DeadlineReachedError extends TrailwatchError {}

export type AccountOutcome<T> =
  | { readonly kind: 'collected'; readonly accountId: string; readonly value: T }
  | { readonly kind: 'failed'; readonly accountId: string; readonly error: string }
  | { readonly kind: 'skipped'; readonly accountId: string; readonly error: string };

export const DEADLINE_SKIPPED = 'not scanned: deadline reached';
export const DEADLINE_UNFINISHED = 'not scanned: deadline reached before the account was finished';

/**
 * Runs `collectOne` for every account, `concurrency` at a time. At the deadline (or on abort) it
 * starts nothing new and gives up on the accounts in flight, so the scan always ends in time and
 * every account comes back exactly once.
 */
export async function collectWithinDeadline<T>(
  accountIds: readonly string[],
  collectOne: (accountId: string, signal: AbortSignal) => Promise<T>,
  options: {
    concurrency: number;
    deadline?: number;
    signal?: AbortSignal;
    now?: () => number;
    onStart?: (accountId: string) => void;
    onFinish?: (outcome: AccountOutcome<T>) => void;
  },
): Promise<AccountOutcome<T>[]> {
  const now = options.now ?? Date.now;
  const stop = new AbortController();
  // Every call in flight, in every account, listens to it: more than Node's default of 10 is normal.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort(new DeadlineReachedError('the scan was cancelled'));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();
  const timer =
    options.deadline === undefined
      ? undefined
      : setTimeout(() => stop.abort(new DeadlineReachedError(DEADLINE_UNFINISHED)), Math.max(0, options.deadline - now()));

  const stopped = new Promise<never>((_, reject) => {
    stop.signal.addEventListener('abort', () => reject(stop.signal.reason), { once: true });
  });
  stopped.catch(() => undefined);

  const limit = pLimit(Math.max(1, options.concurrency));
  const one = async (accountId: string): Promise<AccountOutcome<T>> => {
    if (stop.signal.aborted || (options.deadline !== undefined && now() >= options.deadline)) {
      return { kind: 'skipped', accountId, error: DEADLINE_SKIPPED };
    }
    options.onStart?.(accountId);
    try {
      const value = await Promise.race([collectOne(accountId, stop.signal), stopped]);
      return { kind: 'collected', accountId, value };
    } catch (error) {
      if (error instanceof DeadlineReachedError) return { kind: 'skipped', accountId, error: error.message };
      return { kind: 'failed', accountId, error: describeError(error) };
    }
  };
  try {
    return await Promise.all(
      accountIds.map((id) =>
        limit(async () => {
          const outcome = await one(id);
          options.onFinish?.(outcome);
          return outcome;
        }),
      ),
    );
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** One line for a person: the error's message, with its AWS code when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof TrailwatchError) return error.message;
  if (error instanceof Error) {
    const code = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${code}${error.message}`;
  }
  return String(error);
}

function summarize(findings: readonly Finding[]): ScanReport['summary'] {
  let pass = 0;
  let fail = 0;
  let error = 0;
  for (const f of findings) {
    if (f.status === 'PASS') pass += 1;
    else if (f.status === 'FAIL') fail += 1;
    else error += 1;
  }
  return { pass, fail, error };
}

export async function runScan(options: ScanOptions, steps: ScanSteps = defaultSteps()): Promise<ScanResult> {
  const startedAt = new Date().toISOString();
  const discovery = await steps.discover(options);
  const ids = [...new Set(discovery.accounts.map((a) => a.accountId))];
  const byId = new Map(discovery.accounts.map((a) => [a.accountId, a]));
  options.onProgress?.({ kind: 'discovered', total: ids.length, message: discovery.notes.join(' ') || undefined });

  let done = 0;
  const outcomes = await collectWithinDeadline(
    ids,
    (accountId, signal) => steps.collect(byId.get(accountId) as AccountToScan, options, signal),
    {
      concurrency: options.concurrency,
      deadline: options.deadline,
      signal: options.signal,
      onStart: (accountId) => options.onProgress?.({ kind: 'account-started', accountId, done, total: ids.length }),
      onFinish: (outcome) => {
        done += 1;
        options.onProgress?.({
          kind: outcome.kind === 'collected' ? 'account-finished' : 'account-skipped',
          accountId: outcome.accountId,
          message: outcome.kind === 'collected' ? undefined : outcome.error,
          done,
          total: ids.length,
        });
      },
    },
  );

  const inventories: AccountInventory[] = [];
  const failedAccounts: { accountId: string; error: string }[] = [];
  const accounts: AccountResult[] = [];
  const counter = options.clients.callCounter;
  for (const outcome of outcomes) {
    const name = byId.get(outcome.accountId)?.name;
    const apiCalls = counter.totalFor(outcome.accountId);
    if (outcome.kind === 'collected') {
      inventories.push(outcome.value);
      const notEnabled = outcome.value.regionsNotEnabled ?? [];
      accounts.push({
        accountId: outcome.accountId,
        ...(name ? { name } : {}),
        status: 'SCANNED',
        regions: outcome.value.regions,
        ...(notEnabled.length ? { notes: [`regions not enabled, skipped: ${notEnabled.join(', ')}`] } : {}),
        apiCalls,
      });
    } else {
      failedAccounts.push({ accountId: outcome.accountId, error: outcome.error });
      accounts.push({ accountId: outcome.accountId, ...(name ? { name } : {}), status: 'ERROR', error: outcome.error, apiCalls });
    }
  }

  const findings = steps.evaluate(inventories, {
    benchmark: options.benchmark,
    checks: options.checks,
    organization: discovery.organization,
    failedAccounts,
  });

  const apiCallsPerAccount = Object.fromEntries(counter.accounts().map((id) => [id, counter.totalFor(id)]));
  const report: ScanReport = {
    benchmark: options.benchmark,
    startedAt,
    finishedAt: new Date().toISOString(),
    accounts: [...accounts, ...discovery.skipped],
    findings,
    summary: summarize(findings),
    stats: { apiCalls: counter.total(), apiCallsPerAccount, ...(discovery.notes.length ? { notes: discovery.notes } : {}) },
  };
  return { report, inventories };
}

function defaultSteps(): ScanSteps {
  const notWired = (): never => {
    throw new TrailwatchError('the AWS discovery and collection steps are not wired yet');
  };
  return { discover: async () => notWired(), collect: async () => notWired(), evaluate: () => notWired() };
}
