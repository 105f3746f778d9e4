import type { CheckSlug } from '../controls/types';

export const Status = { PASS: 'PASS', FAIL: 'FAIL', ERROR: 'ERROR' } as const;
export type StatusValue = (typeof Status)[keyof typeof Status];

/** The links of the chain, in order; a finding names the first one that is broken. */
export const CHAIN_LINKS = ['trail', 'logGroup', 'metricFilter', 'alarm', 'topic', 'subscription'] as const;
export type BrokenLink = (typeof CHAIN_LINKS)[number];

export interface FindingEvidence {
  readonly trail?: string;
  readonly logGroup?: string;
  readonly metricFilter?: string;
  readonly alarm?: string;
  readonly topic?: string;
  /** Set on a member account's finding when the chain is its organization trail's, owned by this account. */
  readonly organizationTrailOwner?: string;
}

/** One finding per account and check, in the report shape of DESIGN.md. */
export interface Finding {
  readonly accountId: string;
  readonly check: CheckSlug;
  /** The control number in the selected benchmark, e.g. "4.3". */
  readonly control: string;
  readonly status: StatusValue;
  readonly coveredRegions: string[];
  readonly uncoveredRegions: string[];
  readonly brokenLink: BrokenLink | null;
  /** One sentence a person can act on, naming the resource and what to change. */
  readonly reason: string;
  readonly evidence: FindingEvidence;
  /** A command or step that repairs the broken link, when there is one. */
  readonly fix?: string;
  /** Things worth knowing that do not fail the check (e.g. a KMS key policy that could not be read). */
  readonly warnings?: string[];
  /** Accepted risk (src/exceptions): set on a FAIL or ERROR finding an exceptions entry in force covers; the status stays. */
  readonly exception?: FindingException;
}

/** What an excepted finding carries: who accepted the risk, why, and until when. */
export interface FindingException {
  readonly reason: string;
  readonly approvedBy: string;
  /** YYYY-MM-DD, the last day it applies. */
  readonly expires: string;
  /** siem: the account is monitored by a SIEM, the benchmark's alternative to the CloudWatch chain. */
  readonly kind?: 'siem';
}
