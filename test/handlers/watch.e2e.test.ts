/**
 * The watch end to end on moto: the demo organization is seeded, the scheduled scan Lambda keeps
 * its report (the baseline) in the report bucket, a chain is broken with the SDK, and the
 * matching EventBridge CloudTrail event, as the queue hands it over (an SQS batch), goes into the
 * real watch handler (cold start from its environment). An SQS queue subscribed to the findings
 * topic shows what was published. moto's EventBridge does not forward CloudTrail calls (it
 * records none), so the event is delivered to the handler here, as the bus's rule and the queue
 * would; the rule's pattern is tested against the template in test/deploy.
 */
import { DeleteMetricFilterCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeAlarmsCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ListSubscriptionsByTopicCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import type { SQSBatchResponse } from 'aws-lambda';
import { AwsClients, CallCounter } from '../../src/aws/clients';
import { loadLambdaSettings } from '../../src/config';
import { AccountCredentials } from '../../src/discover';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { createWatchHandler } from '../../src/lambda/watch-handler';
import { baselineKey, getReport } from '../../src/notify/store';
import type { ScanReport } from '../../src/report/types';
import type { ChangeNotice } from '../../src/watch';
import { captureStdoutJsonAsync } from '../notify/capture';
import { createBucket, createTopicWithQueue, receiveAll, REGION, SCANNER_ACCOUNT } from '../notify/topic-queue';
import { coldStart, lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { watchedEvent, type EventOptions } from '../watch/fixtures/events';

type WatchHandler = (event: unknown, context: typeof lambdaContext) => Promise<SQSBatchResponse>;

const ACTOR = 'arn:aws:sts::{account}:assumed-role/Admin/ops-session';

function batch(...bodies: string[]): unknown {
  return { Records: bodies.map((body, i) => ({ messageId: `m${i + 1}`, receiptHandle: 'r', body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:trailwatch-watch', awsRegion: REGION })) };
}

const deliver = (handler: WatchHandler, ...events: Record<string, unknown>[]) => captureStdoutJsonAsync(() => handler(batch(...events.map((e) => JSON.stringify(e))), lambdaContext));

describe('the watch Lambda, end to end on moto', () => {
  useMoto();
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  async function prepare(organizationTrail: boolean) {
    const seeding = motoClients();
    const demo = await seedDemoOrganization(seeding, { organizationTrail });
    const { topicArn, queueUrl } = await createTopicWithQueue(seeding);
    const bucket = await createBucket(seeding);
    seeding.destroy();
    const env = {
      FINDINGS_TOPIC_ARN: topicArn,
      REPORT_BUCKET: bucket,
      NOTIFY: 'on-fail',
      MEMBER_ROLE_NAME: DEMO_ROLE_NAME,
      REGIONS: DEMO_REGIONS.join(','),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      POWERTOOLS_METRICS_NAMESPACE: 'trailwatch',
    };
    const scan = await coldStart(env);
    // The scheduled scan: its report is the baseline.
    const scanned = await captureStdoutJsonAsync(() => scan(scheduledEvent, lambdaContext));
    expect(scanned.error).toBeUndefined();
    await receiveAll(queueUrl);
    let watch: WatchHandler | undefined;
    await jest.isolateModulesAsync(async () => {
      watch = ((await import('../../handlers/watch')) as { handler: WatchHandler }).handler;
    });
    return { demo, topicArn, queueUrl, bucket, env, watch: watch as WatchHandler };
  }

  async function sessionOf(demo: DemoOrganization, accountId: string, clients: AwsClients) {
    return new AccountCredentials(clients, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' }).sessionFor(accountId);
  }

  async function storedBaseline(bucket: string): Promise<ScanReport | undefined> {
    const clients = motoClients();
    try {
      return await getReport(clients.s3({ accountId: SCANNER_ACCOUNT }, REGION), bucket, baselineKey('trailwatch/', 'cis-aws-v4.0.0'));
    } finally {
      clients.destroy();
    }
  }

  function noticeOf(message: string): ChangeNotice {
    return JSON.parse(message) as ChangeNotice;
  }

  it('tells a deleted filter, disabled alarm actions and a removed subscriber, one message each naming check, account and actor; an unrelated filter tells nothing; a malformed event is a batch item failure', async () => {
    // Prepare
    const { demo, queueUrl, bucket, watch } = await prepare(false);
    const account = demo.accounts.find((a) => a.scenario === 'compliant-reformatted');
    const accountId = account?.accountId as string;
    const chain = account?.chain;
    const region = chain?.region as string;
    const options: EventOptions = { accountId, region };
    const clients = motoClients();
    const session = await sessionOf(demo, accountId, clients);
    const logs = clients.cloudWatchLogs(session, region);

    // 1. An unrelated PutMetricFilter leaves every check covered: nothing is published.
    await logs.send(new PutMetricFilterCommand({ logGroupName: chain?.logGroupName, filterName: 'app-errors', filterPattern: 'ERROR', metricTransformations: [{ metricName: 'AppErrors', metricNamespace: 'App', metricValue: '1' }] }));
    const unrelated = await deliver(watch, watchedEvent('PutMetricFilter', { ...options, eventID: 'unrelated' }));
    expect(unrelated.result).toEqual({ batchItemFailures: [] });
    expect(await receiveAll(queueUrl)).toEqual([]);

    // 2. The security group changes filter deleted.
    await logs.send(new DeleteMetricFilterCommand({ logGroupName: chain?.logGroupName, filterName: chain?.checks.security_group_changes?.filterName }));
    const deleted = await deliver(watch, watchedEvent('DeleteMetricFilter', { ...options, eventID: 'delete-filter' }));
    expect(deleted.result).toEqual({ batchItemFailures: [] });
    const [filterMessage, ...moreAfterFilter] = await receiveAll(queueUrl);
    expect(moreAfterFilter).toEqual([]);
    expect(filterMessage?.subject).toBe(`trailwatch: security_group_changes FAIL in ${accountId} (DeleteMetricFilter)`);
    const filterNotice = noticeOf(filterMessage?.message ?? '{}');
    expect(filterNotice.changes.map((c) => [c.accountId, c.check, c.previousStatus, c.status])).toEqual([[accountId, 'security_group_changes', 'PASS', 'FAIL']]);
    expect(filterNotice.changes[0]?.cause).toMatchObject({ arn: ACTOR.replace('{account}', accountId), sourceIPAddress: '203.0.113.7', eventID: 'delete-filter', eventName: 'DeleteMetricFilter' });
    // The stored report now says so: the next re-check and scan compare with the truth.
    expect((await storedBaseline(bucket))?.findings.find((f) => f.accountId === accountId && f.check === 'security_group_changes')?.status).toBe('FAIL');

    // 3. The root usage alarm's actions disabled.
    // moto answers no DisableAlarmActions over the SDK's JSON protocol: the alarm is put again with its actions off, which is what the call does.
    const cloudWatch = clients.cloudWatch(session, region);
    const { MetricAlarms } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [chain?.checks.root_usage?.alarmName as string] }));
    await cloudWatch.send(new PutMetricAlarmCommand({ ...(MetricAlarms?.[0] as PutMetricAlarmCommandInput), ActionsEnabled: false }));
    await deliver(watch, watchedEvent('DisableAlarmActions', { ...options, eventID: 'disable-actions', requestParameters: { alarmNames: [chain?.checks.root_usage?.alarmName] } }));
    const alarmMessages = await receiveAll(queueUrl);
    expect(alarmMessages).toHaveLength(1);
    expect(noticeOf(alarmMessages[0]?.message ?? '{}').changes.map((c) => [c.check, c.status, c.brokenLink, c.cause.eventID])).toEqual([['root_usage', 'FAIL', 'alarm', 'disable-actions']]);

    // 4. The topic's only subscriber removed: every check still passing fails, in one message.
    const sns = clients.sns(session, region);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: chain?.topicArn }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: Subscriptions?.[0]?.SubscriptionArn }));
    await deliver(watch, watchedEvent('Unsubscribe', { ...options, eventID: 'unsubscribe' }));
    const subscriberMessages = await receiveAll(queueUrl);
    expect(subscriberMessages).toHaveLength(1);
    const subscriberNotice = noticeOf(subscriberMessages[0]?.message ?? '{}');
    expect(subscriberNotice.changes.length).toBeGreaterThan(5);
    expect(subscriberNotice.changes.every((c) => c.accountId === accountId && c.status === 'FAIL' && c.brokenLink === 'subscription' && c.cause.eventID === 'unsubscribe')).toBe(true);
    expect(subscriberNotice.changes.map((c) => c.check)).not.toContain('security_group_changes');

    // 5. Malformed events: reported as batch item failures (the queue keeps them, then its failure queue); nothing published.
    const malformed = await captureStdoutJsonAsync(() =>
      watch(batch('not json', JSON.stringify({ ...watchedEvent('StopLogging', options), 'detail-type': 'Scheduled Event' })), lambdaContext),
    );
    expect(malformed.result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }, { itemIdentifier: 'm2' }] });
    expect(malformed.lines.filter((l) => l.message === 'event refused: it stays in the queue, then its failure queue').map((l) => l.reason)).toEqual([
      expect.stringMatching(/^the message body is not JSON/),
      expect.stringMatching(/^event field detail-type: /),
    ]);
    expect(await receiveAll(queueUrl)).toEqual([]);
    clients.destroy();
  });

  it("re-judges the members an organization trail serves from its owner's inventory, without reading them, when the trail stops logging", async () => {
    // Prepare
    const { demo, queueUrl, env } = await prepare(true);
    const settings = loadLambdaSettings({ ...process.env, ...env });
    const counter = new CallCounter();
    const handler = createWatchHandler({
      settings,
      logger: new (await import('@aws-lambda-powertools/logger')).Logger({ serviceName: 'trailwatch-watch' }),
      clients: () => new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS, callCounter: counter }),
    });
    const stopping = motoClients();
    await stopping.cloudTrail({ accountId: demo.managementAccountId }, 'us-east-1').send(new StopLoggingCommand({ Name: demo.managementTrailArn.split('/').pop() }));
    stopping.destroy();
    // Act
    const { result } = await captureStdoutJsonAsync(() => handler(batch(JSON.stringify(watchedEvent('StopLogging', { accountId: demo.managementAccountId, eventID: 'stop' }))), lambdaContext));
    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    const messages = await receiveAll(queueUrl);
    expect(messages).toHaveLength(1);
    const notice = noticeOf(messages[0]?.message ?? '{}');
    const members = demo.accounts.filter((a) => a.scanned && a.accountId !== demo.managementAccountId).map((a) => a.accountId);
    const changedMembers = new Set(notice.changes.filter((c) => c.accountId !== demo.managementAccountId).map((c) => c.accountId));
    expect([...changedMembers].sort()).toEqual([...members].sort());
    expect(notice.changes.every((c) => c.status === 'FAIL' && c.cause.eventID === 'stop')).toBe(true);
    // The members fail on the stopped trail (the owner may fail on a closer candidate of its own).
    expect(notice.changes.filter((c) => c.accountId !== demo.managementAccountId && c.brokenLink !== 'trail')).toEqual([]);
    // Only the owner was read: no call was made in (or to assume a role in) any member.
    for (const member of members) expect(counter.totalFor(member)).toBe(0);
    expect(counter.totalFor(demo.managementAccountId)).toBeGreaterThan(0);
  });
});
