/**
 * The regions enabled for one account: account:ListRegions (ENABLED / ENABLED_BY_DEFAULT),
 * falling back to ec2:DescribeRegions where the first is unavailable or refused. A selected
 * region the account has not enabled is skipped with a note, not an error.
 *
 * The fallback is decided per account: an account that refuses ListRegions (its role or an SCP
 * denies it, say) goes to EC2 itself and changes nothing for the others. Only an answer that
 * says the endpoint itself has no Account API (nothing answers there, or a bare HTTP 404 as from
 * an emulator) — the same for every account — sends the rest of the run straight to EC2.
 */
import { ListRegionsCommand } from '@aws-sdk/client-account';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AccountSession, AwsClients } from '../aws/clients';
import { readAllPages } from '../collect/paging';
import { describeError, isAbort, isNoAnswer, readErrorCode, toReadError } from '../collect/read-errors';
import type { RegionScope } from './types';

export interface EnabledRegionsOptions {
  /** The regions asked for (--regions); every enabled region when absent. */
  readonly selected?: readonly string[];
  /** Where ec2:DescribeRegions is called. Default us-east-1. */
  readonly region?: string;
  readonly signal?: AbortSignal;
}

/** Factories whose endpoint has no Account API: every account goes straight to EC2. */
const endpointLacksAccountApi = new WeakSet<AwsClients>();
/** Per factory, the accounts that refused account:ListRegions: they go straight to EC2 next time. */
const accountsRefusingListRegions = new WeakMap<AwsClients, Set<string>>();

/** True when the error is the endpoint's, not the account's: no answer, or a 404 that is no AWS error. */
function endpointHasNoAccountApi(error: unknown): boolean {
  if (isNoAnswer(error)) return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return status === 404 && readErrorCode(error) === 'Other';
}

function skipsListRegions(clients: AwsClients, accountId: string): boolean {
  return endpointLacksAccountApi.has(clients) || (accountsRefusingListRegions.get(clients)?.has(accountId) ?? false);
}

function rememberListRegionsFailure(clients: AwsClients, accountId: string, error: unknown): void {
  if (endpointHasNoAccountApi(error)) {
    endpointLacksAccountApi.add(clients);
  } else if (readErrorCode(error) !== 'Throttled') {
    const refusing = accountsRefusingListRegions.get(clients) ?? new Set<string>();
    refusing.add(accountId);
    accountsRefusingListRegions.set(clients, refusing);
  }
}

async function viaAccountApi(clients: AwsClients, session: AccountSession, signal?: AbortSignal): Promise<string[]> {
  const client = clients.account(session);
  const regions = await readAllPages(async (token) => {
    const page = await client.send(
      new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken: token }),
      { abortSignal: signal },
    );
    return { items: page.Regions, next: page.NextToken };
  });
  return regions
    .filter((r) => r.RegionOptStatus === 'ENABLED' || r.RegionOptStatus === 'ENABLED_BY_DEFAULT')
    .map((r) => r.RegionName)
    .filter((name): name is string => Boolean(name));
}

async function viaEc2(clients: AwsClients, session: AccountSession, region: string, signal?: AbortSignal): Promise<string[]> {
  const page = await clients.ec2(session, region).send(new DescribeRegionsCommand({}), { abortSignal: signal });
  // Without AllRegions AWS lists enabled regions only; emulators may list all, marked not-opted-in.
  return (page.Regions ?? [])
    .filter((r) => r.OptInStatus !== 'not-opted-in')
    .map((r) => r.RegionName)
    .filter((name): name is string => Boolean(name));
}

export async function enabledRegions(clients: AwsClients, session: AccountSession, options: EnabledRegionsOptions = {}): Promise<RegionScope> {
  const { selected, signal } = options;
  const region = options.region ?? 'us-east-1';
  const notes: string[] = [];
  let enabled: string[] | undefined;
  let source: RegionScope['source'] = 'unknown';
  let lastError: unknown;

  if (!skipsListRegions(clients, session.accountId)) {
    try {
      enabled = await viaAccountApi(clients, session, signal);
      source = 'account:ListRegions';
    } catch (error) {
      if (isAbort(error)) throw error;
      lastError = error;
      rememberListRegionsFailure(clients, session.accountId, error);
    }
  }
  if (!enabled) {
    try {
      enabled = await viaEc2(clients, session, region, signal);
      source = 'ec2:DescribeRegions';
    } catch (error) {
      if (isAbort(error)) throw error;
      lastError = error;
    }
  }

  if (!enabled) {
    const readError = toReadError('regions', lastError, { region });
    notes.push(`could not list the regions enabled for account ${session.accountId} (${describeError(lastError)})`);
    return { accountId: session.accountId, regions: [...(selected ?? [])], notEnabled: [], source, notes, readError };
  }

  const enabledSet = new Set(enabled);
  if (!selected) return { accountId: session.accountId, regions: [...enabledSet].sort(), notEnabled: [], source, notes };

  const regions: string[] = [];
  const notEnabled: string[] = [];
  for (const name of new Set(selected)) (enabledSet.has(name) ? regions : notEnabled).push(name);
  for (const name of notEnabled) notes.push(`region ${name} is not enabled for account ${session.accountId}: skipped`);
  return { accountId: session.accountId, regions, notEnabled, source, notes };
}
