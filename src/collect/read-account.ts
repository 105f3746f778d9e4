/**
 * One account, end to end: credentials (AssumeRole unless it is the scanner's own), the regions
 * it has enabled, then its inventory. What the orchestrator runs per account.
 */
import type { AwsClients } from '../aws/clients';
import type { AccountCredentials } from '../discover/credentials';
import { enabledRegions } from '../discover/regions';
import { collectAccount } from './account';
import type { AccountInventory } from './inventory';

export interface ReadAccountOptions {
  /** The selected regions (--regions); every enabled region when absent. */
  readonly regions?: readonly string[];
  /** Where STS, ec2:DescribeRegions and the account-wide CloudTrail calls go. Default us-east-1. */
  readonly homeRegion?: string;
  /** Calls in flight at once within the account. Default 4. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

/**
 * Reads one account. Throws `AccountAccessError` when the account cannot be entered (AssumeRole
 * refused) or read at all; every narrower failure is a read error inside the inventory, and a
 * selected region the account has not enabled is listed in `regionsNotEnabled`.
 */
export async function readAccount(
  clients: AwsClients,
  credentials: AccountCredentials,
  accountId: string,
  options: ReadAccountOptions = {},
): Promise<AccountInventory> {
  const homeRegion = options.homeRegion ?? 'us-east-1';
  const session = await credentials.sessionFor(accountId, options.signal);
  // Collection never depends on the region list (it reads where the trails point), so the two
  // run side by side: one round trip fewer per account, the one that sets the scan's pace.
  const [scope, inventory] = await Promise.all([
    enabledRegions(clients, session, { selected: options.regions, region: homeRegion, signal: options.signal }),
    collectAccount(clients, session, {
      regions: [],
      homeRegion,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
  ]);
  const { formatVersion, collectedAt, trails, logGroups, alarms, topics, readErrors } = inventory;
  return {
    formatVersion,
    accountId: inventory.accountId,
    collectedAt,
    regions: scope.regions,
    ...(scope.notEnabled.length ? { regionsNotEnabled: scope.notEnabled } : {}),
    trails,
    logGroups,
    alarms,
    topics,
    readErrors: [...(scope.readError ? [scope.readError] : []), ...readErrors],
    apiCalls: clients.callCounter.forAccount(accountId),
  };
}
