/**
 * The stored report the re-check compares with (the scheduled scan's baseline in the report
 * bucket), read with its ETag, and updated with a conditional write: when another writer got in
 * between, the newer report is read again and the re-check's findings merged into it, so no
 * update is lost.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mergeBaseline } from '../report/diff';
import type { ScanReport } from '../report/types';
import { baselineKey, getReportWithEtag, s3Uri } from '../notify/store';
import { TrailwatchError } from '../errors';

export class BaselineConflictError extends TrailwatchError {}

export interface StoredBaseline {
  readonly report?: ScanReport;
  /** The object's ETag; absent when there is no baseline yet. */
  readonly etag?: string;
}

export interface BaselineLocation {
  readonly bucket: string;
  readonly prefix: string;
  readonly benchmark: string;
}

/** How many times a write that lost the race is merged again and retried. */
export const MAX_BASELINE_ATTEMPTS = 5;

export async function readBaseline(s3: S3Client, location: BaselineLocation): Promise<StoredBaseline> {
  const stored = await getReportWithEtag(s3, location.bucket, baselineKey(location.prefix, location.benchmark));
  return stored ? { report: stored.report, ...(stored.etag ? { etag: stored.etag } : {}) } : {};
}

function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412 || e.name === 'ConditionalRequestConflict' || e.$metadata?.httpStatusCode === 409;
}

/**
 * Merges `update` (the re-checked accounts' findings) into the stored baseline with If-Match on
 * the ETag read (If-None-Match: * when there was none). Returns where it was written and how
 * many attempts it took.
 */
export async function mergeIntoBaseline(
  s3: S3Client,
  location: BaselineLocation,
  update: ScanReport,
  options: { readonly first?: StoredBaseline; readonly attempts?: number } = {},
): Promise<{ location: string; attempts: number }> {
  const key = baselineKey(location.prefix, location.benchmark);
  const attempts = options.attempts ?? MAX_BASELINE_ATTEMPTS;
  let stored = options.first ?? (await readBaseline(s3, location));
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const merged = mergeBaseline(stored.report, update);
    try {
      await s3.send(
        new PutObjectCommand({
          Bucket: location.bucket,
          Key: key,
          Body: JSON.stringify(merged),
          ContentType: 'application/json',
          ...(stored.etag ? { IfMatch: stored.etag } : { IfNoneMatch: '*' }),
        }),
      );
      return { location: s3Uri(location.bucket, key), attempts: attempt };
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
      stored = await readBaseline(s3, location);
    }
  }
  throw new BaselineConflictError(`${s3Uri(location.bucket, key)} kept changing: gave up merging the re-check after ${attempts} attempts`);
}
