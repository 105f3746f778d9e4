/**
 * What the scan function keeps in its report bucket about its last run of each kind (scheduled,
 * manual): when it started, how it ended. Written when a run starts and again when it ends, so a
 * run that timed out or crashed stays "running" long after the timeout; `trailwatch doctor` reads it.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';

export interface RunRecord {
  readonly trigger: 'schedule' | 'manual';
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** running: started and not (yet) finished. */
  readonly outcome: 'running' | 'finished' | 'failed';
  readonly summary?: { readonly pass: number; readonly fail: number; readonly error: number };
  readonly accounts?: { readonly total: number; readonly scanned: number; readonly notScanned: number };
  /** Whether the report was published (finished runs). */
  readonly published?: boolean;
  /** Why it was not published, or why the run failed. */
  readonly detail?: string;
  readonly requestId?: string;
}

const count = z.number().int().min(0);
const runRecordSchema = z.looseObject({
  trigger: z.enum(['schedule', 'manual']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  outcome: z.enum(['running', 'finished', 'failed']),
  summary: z.looseObject({ pass: count, fail: count, error: count }).optional(),
  accounts: z.looseObject({ total: count, scanned: count, notScanned: count }).optional(),
  published: z.boolean().optional(),
  detail: z.string().optional(),
  requestId: z.string().optional(),
});

export function runRecordKey(prefix: string, trigger: RunRecord['trigger']): string {
  return `${prefix}runs/last-${trigger}.json`;
}

export async function putRunRecord(s3: S3Client, bucket: string, prefix: string, record: RunRecord): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: runRecordKey(prefix, record.trigger), Body: JSON.stringify(record), ContentType: 'application/json' }),
  );
}

/** The record, or undefined when no run of that kind has been recorded. Throws on anything else (access, a malformed record). */
export async function getRunRecord(s3: S3Client, bucket: string, prefix: string, trigger: RunRecord['trigger']): Promise<RunRecord | undefined> {
  const key = runRecordKey(prefix, trigger);
  let text: string;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await response.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
  const parsed = runRecordSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`s3://${bucket}/${key} is not a run record: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data as RunRecord;
}
