import type { CheckSlug } from '../controls/types';

/** `kind: siem`: the account's monitoring is the benchmark's alternative, a SIEM, not a CloudWatch chain. */
export const EXCEPTION_KINDS = ['siem'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

/** One entry of an exceptions file: accepted risk for some accounts, regions and checks, until a date. */
export interface ExceptionRule {
  /** 1-based position in the file: how reports name an entry without an id. */
  readonly entry: number;
  /** The entry's own short name, when it has one. */
  readonly id?: string;
  readonly accounts: readonly string[];
  /** Organizational units or roots: every account under them, at any depth. */
  readonly ous: readonly string[];
  /** Absent: every region. Present: a finding is excepted only when every region it leaves uncovered is one of these. */
  readonly regions?: readonly string[];
  /** 'all' or the checks it covers. */
  readonly checks: 'all' | readonly CheckSlug[];
  readonly reason: string;
  readonly approvedBy: string;
  /** YYYY-MM-DD: the exception applies through this day (UTC) and not after. */
  readonly expires: string;
  readonly kind?: ExceptionKind;
}

/** An exceptions file, parsed and checked. */
export interface ExceptionRules {
  /** Where it came from (a file name, an S3 or SSM location), for the report. */
  readonly source?: string;
  readonly rules: readonly ExceptionRule[];
}

export type { FindingException } from '../evaluate/types';

/** An entry in words for reports: its id, else its position. */
export interface ExceptionEntryRef {
  readonly entry: number;
  readonly id?: string;
}

/** The report's account of the exceptions: how many applied, which expired, which matched nothing. */
export interface ExceptionsOutcome {
  readonly source?: string;
  /** Findings excepted. */
  readonly applied: number;
  /** Entries past their date: they no longer apply; `findings` is how many FAIL or ERROR findings they would cover. */
  readonly expired: (ExceptionEntryRef & { readonly expires: string; readonly findings: number })[];
  /** Entries in force that excepted nothing, and why. */
  readonly stale: (ExceptionEntryRef & { readonly why: string })[];
}
