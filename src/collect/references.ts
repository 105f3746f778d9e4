/**
 * What of another account an inventory's chains may need: the trails' owners and log groups,
 * the topics its alarms notify, and the queues, functions and keys its topics depend on. A scan
 * that judges an account as soon as it is read (and then keeps only its findings) does so only
 * for an account that needs nothing of another but what is already at hand. Pure.
 */
import { parseArn, parseTopicArn } from '../arn';
import type { AccountInventory } from './inventory';
import { resourceDependencies } from './resource-policies';

/** The accounts other than its own that the inventory's chains may look into. */
export function accountsReferenced(inventory: AccountInventory): Set<string> {
  const own = inventory.accountId;
  const accounts = new Set<string>();
  const add = (accountId: string | undefined) => {
    if (accountId !== undefined && accountId !== own) accounts.add(accountId);
  };
  for (const trail of inventory.trails) {
    add(trail.ownerAccountId);
    if (trail.cloudWatchLogsLogGroupArn) add(parseArn(trail.cloudWatchLogsLogGroupArn)?.accountId || undefined);
  }
  for (const group of Object.values(inventory.logGroups)) add(group.accountId);
  for (const alarms of Object.values(inventory.alarms)) {
    for (const action of alarms.flatMap((alarm) => alarm.alarmActions)) add(parseTopicArn(action)?.accountId);
  }
  for (const topic of Object.values(inventory.topics)) add(topic.accountId);
  for (const resource of resourceDependencies(inventory)) add(resource.accountId);
  return accounts;
}

/** Whether the account owns an organization trail: its members' chains run through its inventory. */
export function ownsOrganizationTrail(inventory: AccountInventory): boolean {
  return inventory.trails.some((trail) => trail.isOrganizationTrail === true && trail.ownerAccountId === inventory.accountId);
}

/**
 * What other accounts' judgements may still look up in an account already judged: its regions,
 * topics, queues, functions and keys, and its read errors; not its trails, log groups and alarms,
 * which only its own chains use (an organization trail's owner is never reduced).
 */
export function lookupsOnly(inventory: AccountInventory): AccountInventory {
  return {
    formatVersion: inventory.formatVersion,
    accountId: inventory.accountId,
    collectedAt: inventory.collectedAt,
    regions: inventory.regions,
    ...(inventory.regionsNotEnabled ? { regionsNotEnabled: inventory.regionsNotEnabled } : {}),
    trails: [],
    logGroups: {},
    alarms: {},
    topics: inventory.topics,
    ...(inventory.resourcePolicies ? { resourcePolicies: inventory.resourcePolicies } : {}),
    readErrors: inventory.readErrors,
  };
}
