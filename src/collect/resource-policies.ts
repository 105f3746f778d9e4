/**
 * What a topic's delivery depends on beyond SNS: the SQS queues and Lambda functions its confirmed
 * subscriptions deliver to, the KMS key it is encrypted with, and the KMS key of each of those
 * queues. Their policies decide whether SNS can deliver and CloudWatch can publish at all.
 *
 * Only the topics the alarms notify are in an inventory, so only their resources are read; each
 * once per scan, with the credentials of the scanned account that owns it (a resource in an
 * account outside the scan is not read: the evaluator says it could not be checked). A pure
 * function says what is still to read; the scan reads it per owner account and adds the records
 * to the owner's inventory, where the evaluator resolves them.
 */
import { DescribeKeyCommand, GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetPolicyCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import type { AccountSession, AwsClients } from '../aws/clients';
import { kmsKeyArn, parseArn, sqsQueueUrl } from '../arn';
import { compact } from './compact';
import type { AccountInventory, ReadError, ResourcePolicyKind, ResourcePolicyRecord, SubscriptionRecord, TopicRecord } from './inventory';
import { isAbort, readErrorCode, toReadError } from './read-errors';
import type { ReadContext } from './types';

export interface ResourceToRead {
  /** As the chain names it: a subscription endpoint, or a key as an ARN (see kmsKeyArn). */
  readonly arn: string;
  readonly kind: ResourcePolicyKind;
  readonly accountId: string;
  readonly region: string;
}

/** The AWS managed keys, whose policies only their own service may use: nothing to read. */
export function isAwsManagedKeyAlias(keyId: string, service: 'sns' | 'sqs'): boolean {
  return keyId === `alias/aws/${service}` || keyId.endsWith(`:alias/aws/${service}`);
}

/** Endpoints checked per topic: one that delivers is enough, and a topic's subscriber list is the member account's to make long. */
export const MAX_ENDPOINTS_PER_TOPIC = 10;

/**
 * The confirmed SQS and Lambda subscriptions of a topic whose endpoint policies are read: the
 * first MAX_ENDPOINTS_PER_TOPIC, in the order AWS lists them. The evaluator uses the same list.
 */
export function checkedEndpoints(topic: TopicRecord): SubscriptionRecord[] {
  return (topic.subscriptions ?? [])
    .filter((subscription) => subscription.subscriptionArn.startsWith('arn:') && (subscription.protocol === 'sqs' || subscription.protocol === 'lambda'))
    .filter((subscription) => parseArn(subscription.endpoint)?.service === subscription.protocol)
    .slice(0, MAX_ENDPOINTS_PER_TOPIC);
}

/** The resources an inventory's topics (and the queues already read) depend on, by ARN. Pure. */
export function resourceDependencies(inventory: AccountInventory): ResourceToRead[] {
  const found: ResourceToRead[] = [];
  const add = (arn: string | undefined, kind: ResourcePolicyKind) => {
    const parsed = arn === undefined ? undefined : parseArn(arn);
    if (arn !== undefined && parsed && parsed.accountId !== '' && parsed.region !== '') found.push({ arn, kind, accountId: parsed.accountId, region: parsed.region });
  };
  for (const topic of Object.values(inventory.topics)) {
    if (!topic.exists) continue;
    if (topic.kmsMasterKeyId && !isAwsManagedKeyAlias(topic.kmsMasterKeyId, 'sns')) add(kmsKeyArn(topic.kmsMasterKeyId, topic.arn), 'kms');
    for (const subscription of checkedEndpoints(topic)) add(subscription.endpoint, subscription.protocol as ResourcePolicyKind);
  }
  for (const record of Object.values(inventory.resourcePolicies ?? {})) {
    if (record.kind === 'sqs' && record.kmsMasterKeyId && !isAwsManagedKeyAlias(record.kmsMasterKeyId, 'sqs')) add(kmsKeyArn(record.kmsMasterKeyId, record.arn), 'kms');
  }
  return found;
}

/**
 * Per owner account in the scan: the resources the scan's topics depend on that its inventory
 * neither holds nor failed to read. Pure; called again after a read, it finds the keys of the
 * queues just read, and then nothing.
 */
export function resourcePoliciesWanted(inventories: readonly AccountInventory[]): Map<string, ResourceToRead[]> {
  const byAccount = new Map(inventories.map((inventory) => [inventory.accountId, inventory]));
  const wanted = new Map<string, Map<string, ResourceToRead>>();
  for (const inventory of inventories) {
    for (const resource of resourceDependencies(inventory)) {
      const owner = byAccount.get(resource.accountId);
      if (!owner || owner.resourcePolicies?.[resource.arn]) continue;
      if (owner.readErrors.some((error) => error.scope === 'resourcePolicy' && error.resource === resource.arn)) continue;
      const resources = wanted.get(resource.accountId) ?? new Map<string, ResourceToRead>();
      resources.set(resource.arn, resource);
      wanted.set(resource.accountId, resources);
    }
  }
  return new Map([...wanted].map(([accountId, resources]) => [accountId, [...resources.values()]]));
}

function isMissingQueue(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue' || readErrorCode(error) === 'NotFound';
}

async function readQueue(ctx: ReadContext, resource: ResourceToRead): Promise<ResourcePolicyRecord> {
  const client = ctx.clients.sqs(ctx.session, resource.region);
  try {
    const { Attributes } = await ctx.limit(() =>
      client.send(new GetQueueAttributesCommand({ QueueUrl: sqsQueueUrl(resource.arn), AttributeNames: ['Policy', 'KmsMasterKeyId'] }), { abortSignal: ctx.signal }),
    );
    return compact({ arn: resource.arn, kind: 'sqs' as const, exists: true, policy: Attributes?.Policy || undefined, kmsMasterKeyId: Attributes?.KmsMasterKeyId || undefined });
  } catch (error) {
    if (isAbort(error) || !isMissingQueue(error)) throw error;
    return { arn: resource.arn, kind: 'sqs', exists: false };
  }
}

async function readFunction(ctx: ReadContext, resource: ResourceToRead): Promise<ResourcePolicyRecord> {
  const client = ctx.clients.lambda(ctx.session, resource.region);
  try {
    const { Policy } = await ctx.limit(() => client.send(new GetPolicyCommand({ FunctionName: resource.arn }), { abortSignal: ctx.signal }));
    return compact({ arn: resource.arn, kind: 'lambda' as const, exists: true, policy: Policy || undefined });
  } catch (error) {
    if (isAbort(error) || readErrorCode(error) !== 'NotFound') throw error;
    // GetPolicy answers alike for a function without a policy and for no function: `exists` stays unknown.
    return { arn: resource.arn, kind: 'lambda' };
  }
}

async function readKey(ctx: ReadContext, resource: ResourceToRead): Promise<ResourcePolicyRecord> {
  const client = ctx.clients.kms(ctx.session, resource.region);
  let metadata;
  try {
    ({ KeyMetadata: metadata } = await ctx.limit(() => client.send(new DescribeKeyCommand({ KeyId: resource.arn }), { abortSignal: ctx.signal })));
  } catch (error) {
    if (isAbort(error) || readErrorCode(error) !== 'NotFound') throw error;
    return { arn: resource.arn, kind: 'kms', exists: false };
  }
  const keyArn = metadata?.Arn ?? resource.arn;
  const { Policy } = await ctx.limit(() => client.send(new GetKeyPolicyCommand({ KeyId: keyArn, PolicyName: 'default' }), { abortSignal: ctx.signal }));
  return compact({
    arn: resource.arn,
    kind: 'kms' as const,
    exists: true,
    policy: Policy || undefined,
    key: compact({ arn: keyArn, manager: metadata?.KeyManager, state: metadata?.KeyState }),
  });
}

/** Calls in flight at once within one account. */
const READ_CONCURRENCY = 4;

const READERS: Record<ResourcePolicyKind, (ctx: ReadContext, resource: ResourceToRead) => Promise<ResourcePolicyRecord>> = {
  sqs: readQueue,
  lambda: readFunction,
  kms: readKey,
};

/** Reads resources of one account; a failure comes back as a read error for that resource. */
export async function readResourcePolicies(
  clients: AwsClients,
  session: AccountSession,
  resources: readonly ResourceToRead[],
  signal?: AbortSignal,
): Promise<{ records: ResourcePolicyRecord[]; readErrors: ReadError[] }> {
  const readErrors: ReadError[] = [];
  const limit = pLimit(READ_CONCURRENCY);
  const ctx: ReadContext = { clients, session, signal, limit: (call) => limit(call), readErrors };
  const read = await Promise.all(
    resources.map(async (resource) => {
      try {
        return await READERS[resource.kind](ctx, resource);
      } catch (error) {
        if (isAbort(error)) throw error;
        readErrors.push(toReadError('resourcePolicy', error, { resource: resource.arn, region: resource.region }));
        return undefined;
      }
    }),
  );
  return { records: read.filter((record): record is ResourcePolicyRecord => record !== undefined), readErrors };
}

/** The owner's inventory with the records read for the scan's topics added. Pure. */
export function withResourcePolicies(
  inventory: AccountInventory,
  read: { records: readonly ResourcePolicyRecord[]; readErrors: readonly ReadError[] },
): AccountInventory {
  if (read.records.length === 0 && read.readErrors.length === 0) return inventory;
  return {
    ...inventory,
    resourcePolicies: { ...inventory.resourcePolicies, ...Object.fromEntries(read.records.map((record) => [record.arn, record])) },
    readErrors: [...inventory.readErrors, ...read.readErrors],
  };
}
