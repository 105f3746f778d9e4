/**
 * Every scan's report kept in the report bucket, with its HTML page next to it and a small trend
 * index (one point per day, the last 90 days) that draws the page's trend without reading 90
 * reports back. Also what `--history s3://bucket/prefix` reads.
 *
 *   <prefix>reports/<day>/<finishedAt>-<benchmark>.json   the report (as before, now every scan)
 *   <prefix>reports/<day>/<finishedAt>-<benchmark>.html   its page
 *   <prefix>history/<benchmark>.json                      the trend index
 */
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { addToHistory, historyPoint, historyPointsOf, parseHistoryIndex, renderHtml, HTML_CONTENT_TYPE, TREND_DAYS, type HistoryIndex, type HistoryPoint } from '../report/html';
import type { ScanReport } from '../report/types';
import { TrailwatchError } from '../errors';
import { fullReportKey, putReport, s3Uri } from './store';

/** A stored history file that could not be read; the trend then starts again from this scan. */
export class HistoryReadError extends TrailwatchError {}

export function historyKey(prefix: string, benchmark: string): string {
  return `${prefix}history/${benchmark}.json`;
}

/** The page's key: the report's, ending in .html. */
export function pageKey(reportKey: string): string {
  return reportKey.replace(/\.json$/, '') + '.html';
}

const CONSOLE_HOSTS: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
  'aws-cn': 'console.amazonaws.cn',
};

/** The S3 console's page for an object (opening it needs a console sign-in with read access to the bucket). */
export function consoleObjectUrl(bucket: string, key: string, region: string, partition = 'aws'): string | undefined {
  const host = CONSOLE_HOSTS[partition];
  if (!host) return undefined;
  return `https://${host}/s3/object/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}&bucketType=general&prefix=${encodeURIComponent(key)}`;
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** The trend index at `key`, or undefined when there is none yet. Throws HistoryReadError when it is not one. */
export async function readHistoryIndex(s3: S3Client, bucket: string, key: string): Promise<HistoryIndex | undefined> {
  let body: string | undefined;
  try {
    body = await getText(s3, bucket, key);
  } catch (error) {
    throw new HistoryReadError(`could not read ${s3Uri(bucket, key)}: ${(error as Error).message}`, { cause: error });
  }
  if (body === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new HistoryReadError(`${s3Uri(bucket, key)} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const index = parseHistoryIndex(json);
  if (!index) throw new HistoryReadError(`${s3Uri(bucket, key)} is not a trailwatch history index`);
  return index;
}

export interface ArchivedReport {
  /** s3://bucket/key of the JSON report. */
  readonly reportLocation: string;
  /** s3://bucket/key of the HTML page, when it was stored. */
  readonly pageLocation?: string;
  /** The S3 console's page for it. */
  readonly pageConsoleUrl?: string;
}

export interface ArchiveOptions {
  readonly bucket: string;
  readonly prefix: string;
  /** The bucket's region and partition, for the console link. */
  readonly region: string;
  readonly partition?: string;
  readonly now: Date;
  readonly note: (text: string) => void;
}

/**
 * Stores the report, updates the trend index and stores the page drawn from it. Only the
 * report is required: a failure after it is noted and the scan goes on (the page or the trend
 * is then missing for this scan, never the report). Throws when the report cannot be stored.
 */
export async function archiveReport(s3: S3Client, report: ScanReport, options: ArchiveOptions): Promise<ArchivedReport> {
  const { bucket, prefix, note } = options;
  const reportKey = fullReportKey(prefix, report, options.now);
  const reportLocation = await putReport(s3, bucket, reportKey, report);

  const indexKey = historyKey(prefix, report.benchmark);
  let index: HistoryIndex | undefined;
  try {
    index = await readHistoryIndex(s3, bucket, indexKey);
  } catch (error) {
    note(`${(error as Error).message}: the trend starts again from this scan`);
  }
  const updated = addToHistory(index, historyPoint(report));
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: indexKey, Body: JSON.stringify(updated), ContentType: 'application/json' }));
  } catch (error) {
    note(`could not update the trend index ${s3Uri(bucket, indexKey)}: ${(error as Error).message}`);
  }

  const key = pageKey(reportKey);
  try {
    const page = renderHtml(report, { history: updated.points, historySource: s3Uri(bucket, indexKey) });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: page, ContentType: HTML_CONTENT_TYPE }));
  } catch (error) {
    note(`could not store the report page at ${s3Uri(bucket, key)}: ${(error as Error).message}`);
    return { reportLocation };
  }
  const pageConsoleUrl = consoleObjectUrl(bucket, key, options.region, options.partition);
  return { reportLocation, pageLocation: s3Uri(bucket, key), ...(pageConsoleUrl ? { pageConsoleUrl } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Reading history back (`--history s3://bucket/prefix`).

const DAY_MS = 24 * 60 * 60 * 1000;
/** At most this many reports are read from a prefix without a trend index. */
export const MAX_HISTORY_REPORTS = 1000;
const DATED_KEY = /(?:^|\/)(\d{4}-\d{2}-\d{2})\//;

/** "s3://bucket/some/prefix/" -> { bucket, prefix }; undefined when it is not an s3:// URI. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!match?.[1]) return undefined;
  return { bucket: match[1], prefix: match[2] ?? '' };
}

/** Whether a key (or path) under reports/<day>/ is older than the trend reaches; keys without a day are read. */
export function tooOld(key: string, until: number): boolean {
  const day = DATED_KEY.exec(key)?.[1];
  if (!day) return false;
  const at = Date.parse(`${day}T23:59:59.999Z`);
  return !Number.isNaN(at) && at < until - TREND_DAYS * DAY_MS;
}

/** Keys of a directory of baselines (merged reports, not scans of their own): never part of the trend. */
export function isBaseline(key: string): boolean {
  return /(?:^|\/)baseline\//.test(key);
}

/**
 * The history under an S3 prefix: the trend index there (history/<benchmark>.json) when there is
 * one, otherwise every JSON report under the prefix from the last 90 days (at most
 * MAX_HISTORY_REPORTS; anything that is not a report is noted and skipped).
 */
export async function readHistoryFromBucket(
  s3: S3Client,
  location: { bucket: string; prefix: string },
  options: { benchmark: string; until: string; note: (text: string) => void },
): Promise<HistoryPoint[]> {
  const { bucket, prefix } = location;
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const index = await readHistoryIndex(s3, bucket, historyKey(base, options.benchmark));
  if (index) return index.points;

  const until = Date.parse(options.until);
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const key = object.Key ?? '';
      if (key.endsWith('.json') && !isBaseline(key.slice(prefix.length)) && !tooOld(key.slice(prefix.length), until)) keys.push(key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  // Newest first (dated keys sort by time), so a cut keeps the recent ones.
  keys.sort().reverse();
  if (keys.length > MAX_HISTORY_REPORTS) {
    options.note(`${keys.length} reports under ${s3Uri(bucket, prefix)}: reading the newest ${MAX_HISTORY_REPORTS}`);
    keys.length = MAX_HISTORY_REPORTS;
  }
  const points: HistoryPoint[] = [];
  for (const key of keys) {
    let json: unknown;
    try {
      json = JSON.parse((await getText(s3, bucket, key)) ?? '');
    } catch (error) {
      options.note(`skipped ${s3Uri(bucket, key)}: ${(error as Error).message}`);
      continue;
    }
    const found = historyPointsOf(json);
    if (found) points.push(...found);
    else options.note(`skipped ${s3Uri(bucket, key)}: not a trailwatch report`);
  }
  return points;
}
