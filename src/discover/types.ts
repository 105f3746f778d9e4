import type { OrganizationContext, ReadError } from '../collect/inventory';

/** Where an account sits in the organization: its parent's id (an OU or the root) and the names from the root down to it. */
export interface OrganizationalUnitPlacement {
  readonly id: string;
  readonly path: readonly string[];
  /**
   * The root and units by id, outermost first: what exception entries naming units match, so a
   * re-check can apply them from a stored report without walking the organization again.
   */
  readonly ids?: readonly string[];
}

/** An account the scan reads. */
export interface DiscoveredAccount {
  readonly accountId: string;
  readonly name?: string;
  readonly email?: string;
  /** Organizations' state (ACTIVE, ...); absent when the account did not come from an organization listing. */
  readonly status?: string;
  /** The account whose credentials the scanner runs with: read without AssumeRole. */
  readonly isCaller: boolean;
  readonly isManagement: boolean;
  /** Set when discovery was asked for the OUs (ListAccountsOptions.organizationalUnits). */
  readonly ou?: OrganizationalUnitPlacement;
}

/** An account in scope that is not read, and why (suspended, closed, not in the organization). */
export interface NotScannedAccount {
  readonly accountId: string;
  readonly name?: string;
  readonly status?: string;
  readonly reason: string;
  readonly ou?: OrganizationalUnitPlacement;
}

/** The organization as seen by the scanner; matches `OrganizationContext` of the inventory model. */
export interface DiscoveredOrganization extends OrganizationContext {
  readonly id?: string;
}

/** What the scan covers. Every account in scope is in exactly one of `accounts` and `notScanned`. */
export interface AccountDiscovery {
  readonly callerAccountId: string;
  readonly callerArn: string;
  /** Absent when the caller is in no organization. */
  readonly organization?: DiscoveredOrganization;
  /** Whether the account list came from Organizations ListAccounts. */
  readonly listedFromOrganization: boolean;
  readonly accounts: DiscoveredAccount[];
  readonly notScanned: NotScannedAccount[];
  /** Things a person should know about the scope ("no organization: scanning the caller's account alone"). */
  readonly notes: string[];
}

/** The regions one account is read in. */
export interface RegionScope {
  readonly accountId: string;
  /** Enabled and selected: in the selection's order, or every enabled region sorted when none was selected. */
  readonly regions: string[];
  /** Selected regions not enabled for this account: skipped with a note. */
  readonly notEnabled: string[];
  /** Which API said so; 'unknown' when neither answered. */
  readonly source: 'account:ListRegions' | 'ec2:DescribeRegions' | 'unknown';
  readonly notes: string[];
  /** Set when neither API answered: `regions` is then the selection, unverified (empty without one). */
  readonly readError?: ReadError;
}
