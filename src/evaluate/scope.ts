/**
 * The scope a scan was asked for against the one it got: a region asked for that an account has
 * not enabled is not scanned there, and every finding of that account says so (the report never
 * looks greener than its scope). A region no account has enabled is a usage error.
 */
import type { AccountInventory } from '../collect/inventory';
import { UsageError } from '../errors';

/** A region was asked for that no scanned account has enabled. */
export class RegionsEnabledNowhereError extends UsageError {
  constructor(
    readonly regions: readonly string[],
    accounts: number,
  ) {
    super(
      `${regions.length === 1 ? 'region' : 'regions'} ${regions.join(', ')} ${regions.length === 1 ? 'is' : 'are'} enabled in ` +
        `${accounts === 1 ? 'not even the one account' : `none of the ${accounts} accounts`} scanned, so nothing was scanned there: leave ${regions.length === 1 ? 'it' : 'them'} out of the regions asked for, or enable ${regions.length === 1 ? 'it' : 'them'} first`,
    );
  }
}

/** The warning every finding of an account carries when regions asked for were not scanned there. */
export function regionsNotScannedWarning(accountId: string, regions: readonly string[]): string {
  const what = regions.length === 1 ? `region ${regions[0]} was` : `regions ${regions.join(', ')} were`;
  return `${what} asked for but ${regions.length === 1 ? 'is' : 'are'} not enabled in account ${accountId}: not scanned there`;
}

/**
 * The regions asked for that every collected account reported as not enabled. An account whose
 * regions could not be listed does not report any (its scope is the selection, unverified), so it
 * keeps a region from counting as enabled nowhere.
 */
export function regionsEnabledNowhere(selected: readonly string[] | undefined, inventories: readonly AccountInventory[]): string[] {
  if (!selected || inventories.length === 0) return [];
  return [...new Set(selected)].filter((region) => inventories.every((inventory) => inventory.regionsNotEnabled?.includes(region) === true));
}
