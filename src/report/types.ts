import type { BenchmarkId } from '../controls/types';
import type { OrganizationalUnitPlacement } from '../discover/types';
import type { Finding } from '../evaluate/types';
import type { ExceptionsOutcome } from '../exceptions/types';

/**
 * SCANNED and ERROR as DESIGN.md; SKIPPED for accounts outside the scan's scope that are still
 * worth listing (suspended); ORGANIZATION_TRAIL for a member not read at all because the
 * organization trail's chain, in its owner's account, settles every check (`organizationTrail`).
 */
export type AccountStatus = 'SCANNED' | 'ORGANIZATION_TRAIL' | 'ERROR' | 'SKIPPED';

export interface AccountResult {
  readonly accountId: string;
  readonly name?: string;
  readonly status: AccountStatus;
  readonly error?: string;
  readonly regions?: string[];
  /** Regions asked for that this account has not enabled: not scanned there (the exit code says so). */
  readonly regionsNotEnabled?: string[];
  readonly notes?: string[];
  readonly apiCalls?: number;
  /** The organizational unit the account sits in (read when the scan asks for it, e.g. for the HTML page). */
  readonly ou?: OrganizationalUnitPlacement;
  /** ORGANIZATION_TRAIL: the account that owns the organization trail which judged this member, and the trail(s). */
  readonly organizationTrail?: { readonly owner: string; readonly trails: string[] };
}


export interface ReportSummary {
  readonly pass: number;
  /** FAIL and ERROR findings no exception covers: only these make the CLI exit 1. */
  readonly fail: number;
  readonly error: number;
  /** FAIL and ERROR findings an exception covers (accepted risk), counted apart. */
  readonly excepted?: number;
}

/** What remediation did after the scan (the Lambda with REMEDIATE=plan|apply|approve, or an approved plan). */
export interface ReportRemediation {
  /**
   * plan: nothing was changed; apply: the changes were made and the touched accounts re-scanned;
   * approve: the plan was kept for approval (`approval` without `decision`), or an approved plan was applied.
   */
  readonly mode: 'plan' | 'apply' | 'approve';
  /** Changes in the plan. */
  readonly planned: number;
  /** Changes that wrote something, failed, or were not attempted (apply). */
  readonly applied?: number;
  readonly failed?: number;
  readonly notAttempted?: number;
  /** Items left to a person (a missing trail, a trail not delivering to CloudWatch Logs...). */
  readonly manual: number;
  /** Findings that failed before, with their status after the re-scan (apply). */
  readonly findingChanges?: { readonly accountId: string; readonly check: string; readonly before: string; readonly after: string }[];
  /** REMEDIATE=approve: the kept plan, and once applied who approved it. */
  readonly approval?: {
    readonly planId: string;
    readonly hash: string;
    readonly expiresAt: string;
    /** Where the plan is kept (s3:// URI). */
    readonly location?: string;
    /** approvalLink=true: the signed one-click link, valid until expiresAt. */
    readonly link?: string;
    readonly decision?: { readonly decision: string; readonly by: string; readonly at: string; readonly channel: string };
  };
  /** The section of the findings email, as src/remediate writes it. */
  readonly text: string;
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
  /** Set when remediation ran after the scan; the findings are then those after it. */
  readonly remediation?: ReportRemediation;
  /** Set when an exceptions file was applied: how many findings it excepted, which entries expired or matched nothing. */
  readonly exceptions?: ExceptionsOutcome;
}
