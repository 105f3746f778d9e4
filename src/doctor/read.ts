/**
 * The doctor's reads, the only part that talks to AWS, and only to read: who is asking, the
 * organization, AssumeRole of the member role in each active account (which changes nothing),
 * the StackSet's instances when some fail, the findings topic's subscriptions, the schedule, the
 * last scheduled run's record, the failure queue and the optional parts. Each read that fails is
 * recorded as such; the judgement is diagnose()'s.
 */
import { ListStackInstancesCommand, type StackInstanceSummary } from '@aws-sdk/client-cloudformation';
import { DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import pLimit from 'p-limit';
import type { AccountSession, AwsClients } from '../aws/clients';
import { readAllPages } from '../collect/paging';
import { describeError, isAbort, readErrorCode } from '../collect/read-errors';
import { AccountAccessError, AccountCredentials, DISCOVERY_SESSION, listAccounts } from '../discover';
import { getRunRecord } from '../notify/run-record';
import { parseArn } from '../arn';
import type { Deployment, DoctorFacts, MemberRoleFact, OptionalPart, Read, StackInstancesFact, SubscriptionFact } from './types';

export interface ReadFactsOptions {
  readonly clients: AwsClients;
  readonly deployment: Deployment;
  readonly perspective: DoctorFacts['perspective'];
  /** Accounts whose member role is tried at once. */
  readonly concurrency: number;
  readonly functionTimeoutSeconds?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

/** Error names that mean "not there" beyond the collector's. */
const NOT_FOUND = new Set(['StackSetNotFoundException', 'NoSuchBucket', 'AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 'NotFoundException']);

async function attempt<T>(read: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (isAbort(error)) throw error;
    const name = (error as { name?: string })?.name ?? '';
    return { ok: false, code: NOT_FOUND.has(name) ? 'NotFound' : readErrorCode(error), message: describeError(error) };
  }
}

const OWN: AccountSession = { accountId: 'doctor' };

export async function readDeploymentFacts(options: ReadFactsOptions): Promise<DoctorFacts> {
  const { clients, deployment, signal } = options;
  const region = deployment.region;
  const checkedAt = (options.now ?? (() => new Date()))().toISOString();

  const discovery = await attempt(() => listAccounts(clients, DISCOVERY_SESSION, { region, signal }));
  const caller: DoctorFacts['caller'] = discovery.ok
    ? { ok: true, value: { accountId: discovery.value.callerAccountId, arn: discovery.value.callerArn } }
    : discovery;
  const organization: DoctorFacts['organization'] = discovery.ok
    ? {
        ok: true,
        value: {
          listed: discovery.value.listedFromOrganization,
          ...(discovery.value.organization?.id ? { id: discovery.value.organization.id } : {}),
          ...(discovery.value.organization?.managementAccountId ? { managementAccountId: discovery.value.organization.managementAccountId } : {}),
          accounts: discovery.value.accounts.map((a) => ({ accountId: a.accountId, ...(a.name ? { name: a.name } : {}) })),
          inactive: discovery.value.notScanned.map((a) => ({ accountId: a.accountId, ...(a.name ? { name: a.name } : {}) })),
          notes: discovery.value.notes,
        },
      }
    : discovery;

  const memberRoles = discovery.ok && discovery.value.listedFromOrganization ? await tryMemberRoles(options, discovery.value.callerAccountId, discovery.value.accounts) : [];
  const denied = memberRoles.some((fact) => !fact.outcome.ok && fact.outcome.code === 'AccessDenied');
  const [stackInstances, topic, schedule, lastScheduledRun, failureQueue, optionalParts] = await Promise.all([
    denied && deployment.memberStackSetName ? readStackInstances(clients, deployment.memberStackSetName, region, signal) : undefined,
    deployment.findingsTopicArn ? readSubscriptions(clients, deployment.findingsTopicArn, signal) : undefined,
    deployment.scheduleRuleName ? readSchedule(clients, deployment.scheduleRuleName, region, signal) : undefined,
    deployment.reportBucket ? attempt(() => getRunRecord(clients.s3(OWN, region), deployment.reportBucket as string, deployment.reportPrefix, 'schedule')) : undefined,
    deployment.failureQueueUrl ? readQueueDepth(clients, deployment.failureQueueUrl, region, signal) : undefined,
    Promise.all(deployment.optionalParts.map(async (part) => ({ part, exists: await partExists(clients, part, region, signal) }))),
  ]);

  return {
    checkedAt,
    deployment,
    caller,
    perspective: options.perspective,
    organization,
    memberRoles,
    ...(stackInstances ? { stackInstances } : {}),
    ...(topic ? { topic } : {}),
    ...(schedule ? { schedule } : {}),
    ...(lastScheduledRun ? { lastScheduledRun } : {}),
    ...(failureQueue ? { failureQueue } : {}),
    optionalParts,
    ...(options.functionTimeoutSeconds !== undefined ? { functionTimeoutSeconds: options.functionTimeoutSeconds } : {}),
  };
}

/** AssumeRole of the member role in every active account but the caller's own, as a scan would. */
async function tryMemberRoles(
  options: ReadFactsOptions,
  callerAccountId: string,
  accounts: readonly { accountId: string; name?: string }[],
): Promise<MemberRoleFact[]> {
  const { clients, deployment, signal } = options;
  const credentials = new AccountCredentials(clients, {
    callerAccountId,
    roleName: deployment.memberRoleName,
    ...(deployment.externalId !== undefined ? { externalId: deployment.externalId } : {}),
    region: deployment.region,
  });
  const limit = pLimit(Math.max(1, options.concurrency));
  const others = accounts.filter((account) => account.accountId !== callerAccountId);
  return Promise.all(
    others.map((account) =>
      limit(async (): Promise<MemberRoleFact> => {
        const base = { accountId: account.accountId, ...(account.name ? { name: account.name } : {}) };
        try {
          await credentials.credentialsFor(account.accountId, signal);
          return { ...base, outcome: { ok: true } };
        } catch (error) {
          if (isAbort(error)) throw error;
          if (error instanceof AccountAccessError) return { ...base, outcome: { ok: false, code: error.code, message: error.reason } };
          return { ...base, outcome: { ok: false, code: readErrorCode(error), message: describeError(error) } };
        } finally {
          clients.releaseAccount(account.accountId);
        }
      }),
    ),
  );
}

/** The StackSet's instances: as its owner (SELF), else as a delegated administrator. */
async function readStackInstances(clients: AwsClients, stackSetName: string, region: string, signal?: AbortSignal): Promise<Read<StackInstancesFact>> {
  const cloudFormation = clients.cloudFormation(OWN, region);
  const list = (callAs: 'SELF' | 'DELEGATED_ADMIN') =>
    readAllPages<StackInstanceSummary>(async (token) => {
      const page = await cloudFormation.send(new ListStackInstancesCommand({ StackSetName: stackSetName, CallAs: callAs, NextToken: token }), { abortSignal: signal });
      return { items: page.Summaries, next: page.NextToken };
    });
  const toFact = (callAs: 'SELF' | 'DELEGATED_ADMIN', summaries: StackInstanceSummary[]): StackInstancesFact => ({
    callAs,
    instances: summaries.map((s) => ({
      accountId: s.Account ?? '',
      region: s.Region ?? region,
      status: s.Status ?? 'UNKNOWN',
      ...(s.StatusReason ? { statusReason: s.StatusReason } : {}),
      ...(s.StackInstanceStatus?.DetailedStatus ? { detailedStatus: s.StackInstanceStatus.DetailedStatus } : {}),
    })),
  });
  const asSelf = await attempt(() => list('SELF'));
  if (asSelf.ok) return { ok: true, value: toFact('SELF', asSelf.value) };
  if (asSelf.code !== 'NotFound' && asSelf.code !== 'AccessDenied') return asSelf;
  const asDelegate = await attempt(() => list('DELEGATED_ADMIN'));
  if (asDelegate.ok) return { ok: true, value: toFact('DELEGATED_ADMIN', asDelegate.value) };
  return asSelf.code === 'NotFound' && asDelegate.code === 'NotFound'
    ? { ok: false, code: 'NotFound', message: `no StackSet '${stackSetName}' in ${region}, as its owner or as a delegated administrator` }
    : asSelf;
}

async function readSubscriptions(clients: AwsClients, topicArn: string, signal?: AbortSignal): Promise<Read<{ subscriptions: SubscriptionFact[] }>> {
  const region = parseArn(topicArn)?.region ?? 'us-east-1';
  const sns = clients.sns(OWN, region);
  return attempt(async () => {
    const listed = await readAllPages(async (token) => {
      const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }), { abortSignal: signal });
      return { items: page.Subscriptions, next: page.NextToken };
    });
    return {
      // The endpoint is an address: the report says only what kind it is.
      subscriptions: listed.map((s) => ({ protocol: s.Protocol ?? '', endpoint: s.Protocol ?? '', confirmed: Boolean(s.SubscriptionArn) && s.SubscriptionArn !== 'PendingConfirmation' })),
    };
  });
}

async function readSchedule(clients: AwsClients, ruleName: string, region: string, signal?: AbortSignal): Promise<Read<{ state: string; expression?: string }>> {
  return attempt(async () => {
    const rule = await clients.eventBridge(OWN, region).send(new DescribeRuleCommand({ Name: ruleName }), { abortSignal: signal });
    return { state: rule.State ?? 'UNKNOWN', ...(rule.ScheduleExpression ? { expression: rule.ScheduleExpression } : {}) };
  });
}

async function readQueueDepth(clients: AwsClients, queueUrl: string, region: string, signal?: AbortSignal): Promise<Read<{ messages: number }>> {
  return attempt(async () => {
    const { Attributes } = await clients.sqs(OWN, region).send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      { abortSignal: signal },
    );
    return { messages: Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
  });
}

async function partExists(clients: AwsClients, part: OptionalPart, region: string, signal?: AbortSignal): Promise<Read<boolean>> {
  const found = await attempt(async () => {
    if (part.kind === 'sns-topic') {
      await clients.sns(OWN, parseArn(part.id)?.region ?? region).send(new GetTopicAttributesCommand({ TopicArn: part.id }), { abortSignal: signal });
    } else if (part.kind === 'sqs-queue') {
      await clients.sqs(OWN, region).send(new GetQueueAttributesCommand({ QueueUrl: part.id, AttributeNames: ['QueueArn'] }), { abortSignal: signal });
    } else {
      await clients.eventBridge(OWN, region).send(new DescribeRuleCommand({ Name: part.id, ...(part.eventBusName ? { EventBusName: part.eventBusName } : {}) }), { abortSignal: signal });
    }
    return true;
  });
  return !found.ok && found.code === 'NotFound' ? { ok: true, value: false } : found;
}
