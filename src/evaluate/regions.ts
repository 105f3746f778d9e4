/**
 * Which events a check needs covered, as units, and which of them a trail's scope reaches.
 *
 * A regional unit stands for the events recorded in one in-scope region; the global unit for the
 * events of global services (IAM, STS, sign-in, Organizations), which CloudTrail records in
 * us-east-1 (in the aws partition) and delivers only to trails that include global service
 * events and are multi-region or homed in that region. AWS documents that since 2021-11-22
 * global service events are recorded in us-east-1 and that single-region trails elsewhere must
 * become multi-region to keep receiving them (CloudTrail user guide, "update-trail"); a
 * multi-region trail must include them (CreateTrail refuses otherwise: "Multi-Region trail must
 * include global service events").
 */
import type { TrailRecord } from '../collect/inventory';
import type { EventScope } from '../controls/types';

export type Unit = { readonly kind: 'regional'; readonly region: string } | { readonly kind: 'global'; readonly region: string };

/** The region where a partition records global service events. */
export function globalEventsRegion(regions: readonly string[]): string {
  const sample = regions[0] ?? 'us-east-1';
  if (sample.startsWith('cn-')) return 'cn-north-1';
  if (sample.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** The units a check needs covered in an account with these in-scope regions; the global unit first. */
export function requiredUnits(scope: EventScope, regions: readonly string[]): Unit[] {
  const global: Unit[] = scope === 'regional' ? [] : [{ kind: 'global', region: globalEventsRegion(regions) }];
  const regional: Unit[] = scope === 'global' ? [] : regions.map((region) => ({ kind: 'regional', region }));
  return [...global, ...regional];
}

export function unitKey(unit: Unit): string {
  return unit.kind === 'global' ? 'global' : unit.region;
}

export function reaches(trail: TrailRecord, unit: Unit): boolean {
  const multiRegion = trail.isMultiRegionTrail === true;
  if (unit.kind === 'regional') return multiRegion || trail.homeRegion === unit.region;
  // AWS's default for IncludeGlobalServiceEvents is true.
  return trail.includeGlobalServiceEvents !== false && (multiRegion || trail.homeRegion === unit.region);
}

/** "single-region trail in eu-west-1", "multi-region trail homed in eu-west-1" */
export function describeScope(trail: TrailRecord): string {
  return trail.isMultiRegionTrail === true ? `multi-region, homed in ${trail.homeRegion}` : `single-region in ${trail.homeRegion}`;
}

/** The regions of these units, in order, without repeats. */
export function regionsOf(units: readonly Unit[]): string[] {
  return [...new Set(units.map((unit) => unit.region))];
}
