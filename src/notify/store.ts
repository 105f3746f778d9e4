/**
 * Reports kept in the stack's S3 bucket: the baseline the next on-change scan compares with, and
 * each report too large for one SNS message.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { jsonByteLength, jsonFitsWithin, jsonPieces } from '../report/json-text';
import { Status } from '../evaluate/types';
import type { ScanReport } from '../report/types';
import { PreviousReportError } from './errors';

export const DEFAULT_REPORT_PREFIX = 'trailwatch/';

export function baselineKey(prefix: string, benchmark: string): string {
  return `${prefix}baseline/${benchmark}.json`;
}

/** One key per report: reports/<day>/<finishedAt>-<benchmark>.json (colons left out of the time). */
export function fullReportKey(prefix: string, report: Pick<ScanReport, 'benchmark' | 'finishedAt'>, now: Date): string {
  const finished = Number.isNaN(Date.parse(report.finishedAt)) ? now.toISOString() : report.finishedAt;
  const stamp = finished.replace(/:/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}reports/${stamp.slice(0, 10)}/${stamp}-${report.benchmark}.json`;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/** Enough of a report to compare with: anything else in it is kept as it is. */
const storedReportSchema = z.looseObject({
  benchmark: z.string(),
  finishedAt: z.string(),
  accounts: z.array(z.looseObject({ accountId: z.string() })),
  findings: z.array(z.looseObject({ accountId: z.string(), check: z.string(), status: z.enum([Status.PASS, Status.FAIL, Status.ERROR]) })),
  summary: z.looseObject({ pass: z.number(), fail: z.number(), error: z.number() }),
});

/** Pieces of the text gathered into buffers of about this size: fewer, larger writes to the request. */
const UPLOAD_CHUNK_BYTES = 256 * 1024;

function* utf8Chunks(pieces: Iterable<string>): Generator<Buffer> {
  let gathered: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    gathered.push(piece);
    length += piece.length;
    if (length >= UPLOAD_CHUNK_BYTES) {
      yield Buffer.from(gathered.join(''), 'utf8');
      gathered = [];
      length = 0;
    }
  }
  if (gathered.length > 0) yield Buffer.from(gathered.join(''), 'utf8');
}

/** A report up to this size is sent as one text (which the SDK can send again on a retry); a larger one is streamed. */
const STREAM_FROM_BYTES = 8 * 1024 * 1024;
/** Attempts of a streamed upload: the SDK cannot rewind a stream to retry it, so each attempt writes the report anew. */
const STREAMED_ATTEMPTS = 3;

/**
 * Stores the report as JSON. A large one is written a piece at a time (its length counted first,
 * as PutObject needs it): at 10,000 accounts the whole text would be about 150 MB more in memory.
 */
export async function putReport(s3: S3Client, bucket: string, key: string, report: ScanReport): Promise<string> {
  if (jsonFitsWithin(report, STREAM_FROM_BYTES)) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(report), ContentType: 'application/json' }));
    return s3Uri(bucket, key);
  }
  const length = jsonByteLength(report);
  for (let attempt = 1; ; attempt++) {
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from(utf8Chunks(jsonPieces(report))), ContentLength: length, ContentType: 'application/json' }),
      );
      break;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      // A refusal (4xx: access, no such bucket) is final; a failure on the way or of the service is tried again.
      if (attempt >= STREAMED_ATTEMPTS || (status !== undefined && status >= 400 && status < 500)) throw error;
    }
  }
  return s3Uri(bucket, key);
}

/** The stored report, or undefined when there is none yet. Throws PreviousReportError when it is unreadable. */
export async function getReport(s3: S3Client, bucket: string, key: string): Promise<ScanReport | undefined> {
  return (await getReportWithEtag(s3, bucket, key))?.report;
}

/** getReport, with the object's ETag (for a conditional write back). */
export async function getReportWithEtag(s3: S3Client, bucket: string, key: string): Promise<{ report: ScanReport; etag?: string } | undefined> {
  let text: string;
  let etag: string | undefined;
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    etag = response.ETag;
    text = (await response.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw new PreviousReportError(`could not read ${s3Uri(bucket, key)}: ${(error as Error).message}`, { cause: error });
  }
  return { report: parseStoredReport(text, s3Uri(bucket, key)), ...(etag ? { etag } : {}) };
}

/** A stored report's text as a report; throws PreviousReportError naming `where` when it is not one. */
export function parseStoredReport(text: string, where: string): ScanReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PreviousReportError(`${where} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = storedReportSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first && first.path.length > 0 ? first.path.join('.') : 'the top level';
    throw new PreviousReportError(`${where} is not a trailwatch report (${path}: ${first?.message ?? 'invalid'})`);
  }
  return parsed.data as unknown as ScanReport;
}
