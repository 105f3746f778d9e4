/**
 * What an organization trail settles for its members before any member is read. A member cannot
 * alter its organization trail, nor the log group, filters, alarms and topic in the trail owner's
 * account; so when the owner's chain for a check passes through a multi-region organization trail
 * (which reaches every region and the global service events of every member), that check PASSes
 * for every member whatever the member holds, and reading the member cannot change it.
 *
 * Judged on the owner's inventory alone, with every other account taken as not read yet: a chain
 * that needs anything from another account (a topic, a queue, a key) is unknown here, and the
 * members are read as before. Pure.
 */
import type { AccountInventory, OrganizationContext } from '../collect/inventory';
import { INVENTORY_FORMAT_VERSION } from '../collect/inventory';
import { controlsFor } from '../controls';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import { candidateChains, summarizeChain } from './chains';
import { EvaluationContext } from './context';

export interface OrganizationCoverage {
  /** The account that owns the organization trails (the management account). */
  readonly owner: string;
  /** Checks whose chain passes through a multi-region organization trail: PASS for every member. */
  readonly settled: readonly CheckSlug[];
  /** The checks the chain does not settle: a member is read for these. */
  readonly unsettled: readonly CheckSlug[];
  /** The organization trails of the passing chains. */
  readonly trails: readonly string[];
  /** The regions a member judged this way is reported with: the owner's in-scope regions. */
  readonly regions: readonly string[];
}

/** A stand-in member: it holds nothing of its own, so only the organization's chains can judge it. */
const STAND_IN_MEMBER = 'organization-member';

const NOT_READ_YET = 'not read yet (the organization trail is judged before the members are read)';

/** The owner's inventory and nothing else: every other account is one not read yet. */
class OwnerOnlyContext extends EvaluationContext {
  constructor(private readonly owner: AccountInventory, organization: OrganizationContext) {
    super([owner], [], organization);
  }

  override failure(accountId: string): string | undefined {
    return accountId === this.owner.accountId ? undefined : NOT_READ_YET;
  }
}

/**
 * Which checks the organization's trail settles for every member, from its owner's inventory.
 * Undefined when the owner is not the organization's management account, or its trails or
 * regions could not be read.
 */
export function organizationCoverage(
  owner: AccountInventory,
  options: { readonly benchmark: BenchmarkId; readonly checks?: readonly CheckSlug[]; readonly organization: OrganizationContext },
): OrganizationCoverage | undefined {
  if (options.organization.managementAccountId !== owner.accountId || owner.regions.length === 0) return undefined;
  // A selected region the owner has not enabled may be enabled in a member: only reading the member tells.
  if (owner.regionsNotEnabled?.length) return undefined;
  if (owner.readErrors.some((error) => error.scope === 'account' || (error.scope === 'trails' && error.resource === undefined))) return undefined;
  const ctx = new OwnerOnlyContext(owner, { managementAccountId: owner.accountId, memberAccountIds: [STAND_IN_MEMBER] });
  const member = memberJudgedThroughOrganization(STAND_IN_MEMBER, owner, []);
  const settled: CheckSlug[] = [];
  const unsettled: CheckSlug[] = [];
  const trails = new Set<string>();
  for (const control of controlsFor(options.benchmark, options.checks)) {
    const passing = candidateChains(member, control, ctx)
      .map(summarizeChain)
      .find(
        (summary) =>
          summary.status === 'pass' &&
          summary.chain.trail?.isOrganizationTrail === true &&
          summary.chain.trail.isMultiRegionTrail === true &&
          summary.chain.trail.ownerAccountId === owner.accountId,
      );
    if (passing?.chain.trail) {
      settled.push(control.check);
      trails.add(passing.chain.trail.arn);
    } else {
      unsettled.push(control.check);
    }
  }
  return { owner: owner.accountId, settled, unsettled, trails: [...trails], regions: [...owner.regions] };
}

/**
 * The inventory of a member that was not read because the organization trail settles every
 * check: nothing of its own, the owner's regions, and who judged it. Evaluated with the owner's
 * inventory, it gets the organization chain's findings (PASS).
 */
export function memberJudgedThroughOrganization(accountId: string, owner: AccountInventory, trails: readonly string[]): AccountInventory {
  return {
    formatVersion: INVENTORY_FORMAT_VERSION,
    accountId,
    collectedAt: owner.collectedAt,
    regions: [...owner.regions],
    trails: [],
    logGroups: {},
    alarms: {},
    topics: {},
    readErrors: [],
    judgedThrough: { organizationTrailOwner: owner.accountId, trails: [...trails] },
  };
}
