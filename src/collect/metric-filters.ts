/** The metric filters of each log group the account's trails deliver to, read once per log group. */
import { DescribeMetricFiltersCommand, type MetricFilter } from '@aws-sdk/client-cloudwatch-logs';
import { compact } from './compact';
import type { LogGroupRecord, MetricFilterRecord } from './inventory';
import { readAllPages } from './paging';
import { isAbort, toReadError } from './read-errors';
import type { ReadContext } from './types';

/** DescribeMetricFilters' largest page. */
const PAGE_SIZE = 50;

function filterRecord(f: MetricFilter, logGroupName: string): MetricFilterRecord {
  return {
    name: f.filterName ?? '',
    logGroupName: f.logGroupName ?? logGroupName,
    pattern: f.filterPattern ?? '',
    transformations: (f.metricTransformations ?? []).map((t) =>
      compact({
        metricName: t.metricName ?? '',
        metricNamespace: t.metricNamespace ?? '',
        metricValue: t.metricValue ?? '',
        defaultValue: t.defaultValue,
        dimensions: t.dimensions && Object.keys(t.dimensions).length > 0 ? t.dimensions : undefined,
        unit: t.unit,
      }),
    ),
  };
}

export async function readLogGroup(ctx: ReadContext, logGroup: Omit<LogGroupRecord, 'metricFilters'>): Promise<LogGroupRecord> {
  const client = ctx.clients.cloudWatchLogs(ctx.session, logGroup.region);
  try {
    const filters = await readAllPages(async (token) => {
      const page = await ctx.limit(() =>
        client.send(new DescribeMetricFiltersCommand({ logGroupName: logGroup.name, limit: PAGE_SIZE, nextToken: token }), {
          abortSignal: ctx.signal,
        }),
      );
      return { items: page.metricFilters, next: page.nextToken };
    });
    // logGroupName is an exact filter in AWS; kept defensive against a prefix match.
    const own = filters.filter((f) => f.logGroupName === undefined || f.logGroupName === logGroup.name);
    const records = own.map((f) => filterRecord(f, logGroup.name)).sort((a, b) => a.name.localeCompare(b.name));
    return { ...logGroup, metricFilters: records };
  } catch (error) {
    if (isAbort(error)) throw error;
    ctx.readErrors.push(toReadError('metricFilters', error, { resource: logGroup.arn, region: logGroup.region }));
    return { ...logGroup };
  }
}
