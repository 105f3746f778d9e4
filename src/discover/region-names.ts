/**
 * The regions AWS has in the caller's partition, enabled or not (ec2:DescribeRegions with
 * AllRegions): a region asked for that is not among them is a typo, refused before any account
 * is scanned. Where the list cannot be read, nothing is refused here; the scan itself then finds
 * a region enabled in no account.
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AccountSession, AwsClients } from '../aws/clients';
import { isAbort } from '../collect/read-errors';
import { UsageError } from '../errors';

/** A region asked for that AWS does not have. */
export class UnknownRegionError extends UsageError {
  constructor(
    readonly regions: readonly string[],
    known: ReadonlySet<string>,
  ) {
    const alike = [...known].filter((name) => regions.some((region) => sameArea(name, region))).sort();
    super(
      `${regions.map((r) => `'${r}'`).join(', ')} ${regions.length === 1 ? 'is not a region' : 'are not regions'} AWS has ` +
        `(ec2:DescribeRegions lists ${known.size}, enabled or not${alike.length ? `; e.g. ${alike.slice(0, 6).join(', ')}` : ''})`,
    );
  }
}

/** "eu-west-9" and "eu-west-1" are in the same area. */
function sameArea(a: string, b: string): boolean {
  return a.replace(/-\d+$/, '') === b.replace(/-\d+$/, '');
}

/** Every region of the partition, or undefined when the caller may not list them. */
export async function regionsAwsHas(clients: AwsClients, session: AccountSession, region: string, signal?: AbortSignal): Promise<Set<string> | undefined> {
  try {
    const page = await clients.ec2(session, region).send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal: signal });
    const names = (page.Regions ?? []).map((r) => r.RegionName).filter((name): name is string => Boolean(name));
    return names.length > 0 ? new Set(names) : undefined;
  } catch (error) {
    if (isAbort(error)) throw error;
    return undefined;
  }
}

/** Throws UnknownRegionError for regions asked for that AWS does not have; does nothing when it cannot tell. */
export async function refuseUnknownRegions(
  clients: AwsClients,
  session: AccountSession,
  selected: readonly string[],
  region: string,
  signal?: AbortSignal,
): Promise<void> {
  const known = await regionsAwsHas(clients, session, region, signal);
  if (!known) return;
  const unknown = [...new Set(selected)].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new UnknownRegionError(unknown, known);
}
