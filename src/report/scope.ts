/** The scope a report covers, in words every formatter shares: regions asked for but not scanned. */
import type { ScanReport } from './types';

export interface RegionNotScanned {
  readonly region: string;
  /** The accounts that have not enabled it, in report order. */
  readonly accounts: string[];
}

/** Each region asked for that some scanned account has not enabled, with those accounts. */
export function regionsNotScanned(report: Pick<ScanReport, 'accounts'>): RegionNotScanned[] {
  const byRegion = new Map<string, string[]>();
  for (const account of report.accounts) {
    for (const region of account.regionsNotEnabled ?? []) byRegion.set(region, [...(byRegion.get(region) ?? []), account.accountId]);
  }
  return [...byRegion].map(([region, accounts]) => ({ region, accounts }));
}

/**
 * "Not scanned: region eu-west-9 (asked for, not enabled in account 111111111111)", one line per
 * region; none when the scan covered every region asked for.
 */
export function scopeLines(report: Pick<ScanReport, 'accounts'>, accountsShown = 5): string[] {
  return regionsNotScanned(report).map(({ region, accounts }) => {
    const listed = accounts.slice(0, accountsShown).join(', ');
    const more = accounts.length > accountsShown ? ` and ${accounts.length - accountsShown} more` : '';
    const where = accounts.length === 1 ? `account ${listed}` : `${accounts.length} accounts: ${listed}${more}`;
    return `Not scanned: region ${region} (asked for, not enabled in ${where})`;
  });
}
