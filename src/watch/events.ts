/**
 * The events the watch accepts: EventBridge "AWS API Call via CloudTrail" events (what the
 * scanner's bus receives and the queue hands over), or, for `trailwatch recheck`, the bare
 * CloudTrail record. Everything in them comes from member accounts: shapes are checked, text is
 * bounded, and a refusal names the field.
 */
import { z } from 'zod';
import { TrailwatchError } from '../errors';
import type { BrokenLink } from '../evaluate/types';
import { watchedCall } from './calls';

/** An event the watch cannot use: the message names the field. Nothing is re-checked for it. */
export class WatchEventError extends TrailwatchError {}

export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
/** ARNs and other identifiers are short in AWS; anything longer is cut where it is printed. */
const MAX_TEXT = 2048;

const text = z.string().min(1).max(MAX_TEXT);
const accountId = z.string().regex(ACCOUNT_ID, 'expected a 12-digit account ID');
const region = z.string().regex(REGION, 'expected a region such as us-east-1');
const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO 8601 time');

const cloudTrailRecord = z.looseObject({
  eventSource: text,
  eventName: text,
  eventTime: isoTime,
  eventID: text,
  awsRegion: region,
  userIdentity: z.looseObject({
    type: z.string().max(MAX_TEXT).optional(),
    arn: z.string().max(MAX_TEXT).optional(),
    accountId: accountId.optional(),
    invokedBy: z.string().max(MAX_TEXT).optional(),
  }),
  sourceIPAddress: z.string().max(MAX_TEXT).optional(),
  recipientAccountId: accountId.optional(),
  errorCode: z.string().max(MAX_TEXT).optional(),
  requestParameters: z.record(z.string(), z.unknown()).nullable().optional(),
});

const eventBridgeEnvelope = z.looseObject({
  version: z.string().max(16),
  id: text,
  'detail-type': z.literal(CLOUDTRAIL_DETAIL_TYPE),
  source: z.string().regex(/^aws\.[a-z0-9-]+$/, 'expected aws.<service>'),
  account: accountId,
  time: isoTime,
  region,
  resources: z.array(z.string()).optional(),
  detail: cloudTrailRecord,
});

type CloudTrailRecord = z.infer<typeof cloudTrailRecord>;

/** Who made the call and when: what every change message names. */
export interface Actor {
  /** userIdentity.arn, or the invoking service / identity type when there is no ARN (e.g. a service call). */
  readonly arn: string;
  readonly sourceIPAddress: string;
  readonly eventTime: string;
  readonly eventID: string;
  readonly eventName: string;
}

/** A watched call, as the re-check uses it. */
export interface WatchEvent {
  /** The account the call was made in (recipientAccountId, else the envelope's account). */
  readonly accountId: string;
  readonly region: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly link: BrokenLink;
  readonly actor: Actor;
  /** Set when the call failed: it changed nothing. */
  readonly errorCode?: string;
  /** Only the request parameters the plan reads, as text. */
  readonly parameters: { readonly roleName?: string; readonly accountId?: string; readonly servicePrincipal?: string };
}

function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  const joined = path.map(String).join('.');
  return prefix && joined ? `${prefix}.${joined}` : prefix || joined || 'the event';
}

function refuse(error: z.ZodError, prefix = ''): never {
  const issue = error.issues[0];
  const where = fieldPath(prefix, issue?.path ?? []);
  const message = issue?.code === 'invalid_type' && issue.input === undefined ? 'required' : (issue?.message ?? 'invalid');
  throw new WatchEventError(`event field ${where}: ${message}`);
}

function parameter(record: CloudTrailRecord, name: string): string | undefined {
  const value = record.requestParameters?.[name];
  return typeof value === 'string' && value.length <= MAX_TEXT ? value : undefined;
}

function fromRecord(record: CloudTrailRecord, envelope: { account?: string; region?: string }, prefix: string): WatchEvent {
  const call = watchedCall(record.eventSource, record.eventName);
  if (!call) {
    throw new WatchEventError(`event field ${prefix}eventName: ${JSON.stringify(record.eventSource)} ${JSON.stringify(record.eventName)} is not a call that can break a chain (see trailwatch's watched calls)`);
  }
  const account = record.recipientAccountId ?? envelope.account ?? record.userIdentity.accountId;
  if (!account) throw new WatchEventError(`event field ${prefix}recipientAccountId: required (the account the call was made in)`);
  const identity = record.userIdentity;
  const roleName = parameter(record, 'roleName');
  const removed = parameter(record, 'accountId');
  const servicePrincipal = parameter(record, 'servicePrincipal');
  return {
    accountId: account,
    region: record.awsRegion,
    eventSource: record.eventSource,
    eventName: record.eventName,
    link: call.link,
    actor: {
      arn: identity.arn ?? identity.invokedBy ?? `${identity.type ?? 'unknown'} identity`,
      sourceIPAddress: record.sourceIPAddress ?? 'an unknown address',
      eventTime: record.eventTime,
      eventID: record.eventID,
      eventName: record.eventName,
    },
    ...(record.errorCode ? { errorCode: record.errorCode } : {}),
    parameters: {
      ...(roleName ? { roleName } : {}),
      ...(removed && ACCOUNT_ID.test(removed) ? { accountId: removed } : {}),
      ...(servicePrincipal ? { servicePrincipal } : {}),
    },
  };
}

/** An EventBridge CloudTrail event (as the bus delivers it to the queue). Throws WatchEventError naming the field. */
export function parseEventBridgeEvent(input: unknown): WatchEvent {
  const parsed = eventBridgeEnvelope.safeParse(input);
  if (!parsed.success) refuse(parsed.error);
  const event = parsed.data;
  return fromRecord(event.detail, { account: event.account, region: event.region }, 'detail.');
}

/** An EventBridge envelope or a bare CloudTrail record (`trailwatch recheck --event`). */
export function parseAnyCloudTrailEvent(input: unknown): WatchEvent {
  if (typeof input === 'object' && input !== null && 'detail-type' in input) return parseEventBridgeEvent(input);
  const parsed = cloudTrailRecord.safeParse(input);
  if (!parsed.success) refuse(parsed.error);
  return fromRecord(parsed.data, {}, '');
}

/** An SQS message body: JSON text of an EventBridge event. */
export function parseQueuedEvent(body: string): WatchEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new WatchEventError(`the message body is not JSON: ${(error as Error).message}`);
  }
  return parseEventBridgeEvent(json);
}
