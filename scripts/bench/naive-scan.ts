/**
 * The way per-region scanners read an organization, for comparison: into every account, then
 * in every region every list call the monitoring checks could need — trails (and each listed
 * trail's status and selectors), all metric filters, all alarms, all topics and their
 * subscriptions — whether or not anything there belongs to a chain. Same SDK clients, same
 * account concurrency and the same bound on calls in flight within an account as trailwatch.
 * It decides nothing: only its calls and its time are measured.
 */
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import pLimit from 'p-limit';
import type { AccountSession, AwsClients } from '../../src/aws/clients';
import { readAllPages } from '../../src/collect/paging';
import type { AccountCredentials } from '../../src/discover/credentials';

export interface NaiveScanOptions {
  readonly accountIds: readonly string[];
  readonly regions: readonly string[];
  readonly credentials: AccountCredentials;
  /** Accounts at once. */
  readonly concurrency: number;
  /** Calls in flight within one account (trailwatch's collector uses 4). */
  readonly callsInFlightPerAccount?: number;
  readonly homeRegion: string;
}

export interface NaiveScanResult {
  readonly wallMs: number;
  /** Accounts whose reading threw (counted, not fatal: only the calls matter here). */
  readonly failedAccounts: number;
  /** Calls that answered with an error. */
  readonly failedCalls: number;
}

/** Runs a read; an error is counted and swallowed, as a per-region scanner logs and moves on. */
type Attempt = <T>(call: () => Promise<T>) => Promise<T | undefined>;

async function readRegion(clients: AwsClients, session: AccountSession, region: string, attempt: Attempt): Promise<void> {
  const cloudTrail = clients.cloudTrail(session, region);
  const logs = clients.cloudWatchLogs(session, region);
  const cloudWatch = clients.cloudWatch(session, region);
  const sns = clients.sns(session, region);

  const trails = (await attempt(() => cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true }))))?.trailList ?? [];
  const perTrail = trails.flatMap((trail) => [
    attempt(() => cloudTrail.send(new GetTrailStatusCommand({ Name: trail.TrailARN }))),
    attempt(() => cloudTrail.send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN }))),
  ]);
  const filters = attempt(() =>
    readAllPages(async (token) => {
      const page = await logs.send(new DescribeMetricFiltersCommand({ limit: 50, nextToken: token }));
      return { items: page.metricFilters, next: page.nextToken };
    }),
  );
  const alarms = attempt(() =>
    readAllPages(async (token) => {
      const page = await cloudWatch.send(new DescribeAlarmsCommand({ MaxRecords: 100, NextToken: token }));
      return { items: page.MetricAlarms, next: page.NextToken };
    }),
  );
  const topics =
    (await attempt(() =>
      readAllPages(async (token) => {
        const page = await sns.send(new ListTopicsCommand({ NextToken: token }));
        return { items: page.Topics, next: page.NextToken };
      }),
    )) ?? [];
  const perTopic = topics.flatMap((topic) => [
    attempt(() => sns.send(new GetTopicAttributesCommand({ TopicArn: topic.TopicArn }))),
    attempt(() =>
      readAllPages(async (token) => {
        const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic.TopicArn, NextToken: token }));
        return { items: page.Subscriptions, next: page.NextToken };
      }),
    ),
  ]);
  await Promise.all([...perTrail, filters, alarms, ...perTopic]);
}

export async function naiveScan(clients: AwsClients, options: NaiveScanOptions): Promise<NaiveScanResult> {
  const started = performance.now();
  const accountLimit = pLimit(Math.max(1, options.concurrency));
  let failedAccounts = 0;
  let failedCalls = 0;

  await Promise.all(
    options.accountIds.map((accountId) =>
      accountLimit(async () => {
        const inFlight = pLimit(options.callsInFlightPerAccount ?? 4);
        const attempt: Attempt = async (call) => {
          try {
            return await inFlight(call);
          } catch {
            failedCalls += 1;
            return undefined;
          }
        };
        try {
          const session = await options.credentials.sessionFor(accountId);
          // Per-region scanners enumerate the regions themselves.
          await attempt(() => clients.ec2(session, options.homeRegion).send(new DescribeRegionsCommand({})));
          await Promise.all(options.regions.map((region) => readRegion(clients, session, region, attempt)));
        } catch {
          failedAccounts += 1;
        }
      }),
    ),
  );
  return { wallMs: performance.now() - started, failedAccounts, failedCalls };
}
