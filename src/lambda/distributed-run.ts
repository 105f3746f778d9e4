/**
 * Distributed mode's files in the report bucket: what each step of the state machine writes and
 * the next reads, under `<report prefix>distributed/<run id>/`:
 *
 * - `accounts.json`: the accounts in scope, a JSON array, in discovery's order (the report's);
 * - `items.json`: the accounts the batches collect (the Distributed Map's ItemReader reads it):
 *   those in scope but the organization trail's owner, which Discover reads itself, and the
 *   members its chain settles, which nothing reads (as in single mode);
 * - `discovery.json`: the rest of discovery (accounts listed but skipped, the organization, the
 *   caller, notes, the members left to the organization trail), the run's payload and trigger,
 *   and the calls discovery and the owner's read made;
 * - `batches/<first account id>.json`: one per batch (and the owner's, from Discover), an inventory file (`scan --save-inventory`'s
 *   format, so `trailwatch evaluate --inventory` reads it) with the batch's accounts that could not
 *   be collected and the calls the batch made;
 * - the Map Run's results are not under the run's prefix: Step Functions writes them (ResultWriter)
 *   under `trailwatch/distributed/map-runs/` (deploy/scan-state-machine.cjs), a manifest naming
 *   the files of failed child executions, each with the batch it was given and why it failed; the
 *   aggregate finds the manifest from the Map's output.
 *
 * Everything read back is checked field by field: a file that does not parse fails the step
 * with the file named, never a silent empty report.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import type { CallCounter } from '../aws/clients';
import { readInventoryFile } from '../collect/inventory-file';
import { INVENTORY_FORMAT_VERSION, type AccountInventory, type OrganizationContext } from '../collect/inventory';
import type { ScanPayload, Trigger } from '../config';
import { TrailwatchError } from '../errors';
import type { AccountResult } from '../report/types';
import type { AccountToScan } from '../scan';

export const RUN_FORMAT_VERSION = 1;

/** A run id is the state machine execution's name: what Step Functions allows, checked before it becomes a key. */
const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;

export class DistributedRunError extends TrailwatchError {}

/** Calls made, by account and "Service:Operation" (a CallCounter's content). */
export type CallCounts = Record<string, Record<string, number>>;

export function callCountsOf(counter: CallCounter): CallCounts {
  return Object.fromEntries(counter.accounts().map((id) => [id, counter.forAccount(id)]));
}

/** Adds calls another step made to this counter, so the report counts every call of the run as single mode does. */
export function addCallCounts(counter: CallCounter, counts: CallCounts): void {
  for (const [accountId, operations] of Object.entries(counts)) {
    for (const [key, n] of Object.entries(operations)) {
      const [service = key, operation = key] = key.split(':');
      for (let i = 0; i < n; i += 1) counter.record({ accountId, region: '', service, operation });
    }
  }
}

export interface RunKeys {
  readonly prefix: string;
  readonly accounts: string;
  readonly items: string;
  readonly discovery: string;
  readonly batches: string;
}

export function runKeys(reportPrefix: string, runId: string): RunKeys {
  if (!RUN_ID.test(runId)) throw new DistributedRunError(`run id ${JSON.stringify(runId.slice(0, 100))} is not 1-80 letters, digits, '-' or '_'`);
  const prefix = `${reportPrefix}distributed/${runId}/`;
  return { prefix, accounts: `${prefix}accounts.json`, items: `${prefix}items.json`, discovery: `${prefix}discovery.json`, batches: `${prefix}batches/` };
}

export function batchKey(keys: RunKeys, accounts: readonly AccountToScan[]): string {
  const first = accounts[0]?.accountId;
  if (!first || !/^\d{12}$/.test(first)) throw new DistributedRunError('a batch starts with an account id of 12 digits');
  return `${keys.batches}${first}.json`;
}

const ouSchema = z.looseObject({ path: z.array(z.string()), ids: z.array(z.string()).optional() });
const accountToScanSchema = z.looseObject({ accountId: z.string().regex(/^\d{12}$/), name: z.string().optional(), ou: ouSchema.optional() });
export const accountsToScanSchema = z.array(accountToScanSchema);

const callCountsSchema = z.record(z.string(), z.record(z.string(), z.number().int().nonnegative()));

const discoveryFileSchema = z.looseObject({
  formatVersion: z.literal(RUN_FORMAT_VERSION),
  runId: z.string(),
  startedAt: z.string(),
  event: z.unknown(),
  skipped: z.array(z.looseObject({ accountId: z.string(), name: z.string().optional(), status: z.literal('SKIPPED'), error: z.string().optional() })),
  organization: z.looseObject({ managementAccountId: z.string().optional(), memberAccountIds: z.array(z.string()), accountParents: z.record(z.string(), z.array(z.string())).optional() }).optional(),
  callerAccountId: z.string(),
  notes: z.array(z.string()),
  apiCalls: callCountsSchema,
  judgedThroughOrganization: z.looseObject({ owner: z.string(), members: z.array(z.string()) }).optional(),
});

/** What discover keeps for the batches and the aggregate, besides the accounts themselves. */
export interface DiscoveryFile {
  readonly formatVersion: typeof RUN_FORMAT_VERSION;
  readonly runId: string;
  readonly startedAt: string;
  /** The execution's input as it came (the scheduled event or a manual payload): the aggregate reads it as the scan handler would. */
  readonly event: unknown;
  readonly skipped: AccountResult[];
  readonly organization?: OrganizationContext;
  readonly callerAccountId: string;
  readonly notes: string[];
  readonly apiCalls: CallCounts;
  /** The members Discover left out of the batches: the owner's organization trail settles every check for them. */
  readonly judgedThroughOrganization?: { readonly owner: string; readonly members: string[] };
}

const notCollectedSchema = z.array(z.looseObject({ accountId: z.string(), error: z.string() }));

/** A batch's file: an inventory file plus the accounts it could not collect and its calls. */
export interface BatchFile {
  readonly inventories: AccountInventory[];
  readonly notCollected: { accountId: string; error: string }[];
  readonly apiCalls: CallCounts;
}

export function serializeBatch(batch: BatchFile): string {
  return JSON.stringify({ formatVersion: INVENTORY_FORMAT_VERSION, inventories: batch.inventories, notCollected: batch.notCollected, apiCalls: batch.apiCalls });
}

export function parseBatch(text: string, key: string): BatchFile {
  try {
    const { inventories } = readInventoryFile(text);
    const extra = z.looseObject({ notCollected: notCollectedSchema, apiCalls: callCountsSchema }).parse(JSON.parse(text));
    return { inventories, notCollected: extra.notCollected, apiCalls: extra.apiCalls };
  } catch (error) {
    throw new DistributedRunError(`batch file ${key} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

function parsed<T>(schema: z.ZodType<T>, text: string, key: string): T {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DistributedRunError(`${key} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const [issue] = result.error.issues;
    throw new DistributedRunError(`${key} is not what the previous step writes: ${issue ? `${issue.path.join('.') || '(top level)'}: ${issue.message}` : 'invalid'}`);
  }
  return result.data;
}

export function parseDiscovery(text: string, key: string): DiscoveryFile {
  return parsed(discoveryFileSchema, text, key) as DiscoveryFile;
}

export function parseAccounts(text: string, key: string): AccountToScan[] {
  return parsed(accountsToScanSchema, text, key) as AccountToScan[];
}

/**
 * The Map state's outcome as the aggregate gets it: the Map Run's output with ResultWriter
 * (where the manifest is), what the Catch caught when the Map Run as a whole failed (more
 * batches failed than tolerated, or the run could not start), or the NothingToCollect state's
 * mark when Discover left no account for the batches.
 */
export const mapOutcomeSchema = z.union([
  z.looseObject({ ResultWriterDetails: z.looseObject({ Bucket: z.string(), Key: z.string() }), MapRunArn: z.string().optional() }),
  z.looseObject({ Error: z.string(), Cause: z.string().optional() }),
  z.looseObject({ NothingToCollect: z.literal(true) }),
]);
export type MapOutcome =
  | { readonly ResultWriterDetails: { readonly Bucket: string; readonly Key: string }; readonly MapRunArn?: string }
  | { readonly Error: string; readonly Cause?: string }
  | { readonly NothingToCollect: true };

const manifestSchema = z.looseObject({
  ResultFiles: z.looseObject({
    FAILED: z.array(z.looseObject({ Key: z.string() })).optional(),
    PENDING: z.array(z.looseObject({ Key: z.string() })).optional(),
    SUCCEEDED: z.array(z.looseObject({ Key: z.string() })).optional(),
  }),
});

const childResultsSchema = z.array(z.looseObject({ Input: z.string().optional(), Error: z.string().optional(), Cause: z.string().optional(), Status: z.string().optional() }));
const batchInputSchema = z.looseObject({ Items: accountsToScanSchema });

/** At most this much of an error's cause goes into the report (a Lambda's error can be long). */
const MAX_CAUSE_CHARS = 300;

export function oneLine(text: string, max = MAX_CAUSE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The accounts of a child execution that did not succeed, and why, from a results file of the Map Run. */
export function failedBatches(text: string, key: string): { accountId: string; error: string }[] {
  const entries = parsed(childResultsSchema, text, key);
  return entries.flatMap((entry) => {
    const items = entry.Input ? batchInputSchema.safeParse(safeJson(entry.Input)) : undefined;
    if (!items?.success) return [];
    const why = [entry.Error, entry.Cause].filter(Boolean).join(': ') || entry.Status || 'no reason given';
    const error = `not scanned: its batch failed after its retries (${oneLine(why)})`;
    return items.data.Items.map((item) => ({ accountId: item.accountId, error }));
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseManifest(text: string, key: string): { failed: string[]; pending: string[] } {
  const manifest = parsed(manifestSchema, text, key);
  return { failed: (manifest.ResultFiles.FAILED ?? []).map((f) => f.Key), pending: (manifest.ResultFiles.PENDING ?? []).map((f) => f.Key) };
}

/** The bucket's objects as the steps use them. */
export class RunStore {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async put(key: string, body: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json' }));
  }

  async get(key: string, bucket = this.bucket): Promise<string> {
    const response = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString('utf-8')) ?? '';
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }
}

/** What discover hands the state machine (its result) and each batch (the Map's BatchInput). */
export interface DiscoverResult {
  readonly runId: string;
  /** The Map's items (`items.json`), and how many: the state machine skips the Map when there are none. */
  readonly accountsKey: string;
  readonly accounts: number;
  /** The Map's BatchInput: what a batch needs besides its accounts. */
  readonly collect: CollectRun;
}

export interface CollectRun {
  readonly runId: string;
  readonly callerAccountId: string;
  /** The regions the run reads (the payload's, else the function's REGIONS); every enabled one when absent. */
  readonly regions?: string[];
}

export const collectEventSchema = z.object({
  Items: accountsToScanSchema,
  BatchInput: z.object({ run: z.object({ runId: z.string(), callerAccountId: z.string().regex(/^\d{12}$/), regions: z.array(z.string().regex(/^[a-z0-9-]{1,30}$/)).optional() }) }),
});

export const aggregateEventSchema = z.object({
  event: z.unknown(),
  run: z.looseObject({ runId: z.string() }),
  map: mapOutcomeSchema.optional(),
});

export function parseAggregateInput(input: unknown): { event: unknown; runId: string; map?: MapOutcome } | { issue: string } {
  const result = aggregateEventSchema.safeParse(input);
  if (!result.success) {
    const [issue] = result.error.issues;
    return { issue: `${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}` };
  }
  const { event, run, map } = result.data;
  return { event, runId: run.runId, ...(map ? { map: map as MapOutcome } : {}) };
}

export type { ScanPayload, Trigger };
