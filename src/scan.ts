/**
 * The one orchestrator: discover -> collect (bounded concurrency, deadline aware) -> evaluate ->
 * report -> notify -> remediate. The CLI and the Lambda handlers both call `runScan`.
 * CONTRACT ONLY for now: the body lands once discover, collect and evaluate exist.
 */
import type { AwsClients } from './aws/clients';
import type { AccountInventory } from './collect/inventory';
import type { BenchmarkId, CheckSlug } from './controls/types';
import type { NotifySettings, PublishResult } from './notify/types';
import type { ScanReport } from './report/types';
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
  /** Epoch milliseconds after which no new account is started. */
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  /** The region for account-wide calls (STS, Organizations). */
  readonly homeRegion: string;
  /** The SDK client factory (endpoint, credentials, retries, call counting). */
  readonly clients: AwsClients;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Publish the report to SNS (src/notify publishReport) once it is built; nothing is published when absent. */
  readonly notify?: NotifySettings;
}

export interface ScanResult {
  readonly report: ScanReport;
  /** The inventories collected, for --save-inventory and remediation. */
  readonly inventories: AccountInventory[];
  /** What publishReport did, when `notify` was set. */
  readonly notification?: PublishResult;
}

export async function runScan(_options: ScanOptions): Promise<ScanResult> {
  throw new TrailwatchError('runScan is not implemented yet');
}
