/**
 * One account's inventory with the fewest calls: ListTrails once (account-wide), trail details,
 * status and selectors in each trail's home region, the metric filters of each log group the
 * account's trails deliver to, the alarms of those regions, and the topics those alarms
 * notify. Nothing is read twice and nothing depends on how many regions are enabled.
 */
import pLimit from 'p-limit';
import type { AccountSession, AwsClients } from '../aws/clients';
import { AccountAccessError } from '../discover/errors';
import { parseLogGroupArn, parseTopicArn } from '../arn';
import { readAlarms } from './alarms';
import { INVENTORY_FORMAT_VERSION, type AccountInventory, type AlarmRecord, type LogGroupRecord, type TopicRecord } from './inventory';
import { readLogGroup } from './metric-filters';
import { describeError, isAbort, isAccountUnreachable, readErrorCode, toReadError } from './read-errors';
import { listTrails, readTrails } from './trails';
import { readTopic } from './topics';
import type { CollectOptions, ReadContext } from './types';

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason instanceof Error ? signal.reason : Object.assign(new Error('the scan was aborted'), { name: 'AbortError' });
  }
}

/**
 * Reads one account. Every read failure becomes a `ReadError` in the inventory; only an account
 * that cannot be reached at all (credentials refused, endpoint silent) throws `AccountAccessError`.
 */
export async function collectAccount(clients: AwsClients, session: AccountSession, options: CollectOptions): Promise<AccountInventory> {
  const { signal } = options;
  const homeRegion = options.homeRegion ?? 'us-east-1';
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const ctx: ReadContext = { clients, session, signal, limit: (call) => limit(call), readErrors: [...(options.priorReadErrors ?? [])] };
  const accountId = session.accountId;
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  throwIfAborted(signal);

  const inventory = (parts: Partial<Pick<AccountInventory, 'trails' | 'logGroups' | 'alarms' | 'topics'>>): AccountInventory => ({
    formatVersion: INVENTORY_FORMAT_VERSION,
    accountId,
    collectedAt,
    regions: [...options.regions],
    ...(options.regionsNotEnabled?.length ? { regionsNotEnabled: [...options.regionsNotEnabled] } : {}),
    trails: parts.trails ?? [],
    logGroups: parts.logGroups ?? {},
    alarms: parts.alarms ?? {},
    topics: parts.topics ?? {},
    readErrors: ctx.readErrors,
    apiCalls: clients.callCounter.forAccount(accountId),
  });

  // 1. Trails: the first call also tells whether the account can be read at all.
  let listed;
  try {
    listed = await listTrails(ctx, homeRegion);
  } catch (error) {
    if (isAbort(error)) throw error;
    if (isAccountUnreachable(error)) {
      throw new AccountAccessError(accountId, readErrorCode(error), `cannot read account ${accountId} (${describeError(error)})`, {
        cause: error,
      });
    }
    ctx.readErrors.push(toReadError('trails', error, { region: homeRegion }));
    return inventory({});
  }
  const trails = await readTrails(ctx, homeRegion, listed);
  throwIfAborted(signal);

  // 2. Log groups the account's own trails deliver to (an organization trail's are in its owner's inventory).
  const groups = new Map<string, Omit<LogGroupRecord, 'metricFilters'>>();
  for (const trail of trails) {
    if (trail.ownerAccountId !== accountId || !trail.cloudWatchLogsLogGroupArn) continue;
    const group = parseLogGroupArn(trail.cloudWatchLogsLogGroupArn);
    if (group && group.accountId === accountId && !groups.has(group.arn)) groups.set(group.arn, { arn: group.arn, name: group.name, region: group.region, accountId: group.accountId });
  }
  const logGroupList = await Promise.all([...groups.values()].map((g) => readLogGroup(ctx, g)));
  const logGroups: Record<string, LogGroupRecord> = Object.fromEntries(logGroupList.map((g) => [g.arn, g]));
  throwIfAborted(signal);

  // 3. Alarms, once per region that holds one of those log groups.
  const byRegion = new Map<string, LogGroupRecord[]>();
  for (const g of logGroupList) byRegion.set(g.region, [...(byRegion.get(g.region) ?? []), g]);
  const alarms: Record<string, AlarmRecord[]> = {};
  await Promise.all(
    [...byRegion].map(async ([region, regionGroups]) => {
      const found = await readAlarms(ctx, region, regionGroups);
      if (found) alarms[region] = found;
    }),
  );
  throwIfAborted(signal);

  // 4. Topics those alarms notify, when they live in this account (others are read in their own).
  const topicsWanted = new Map<string, { arn: string; region: string; accountId: string }>();
  for (const regionAlarms of Object.values(alarms)) {
    for (const alarm of regionAlarms) {
      for (const action of alarm.alarmActions) {
        const topic = parseTopicArn(action);
        if (topic && topic.accountId === accountId && !topicsWanted.has(topic.arn)) topicsWanted.set(topic.arn, topic);
      }
    }
  }
  const topicList = await Promise.all([...topicsWanted.values()].map((t) => readTopic(ctx, t)));
  const topics: Record<string, TopicRecord> = Object.fromEntries(topicList.map((t) => [t.arn, t]));

  return inventory({ trails, logGroups, alarms: sortedByRegion(alarms), topics });
}

function sortedByRegion<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
