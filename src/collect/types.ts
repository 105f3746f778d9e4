import type { AccountSession, AwsClients } from '../aws/clients';
import type { ReadError } from './inventory';

export interface CollectOptions {
  /** The regions in scope for this account (enabled and selected), e.g. RegionScope.regions. */
  readonly regions: readonly string[];
  /** Selected regions this account has not enabled, e.g. RegionScope.notEnabled. */
  readonly regionsNotEnabled?: readonly string[];
  /** Where the account-wide calls (CloudTrail ListTrails, DescribeTrails) are made. Default us-east-1. */
  readonly homeRegion?: string;
  /** Read errors found before collection (e.g. RegionScope.readError), carried into the inventory. */
  readonly priorReadErrors?: readonly ReadError[];
  /** Calls in flight at once within this account. Default 4. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** The clock for `collectedAt`, for tests. */
  readonly now?: () => Date;
}

/** What every read of one account shares. */
export interface ReadContext {
  readonly clients: AwsClients;
  readonly session: AccountSession;
  readonly signal: AbortSignal | undefined;
  /** Runs a call within the account's concurrency bound. */
  readonly limit: <T>(call: () => Promise<T>) => Promise<T>;
  /** Every read failure lands here, never as a thrown error. */
  readonly readErrors: ReadError[];
}
