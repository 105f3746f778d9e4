/**
 * Proposed plans kept in the report bucket (REMEDIATE=approve): plans/<id>.json is the plan,
 * plans/<id>.decision.json its one decision. The decision is written with If-None-Match: *, an
 * S3 conditional write, so of two approvals (or an approval and a rejection) racing for the same
 * plan exactly one wins; the other is refused. plans/<id>.outcome.json keeps what was done.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { AwsClients } from '../aws/clients';
import { parseTopicArn } from '../notify/publish';
import { DEFAULT_REPORT_PREFIX, s3Uri } from '../notify/store';
import type { NotifySettings } from '../notify/types';
import type { PlanDecision, PlanRecord } from './approval';
import { validatePlanId } from './approval';
import { ApprovalError } from './errors';

export interface PlanStore {
  readonly s3: S3Client;
  readonly bucket: string;
  /** Key prefix, ending in '/' (or empty). */
  readonly prefix: string;
}

export const planKey = (prefix: string, planId: string): string => `${prefix}plans/${validatePlanId(planId)}.json`;
const decisionKey = (prefix: string, planId: string): string => `${prefix}plans/${validatePlanId(planId)}.decision.json`;
const outcomeKey = (prefix: string, planId: string): string => `${prefix}plans/${validatePlanId(planId)}.outcome.json`;

/** Enough of a stored plan to act on; the plan's changes are the ones this code wrote. */
const planRecordSchema = z.looseObject({
  kind: z.literal('trailwatch-remediation-plan'),
  planId: z.string(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  expiresAt: z.string(),
  accounts: z.array(z.string().regex(/^\d{12}$/)),
  settings: z.looseObject({ benchmark: z.string() }),
  findings: z.array(z.looseObject({ accountId: z.string(), check: z.string(), status: z.string() })),
  plan: z.looseObject({ changes: z.array(z.looseObject({ id: z.string(), accountId: z.string() })), failing: z.array(z.unknown()) }),
});

const decisionSchema = z.object({
  planId: z.string(),
  decision: z.enum(['approved', 'rejected']),
  by: z.string(),
  at: z.string(),
  channel: z.string(),
});

async function getJson(store: PlanStore, key: string): Promise<unknown> {
  let text: string;
  try {
    const response = await store.s3.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
    text = (await response.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw new ApprovalError(`could not read ${s3Uri(store.bucket, key)}: ${(error as Error).message}`, 'unreadable', { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApprovalError(`${s3Uri(store.bucket, key)} is not JSON: ${(error as Error).message}`, 'unreadable', { cause: error });
  }
}

async function putJson(store: PlanStore, key: string, value: unknown, onlyIfAbsent = false): Promise<string> {
  await store.s3.send(
    new PutObjectCommand({
      Bucket: store.bucket,
      Key: key,
      Body: JSON.stringify(value, null, 2),
      ContentType: 'application/json',
      ...(onlyIfAbsent ? { IfNoneMatch: '*' } : {}),
    }),
  );
  return s3Uri(store.bucket, key);
}

/** Keeps a plan; never overwrites one (the same id is the same plan: same second, same hash). */
export async function putPlanRecord(store: PlanStore, record: PlanRecord): Promise<string> {
  try {
    return await putJson(store, planKey(store.prefix, record.planId), record, true);
  } catch (error) {
    if (isPreconditionFailed(error)) return s3Uri(store.bucket, planKey(store.prefix, record.planId));
    throw error;
  }
}

function isPreconditionFailed(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (error as { name?: string }).name === 'PreconditionFailed' || status === 412 || status === 409;
}

/** The stored plan; throws ApprovalError when there is none or it is not one. */
export async function readPlanRecord(store: PlanStore, planId: string): Promise<PlanRecord> {
  const key = planKey(store.prefix, planId);
  const json = await getJson(store, key);
  if (json === undefined) throw new ApprovalError(`there is no plan ${planId} at ${s3Uri(store.bucket, key)}`, 'missing');
  const parsed = planRecordSchema.safeParse(json);
  if (!parsed.success || parsed.data.planId !== planId) throw new ApprovalError(`${s3Uri(store.bucket, key)} is not a trailwatch remediation plan`, 'unreadable');
  return parsed.data as unknown as PlanRecord;
}

export async function readDecision(store: PlanStore, planId: string): Promise<PlanDecision | undefined> {
  const key = decisionKey(store.prefix, planId);
  const json = await getJson(store, key);
  if (json === undefined) return undefined;
  const parsed = decisionSchema.safeParse(json);
  // An unreadable decision still closes the plan: it is never applied on a guess.
  return parsed.success ? parsed.data : { planId, decision: 'approved', by: 'unknown (unreadable decision object)', at: 'unknown', channel: s3Uri(store.bucket, key) };
}

/** Writes the plan's decision unless it has one; false when another decision got there first. */
export async function claimDecision(store: PlanStore, decision: PlanDecision): Promise<boolean> {
  try {
    await putJson(store, decisionKey(store.prefix, decision.planId), decision, true);
    return true;
  } catch (error) {
    if (isPreconditionFailed(error)) return false;
    throw error;
  }
}

export async function putOutcome(store: PlanStore, planId: string, outcome: unknown): Promise<string> {
  return putJson(store, outcomeKey(store.prefix, planId), outcome);
}

/** The plans' place: the report bucket, called in the findings topic's account and region as the reports are. */
export function planStoreOf(clients: AwsClients, notify: NotifySettings): PlanStore | undefined {
  if (!notify.reportBucket) return undefined;
  const { region, accountId } = parseTopicArn(notify.topicArn);
  return { s3: clients.s3({ accountId }, region), bucket: notify.reportBucket, prefix: notify.reportPrefix ?? DEFAULT_REPORT_PREFIX };
}
