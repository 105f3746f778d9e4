/**
 * `--history DIR|s3://bucket/prefix`: earlier reports for the HTML page's trend. A directory is
 * read like the bucket: its trend index (history/<benchmark>.json) when there is one, else every
 * JSON report in it (at any depth) from the last 90 days; baselines and other files are skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AwsClients } from '../aws/clients';
import { UsageError } from '../errors';
import { historyKey, isBaseline, MAX_HISTORY_REPORTS, parseS3Uri, readHistoryFromBucket, tooOld } from '../notify/archive';
import { historyPointsOf, parseHistoryIndex, type HistoryPoint } from '../report/html';

export type HistoryLocation =
  | { readonly kind: 'dir'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string; readonly uri: string };

/** Checked when the option is read, before any AWS call. */
export function parseHistoryLocation(value: string): HistoryLocation {
  if (value.startsWith('s3://')) {
    const parsed = parseS3Uri(value);
    if (!parsed) throw new UsageError(`'${value}' is not an S3 location (expected s3://bucket/prefix)`);
    return { kind: 's3', ...parsed, uri: value };
  }
  if (value.trim() === '') throw new UsageError('no history directory given');
  let isDirectory = false;
  try {
    isDirectory = statSync(value).isDirectory();
  } catch {
    throw new UsageError(`history directory ${value} does not exist`);
  }
  if (!isDirectory) throw new UsageError(`${value} is not a directory (--history takes a directory or s3://bucket/prefix)`);
  return { kind: 'dir', path: value };
}

export function describeLocation(location: HistoryLocation): string {
  return location.kind === 'dir' ? location.path : location.uri;
}

/** The history at `location`; what could not be read is passed to `note` and skipped. */
export async function loadHistory(
  location: HistoryLocation,
  options: { benchmark: string; until: string; note: (text: string) => void; clients?: () => AwsClients; region?: string },
): Promise<HistoryPoint[]> {
  if (location.kind === 'dir') return readHistoryDirectory(location.path, options);
  if (!options.clients) throw new UsageError('--history s3://... needs AWS credentials');
  const clients = options.clients();
  try {
    return await readHistoryFromBucket(clients.s3({ accountId: 'history' }, options.region ?? 'us-east-1'), location, options);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read the history at ${location.uri}: ${(error as Error).message}`, { cause: error });
  } finally {
    clients.destroy();
  }
}

const MAX_DEPTH = 6;

function jsonFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH) walk(path, depth + 1);
      else if (entry.isFile() && entry.name.endsWith('.json')) found.push(path);
    }
  };
  walk(root, 0);
  return found;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function readHistoryDirectory(root: string, options: { benchmark: string; until: string; note: (text: string) => void }): HistoryPoint[] {
  const indexPath = join(root, historyKey('', options.benchmark));
  if (existsSync(indexPath)) {
    let index;
    try {
      index = parseHistoryIndex(readJson(indexPath));
    } catch (error) {
      options.note(`skipped ${indexPath}: ${(error as Error).message}`);
    }
    if (index) return index.points;
    options.note(`skipped ${indexPath}: not a trailwatch history index`);
  }
  const until = Date.parse(options.until);
  const files = jsonFiles(root)
    .map((path) => ({ path, key: relative(root, path).split('\\').join('/') }))
    .filter(({ key }) => !isBaseline(key) && !key.startsWith('history/') && !tooOld(key, until))
    .sort((a, b) => b.key.localeCompare(a.key));
  if (files.length > MAX_HISTORY_REPORTS) {
    options.note(`${files.length} JSON files under ${root}: reading the newest ${MAX_HISTORY_REPORTS}`);
    files.length = MAX_HISTORY_REPORTS;
  }
  const points: HistoryPoint[] = [];
  for (const { path } of files) {
    let json: unknown;
    try {
      json = readJson(path);
    } catch (error) {
      options.note(`skipped ${path}: ${(error as Error).message}`);
      continue;
    }
    const found = historyPointsOf(json);
    if (found) points.push(...found);
    else options.note(`skipped ${path}: not a trailwatch report`);
  }
  return points;
}

/** --history draws the HTML page's trend: with another format it is a mistake worth saying. */
export function checkHistoryFormat(options: { readonly format: string; readonly history?: HistoryLocation }): void {
  if (options.history && options.format !== 'html') {
    throw new UsageError(`--history draws the HTML page's trend: use it with --format html (not ${options.format})`);
  }
}

/** The HTML options for a report: the history read from --history, notes on stderr. */
export async function htmlHistory(
  report: { readonly benchmark: string; readonly finishedAt: string },
  options: { readonly format: string; readonly history?: HistoryLocation },
  io: { readonly stderr: { write(text: string): unknown } },
  aws: { clients?: () => AwsClients; region?: string } = {},
): Promise<{ history: HistoryPoint[]; historySource: string } | undefined> {
  if (options.format !== 'html' || !options.history) return undefined;
  const history = await loadHistory(options.history, {
    benchmark: report.benchmark,
    until: report.finishedAt,
    note: (text) => io.stderr.write(`trailwatch: history: ${text}\n`),
    ...aws,
  });
  return { history, historySource: describeLocation(options.history) };
}
