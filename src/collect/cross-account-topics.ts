/**
 * Topics that live in another account than the alarm notifying them (a central security
 * account's topic, say). Each account's collection reads only its own topics; once every
 * account is collected, the scan reads the missing ones with their owner's credentials and adds
 * them to the owner's inventory, where the evaluator resolves them.
 */
import type { AccountSession, AwsClients } from '../aws/clients';
import { parseTopicArn } from '../arn';
import type { AccountInventory, ReadError, TopicRecord } from './inventory';
import { readTopic } from './topics';

export interface TopicToRead {
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
}

/** Per owner account in the scan: the topics other accounts' alarms notify that its inventory lacks. Pure. */
export function topicsOwnedElsewhere(inventories: readonly AccountInventory[]): Map<string, TopicToRead[]> {
  const byAccount = new Map(inventories.map((inventory) => [inventory.accountId, inventory]));
  const wanted = new Map<string, Map<string, TopicToRead>>();
  for (const inventory of inventories) {
    for (const alarms of Object.values(inventory.alarms)) {
      for (const action of alarms.flatMap((alarm) => alarm.alarmActions)) {
        const topic = parseTopicArn(action);
        if (!topic || topic.accountId === inventory.accountId) continue;
        const owner = byAccount.get(topic.accountId);
        if (!owner || owner.topics[topic.arn]) continue;
        const topics = wanted.get(topic.accountId) ?? new Map<string, TopicToRead>();
        topics.set(topic.arn, { arn: topic.arn, region: topic.region, accountId: topic.accountId });
        wanted.set(topic.accountId, topics);
      }
    }
  }
  return new Map([...wanted].map(([accountId, topics]) => [accountId, [...topics.values()]]));
}

/** Reads topics of one account (attributes and subscriptions); failures come back as read errors. */
export async function readTopics(
  clients: AwsClients,
  session: AccountSession,
  topics: readonly TopicToRead[],
  signal?: AbortSignal,
): Promise<{ topics: TopicRecord[]; readErrors: ReadError[] }> {
  const readErrors: ReadError[] = [];
  const ctx = { clients, session, signal, limit: <T>(call: () => Promise<T>) => call(), readErrors };
  const read = await Promise.all(topics.map((topic) => readTopic(ctx, topic)));
  return { topics: read, readErrors };
}

/** The owner's inventory with the topics read for other accounts' alarms added. Pure. */
export function withTopics(inventory: AccountInventory, read: { topics: readonly TopicRecord[]; readErrors: readonly ReadError[] }): AccountInventory {
  return {
    ...inventory,
    topics: { ...inventory.topics, ...Object.fromEntries(read.topics.map((topic) => [topic.arn, topic])) },
    readErrors: [...inventory.readErrors, ...read.readErrors],
  };
}
