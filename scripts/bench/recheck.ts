/**
 * The watch's re-check, measured: the demo organization in moto (each member on its own chain),
 * a stored report from a scan of it (not timed), one metric filter deleted, then the real
 * `recheck` for the DeleteMetricFilter event while every HTTP attempt waits L ms (100 by
 * default, as a far-away AWS would): the time from its start to the publish, and the calls it
 * made, by account (only the affected account's, plus the scanner's own STS, SNS and S3 calls).
 */
import { DeleteMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand } from '@aws-sdk/client-sns';
import { AwsClients, CallCounter, type AttemptHook } from '../../src/aws/clients';
import { DEMO_BENCHMARK, DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../../src/demo';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { AccountCredentials } from '../../src/discover';
import { DEFAULT_REPORT_PREFIX } from '../../src/notify/store';
import { runScan } from '../../src/scan';
import { mergeIntoBaseline, parseEventBridgeEvent, recheck } from '../../src/watch';

const BUCKET = 'trailwatch-bench-reports';
const CHECK = 'security_group_changes';

export interface RecheckMeasurement {
  readonly latencyMs: number;
  /** Handler start to the publish's answer. */
  readonly toPublishMs: number;
  readonly totalMs: number;
  readonly changes: number;
  readonly accountId: string;
  readonly callsByAccount: Record<string, number>;
  readonly callsByOperation: Record<string, number>;
}

export async function measureRecheck(endpointUrl: string, latencyMs: number): Promise<RecheckMeasurement> {
  const setup = new AwsClients({ endpointUrl, credentials: MOTO_CREDENTIALS });
  const demo = await seedDemoOrganization(setup, { organizationTrail: false });
  const own = { accountId: demo.managementAccountId };
  const { TopicArn } = await setup.sns(own, 'us-east-1').send(new CreateTopicCommand({ Name: 'trailwatch-bench-findings' }));
  await setup.s3(own, 'us-east-1').send(new CreateBucketCommand({ Bucket: BUCKET }));
  const location = { bucket: BUCKET, prefix: DEFAULT_REPORT_PREFIX, benchmark: DEMO_BENCHMARK };
  const scanned = await runScan({ benchmark: DEMO_BENCHMARK, regions: [...DEMO_REGIONS], roleName: DEMO_ROLE_NAME, concurrency: 8, homeRegion: 'us-east-1', clients: setup });
  await mergeIntoBaseline(setup.s3(own, 'us-east-1'), location, scanned.report);
  const account = demo.accounts.find((a) => a.scenario === 'compliant-reformatted');
  const chain = account?.chain;
  if (!account || !chain) throw new Error('the demo organization has no compliant-reformatted account');
  const session = await new AccountCredentials(setup, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' }).sessionFor(account.accountId);
  await setup.cloudWatchLogs(session, chain.region).send(new DeleteMetricFilterCommand({ logGroupName: chain.logGroupName, filterName: chain.checks[CHECK]?.filterName }));
  setup.destroy();

  const event = parseEventBridgeEvent({
    version: '0',
    id: 'bench',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.logs',
    account: account.accountId,
    time: '2026-12-04T09:00:12Z',
    region: chain.region,
    resources: [],
    detail: {
      eventSource: 'logs.amazonaws.com',
      eventName: 'DeleteMetricFilter',
      eventTime: '2026-12-04T09:00:12Z',
      eventID: 'bench-delete-filter',
      awsRegion: chain.region,
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${account.accountId}:assumed-role/Admin/ops-session`, accountId: account.accountId },
      sourceIPAddress: '203.0.113.7',
      recipientAccountId: account.accountId,
      requestParameters: { logGroupName: chain.logGroupName, filterName: chain.checks[CHECK]?.filterName },
    },
  });
  const counter = new CallCounter();
  const wait: AttemptHook = () => (latencyMs > 0 ? new Promise<void>((resolve) => setTimeout(resolve, latencyMs)) : undefined);
  const clients = new AwsClients({ endpointUrl, credentials: MOTO_CREDENTIALS, callCounter: counter, attemptHooks: [wait] });
  const started = performance.now();
  let publishedAt: number | undefined;
  const outcome = await recheck([event], {
    benchmark: DEMO_BENCHMARK,
    regions: [...DEMO_REGIONS],
    roleName: DEMO_ROLE_NAME,
    homeRegion: 'us-east-1',
    concurrency: 8,
    clients,
    baseline: { kind: 'bucket', location, region: 'us-east-1' },
    topicArn: TopicArn as string,
    log: (_level, message) => {
      if (message === 'changes published') publishedAt = performance.now();
    },
  });
  const totalMs = performance.now() - started;
  clients.destroy();
  const callsByOperation: Record<string, number> = {};
  for (const id of counter.accounts()) for (const [operation, n] of Object.entries(counter.forAccount(id))) callsByOperation[operation] = (callsByOperation[operation] ?? 0) + n;
  return {
    latencyMs,
    toPublishMs: (publishedAt ?? NaN) - started,
    totalMs,
    changes: outcome.changes.length,
    accountId: account.accountId,
    callsByAccount: Object.fromEntries(counter.accounts().map((id) => [id, counter.totalFor(id)])),
    callsByOperation,
  };
}

export function recheckLines(m: RecheckMeasurement): string[] {
  const byAccount = Object.entries(m.callsByAccount)
    .map(([id, n]) => `${id === m.accountId ? `${id} (the affected account)` : id}: ${n}`)
    .join(', ');
  return [
    `Re-check of one account (DeleteMetricFilter), ${m.latencyMs} ms per request`,
    `  start to publish: ${(m.toPublishMs / 1000).toFixed(2)} s (target < 5 s); with the stored report's update: ${(m.totalMs / 1000).toFixed(2)} s`,
    `  changes published: ${m.changes}`,
    `  calls by account: ${byAccount}`,
    `  calls by operation: ${Object.entries(m.callsByOperation).map(([op, n]) => `${op} ${n}`).join(', ')}`,
    `bench: recheck_to_publish_s=${(m.toPublishMs / 1000).toFixed(2)} recheck_calls_affected_account=${m.callsByAccount[m.accountId] ?? 0} recheck_calls_total=${Object.values(m.callsByAccount).reduce((a, b) => a + b, 0)}`,
  ];
}
