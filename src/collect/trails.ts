/**
 * Trails: ListTrails once for the whole account (it names every trail and its home region),
 * DescribeTrails for their details, then status and event selectors in each home region for
 * the trails the account owns. Organization trails owned by another account are recorded
 * with what DescribeTrails shows: their chain is read in the owner's inventory.
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  ListTrailsCommand,
  type AdvancedEventSelector as SdkAdvancedEventSelector,
  type EventSelector as SdkEventSelector,
  type Trail,
  type TrailInfo,
} from '@aws-sdk/client-cloudtrail';
import { parseArn } from '../arn';
import type { AdvancedEventSelector, BasicEventSelector, TrailRecord } from './inventory';
import { readAllPages } from './paging';
import { isAbort, toReadError } from './read-errors';
import type { ReadContext } from './types';
import { compact } from './compact';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** ListTrails from the home region, every page. Throws: the caller decides whether the account is reachable at all. */
export async function listTrails(ctx: ReadContext, homeRegion: string): Promise<TrailInfo[]> {
  const client = ctx.clients.cloudTrail(ctx.session, homeRegion);
  const trails = await readAllPages(async (token) => {
    const page = await ctx.limit(() => client.send(new ListTrailsCommand({ NextToken: token }), { abortSignal: ctx.signal }));
    return { items: page.Trails, next: page.NextToken };
  });
  return trails.filter((t) => t.TrailARN);
}

async function describeTrails(ctx: ReadContext, region: string, arns: string[]): Promise<Trail[]> {
  const response = await ctx.limit(() =>
    ctx.clients
      .cloudTrail(ctx.session, region)
      // Shadow trails included: that is how a member account sees its organization trail.
      .send(new DescribeTrailsCommand({ trailNameList: arns, includeShadowTrails: true }), { abortSignal: ctx.signal }),
  );
  return response.trailList ?? [];
}

function basicSelector(s: SdkEventSelector): BasicEventSelector {
  return compact({
    readWriteType: s.ReadWriteType,
    includeManagementEvents: s.IncludeManagementEvents,
    excludeManagementEventSources: s.ExcludeManagementEventSources,
    dataResources: s.DataResources?.map((d) => compact({ type: d.Type, values: d.Values })),
  });
}

function advancedSelector(s: SdkAdvancedEventSelector): AdvancedEventSelector {
  return compact({
    name: s.Name,
    fieldSelectors: (s.FieldSelectors ?? []).map((f) =>
      compact({
        field: f.Field ?? '',
        equals: f.Equals,
        startsWith: f.StartsWith,
        endsWith: f.EndsWith,
        notEquals: f.NotEquals,
        notStartsWith: f.NotStartsWith,
        notEndsWith: f.NotEndsWith,
      }),
    ),
  });
}

async function readStatus(ctx: ReadContext, trail: Mutable<TrailRecord>): Promise<void> {
  try {
    const status = await ctx.limit(() =>
      ctx.clients.cloudTrail(ctx.session, trail.homeRegion).send(new GetTrailStatusCommand({ Name: trail.arn }), { abortSignal: ctx.signal }),
    );
    trail.status = compact({
      isLogging: status.IsLogging === true,
      latestCloudWatchLogsDeliveryError: status.LatestCloudWatchLogsDeliveryError || undefined,
      latestCloudWatchLogsDeliveryTime: status.LatestCloudWatchLogsDeliveryTime?.toISOString(),
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    ctx.readErrors.push(toReadError('trailStatus', error, { resource: trail.arn, region: trail.homeRegion }));
  }
}

async function readSelectors(ctx: ReadContext, trail: Mutable<TrailRecord>): Promise<void> {
  try {
    const selectors = await ctx.limit(() =>
      ctx.clients
        .cloudTrail(ctx.session, trail.homeRegion)
        .send(new GetEventSelectorsCommand({ TrailName: trail.arn }), { abortSignal: ctx.signal }),
    );
    const advanced = selectors.AdvancedEventSelectors ?? [];
    // AWS sets exactly one of the two; an answer with neither means "no selectors at all".
    if (advanced.length > 0) trail.advancedEventSelectors = advanced.map(advancedSelector);
    else trail.eventSelectors = (selectors.EventSelectors ?? []).map(basicSelector);
  } catch (error) {
    if (isAbort(error)) throw error;
    ctx.readErrors.push(toReadError('eventSelectors', error, { resource: trail.arn, region: trail.homeRegion }));
  }
}

function recordOf(info: TrailInfo, detail: Trail | undefined): Mutable<TrailRecord> {
  const arn = info.TrailARN as string;
  const homeRegion = detail?.HomeRegion ?? info.HomeRegion ?? parseArn(arn)?.region ?? '';
  return compact({
    arn,
    name: detail?.Name ?? info.Name ?? arn.split('/').pop() ?? arn,
    homeRegion,
    ownerAccountId: parseArn(arn)?.accountId ?? '',
    isMultiRegionTrail: detail?.IsMultiRegionTrail,
    isOrganizationTrail: detail?.IsOrganizationTrail,
    includeGlobalServiceEvents: detail?.IncludeGlobalServiceEvents,
    cloudWatchLogsLogGroupArn: detail?.CloudWatchLogsLogGroupArn,
    cloudWatchLogsRoleArn: detail?.CloudWatchLogsRoleArn,
  }) as Mutable<TrailRecord>;
}

/**
 * Every trail of the account with its details; status and selectors for the ones it owns.
 * DescribeTrails is asked once, from the home region, for every ARN (an ARN reaches a trail in
 * any region); trails it leaves out are asked for again in their own home region.
 */
export async function readTrails(ctx: ReadContext, homeRegion: string, listed: TrailInfo[]): Promise<TrailRecord[]> {
  if (listed.length === 0) return [];
  const wanted = new Set(listed.map((t) => t.TrailARN as string));
  const details = new Map<string, Trail>();
  const keep = (trails: Trail[]) => {
    for (const t of trails) if (t.TrailARN && wanted.has(t.TrailARN)) details.set(t.TrailARN, t);
  };

  try {
    keep(await describeTrails(ctx, homeRegion, [...wanted]));
  } catch (error) {
    if (isAbort(error)) throw error;
    // Asked again per home region below; recorded only if that fails too.
  }
  const missingByRegion = new Map<string, string[]>();
  for (const t of listed) {
    const arn = t.TrailARN as string;
    if (details.has(arn)) continue;
    const region = t.HomeRegion ?? parseArn(arn)?.region ?? homeRegion;
    missingByRegion.set(region, [...(missingByRegion.get(region) ?? []), arn]);
  }
  await Promise.all(
    [...missingByRegion].map(async ([region, arns]) => {
      try {
        keep(await describeTrails(ctx, region, arns));
      } catch (error) {
        if (isAbort(error)) throw error;
        for (const arn of arns) ctx.readErrors.push(toReadError('trails', error, { resource: arn, region }));
        return;
      }
      for (const arn of arns) {
        if (!details.has(arn)) {
          ctx.readErrors.push({ scope: 'trails', resource: arn, region, code: 'NotFound', message: 'DescribeTrails did not return this trail' });
        }
      }
    }),
  );

  const records = listed.map((info) => recordOf(info, details.get(info.TrailARN as string)));
  const owned = records.filter((t) => t.ownerAccountId === ctx.session.accountId && details.has(t.arn));
  await Promise.all(owned.flatMap((t) => [readStatus(ctx, t), readSelectors(ctx, t)]));
  return records;
}
