import type { BenchmarkId } from '../controls/types';
import type { Finding } from '../evaluate/types';

/** SCANNED and ERROR as DESIGN.md; SKIPPED for accounts outside the scan's scope that are still worth listing (suspended). */
export type AccountStatus = 'SCANNED' | 'ERROR' | 'SKIPPED';

export interface AccountResult {
  readonly accountId: string;
  readonly name?: string;
  readonly status: AccountStatus;
  readonly error?: string;
  readonly regions?: string[];
  readonly notes?: string[];
  readonly apiCalls?: number;
}

export interface ReportSummary {
  readonly pass: number;
  readonly fail: number;
  readonly error: number;
}

/** The scan report (`--format json`, what the Lambda returns and publishes). */
export interface ScanReport {
  readonly benchmark: BenchmarkId;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly accounts: AccountResult[];
  readonly findings: Finding[];
  readonly summary: ReportSummary;
  /** Run-level facts: API calls, skipped work, notes. */
  readonly stats?: {
    readonly apiCalls: number;
    readonly apiCallsPerAccount: Record<string, number>;
    readonly notes?: string[];
  };
}
