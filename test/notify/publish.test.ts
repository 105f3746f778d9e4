import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { publishReport } from '../../src/notify/publish';
import { PublishError, NotifySettingsError } from '../../src/notify/errors';
import { baselineKey } from '../../src/notify/store';
import type { ReportPart } from '../../src/notify/message';
import type { NotifySettings } from '../../src/notify/types';
import type { ScanReport } from '../../src/report/types';
import { chatSchema, violations } from '../report/chat-schema';
import { motoClients, useMoto } from '../support/moto';
import { finding, organizationReport, report } from './fixtures';
import { createBucket, createTopicWithQueue, publishedEnvelopes, receiveAll, REGION, SCANNER_ACCOUNT } from './topic-queue';

async function storedReport(clients: ReturnType<typeof motoClients>, bucket: string, key: string): Promise<ScanReport | undefined> {
  try {
    const response = await clients.s3({ accountId: SCANNER_ACCOUNT }, REGION).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await response.Body?.transformToString()) ?? '') as ScanReport;
  } catch {
    return undefined;
  }
}

describe('publishReport (SNS and S3 on moto)', () => {
  useMoto();
  let clients: ReturnType<typeof motoClients>;
  beforeEach(() => {
    clients = motoClients();
  });
  afterEach(() => clients.destroy());

  const failing = report([
    finding('111111111111', 'root_usage', 'FAIL'),
    finding('111111111111', 'vpc_changes', 'PASS'),
    finding('222222222222', 'root_usage', 'PASS'),
    finding('222222222222', 'vpc_changes', 'ERROR'),
  ]);

  it('publishes one message: the subject, the JSON report to machines and the email text to people', async () => {
    // Prepare
    const { topicArn, queueUrl } = await createTopicWithQueue(clients);
    const settings: NotifySettings = { topicArn, when: 'always', level: 'info' };
    // Act
    const result = await publishReport(failing, settings, { clients });
    // Assess
    expect(result).toMatchObject({ published: true, parts: 1, worstStatus: 'ERROR', omittedFindings: 0 });
    const [delivery, ...more] = await receiveAll(queueUrl);
    expect(more).toEqual([]);
    expect(delivery?.subject).toBe('trailwatch: 1 FAIL, 1 ERROR in 2 accounts (cis-aws-v4.0.0)');
    expect(JSON.parse(delivery?.message ?? '')).toEqual(failing);
    expect(delivery?.attributes.worstStatus).toEqual({ Type: 'String', Value: 'ERROR' });
    expect(delivery?.attributes.benchmark).toEqual({ Type: 'String', Value: 'cis-aws-v4.0.0' });
    const [envelope] = await publishedEnvelopes(topicArn);
    expect(envelope?.email).toContain('SUMMARY BY CHECK');
    expect(envelope?.email).toMatch(/FAIL\s+111111111111\s+4\.3 root_usage/);
    expect(envelope?.email).toContain("4.3 root_usage (Ensure usage of the 'root' account is monitored): 1 FAIL, 0 ERROR");
  });

  it('with a chat topic: a chat-sized custom notification goes there, and the findings topic gets what it always got', async () => {
    // Prepare: the findings topic and AWS Chatbot's topic, each with a queue standing for its subscribers
    const { topicArn, queueUrl } = await createTopicWithQueue(clients);
    const chat = await createTopicWithQueue(clients, 'trailwatch-chat');
    const settings: NotifySettings = { topicArn, when: 'always', level: 'info', chatTopicArn: chat.topicArn, framework: 'nist-800-53' };
    // Act
    const result = await publishReport(failing, settings, { clients });
    // Assess: one message on each topic
    expect(result).toMatchObject({ published: true, parts: 1, chat: { published: true, messageId: expect.any(String) } });
    const [delivery, ...more] = await receiveAll(queueUrl);
    expect(more).toEqual([]);
    expect(JSON.parse(delivery?.message ?? '')).toEqual(failing);
    const [envelope] = await publishedEnvelopes(topicArn);
    expect(envelope?.email).toContain('BY NIST SP 800-53 REV. 5 REQUIREMENT');
    const [chatDelivery, ...moreChat] = await receiveAll(chat.queueUrl);
    expect(moreChat).toEqual([]);
    const message = JSON.parse(chatDelivery?.message ?? '') as unknown;
    expect(violations(message, chatSchema)).toEqual([]);
    expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { title: 'trailwatch ERROR: 1 FAIL, 1 ERROR in 2 accounts (cis-aws-v4.0.0)' } });
    expect(Buffer.byteLength(chatDelivery?.message ?? '')).toBeLessThan(16 * 1024);
  });

  it('still publishes the report when the chat topic refuses, and says why', async () => {
    const { topicArn, queueUrl } = await createTopicWithQueue(clients);
    const notes: string[] = [];
    const settings: NotifySettings = { topicArn, when: 'always', level: 'info', chatTopicArn: 'arn:aws:sns:us-east-1:123456789012:deleted-chat', onNote: (n) => notes.push(n) };

    const result = await publishReport(failing, settings, { clients });

    expect(result).toMatchObject({ published: true, chat: { published: false, error: expect.stringMatching(/./) } });
    expect(await receiveAll(queueUrl)).toHaveLength(1);
    expect(notes).toEqual([expect.stringMatching(/^could not publish the chat message to arn:aws:sns:us-east-1:123456789012:deleted-chat: /)]);
  });

  it('publishes nothing with on-fail when every check passes, and still keeps the baseline', async () => {
    // Prepare
    const { topicArn, queueUrl } = await createTopicWithQueue(clients);
    const bucket = await createBucket(clients);
    const passing = report([finding('111111111111', 'root_usage', 'PASS')]);
    // Act
    const result = await publishReport(passing, { topicArn, when: 'on-fail', level: 'info', reportBucket: bucket }, { clients });
    // Assess
    expect(result).toMatchObject({ published: false, skipped: 'all-passed', messageIds: [] });
    expect(await receiveAll(queueUrl)).toEqual([]);
    expect(await storedReport(clients, bucket, baselineKey('trailwatch/', 'cis-aws-v4.0.0'))).toEqual(passing);
  });

  describe('NOTIFY=on-change', () => {
    it('compares with the previous report in the bucket and leads the email with what is new and what was fixed', async () => {
      // Prepare: yesterday root_usage failed in 111111111111 and vpc_changes passed in 222222222222
      const { topicArn, queueUrl } = await createTopicWithQueue(clients);
      const bucket = await createBucket(clients);
      const yesterday = report(
        [
          finding('111111111111', 'root_usage', 'FAIL'),
          finding('111111111111', 'vpc_changes', 'PASS'),
          finding('222222222222', 'root_usage', 'PASS'),
          finding('222222222222', 'vpc_changes', 'PASS'),
        ],
        { finishedAt: '2025-11-19T06:02:00.000Z' },
      );
      const settings: NotifySettings = { topicArn, when: 'on-change', level: 'info', reportBucket: bucket };
      await clients
        .s3({ accountId: SCANNER_ACCOUNT }, REGION)
        .send(new PutObjectCommand({ Bucket: bucket, Key: baselineKey('trailwatch/', 'cis-aws-v4.0.0'), Body: JSON.stringify(yesterday) }));
      const today = report([
        finding('111111111111', 'root_usage', 'PASS'),
        finding('111111111111', 'vpc_changes', 'PASS'),
        finding('222222222222', 'root_usage', 'PASS'),
        finding('222222222222', 'vpc_changes', 'FAIL'),
      ]);
      // Act
      const result = await publishReport(today, settings, { clients });
      // Assess
      expect(result).toMatchObject({ published: true, changes: { appeared: 1, fixed: 1, changed: 0, hadPrevious: true } });
      const [delivery] = await receiveAll(queueUrl);
      expect(delivery?.subject).toBe('trailwatch: 1 FAIL, 0 ERROR in 2 accounts (cis-aws-v4.0.0): 1 new, 1 fixed');
      const [envelope] = await publishedEnvelopes(topicArn);
      const email = envelope?.email ?? '';
      expect(email.indexOf('WHAT CHANGED SINCE THE PREVIOUS SCAN (2025-11-19T06:02:00.000Z)')).toBeLessThan(email.indexOf('SUMMARY BY CHECK'));
      expect(email).toMatch(/New \(1\)\n\n\s+FAIL\s+222222222222\s+4\.14 vpc_changes\s+\[was PASS\]/);
      expect(email).toMatch(/Fixed \(1\)\n\n\s+PASS\s+111111111111\s+4\.3 root_usage\s+\[was FAIL\]/);
      expect(await storedReport(clients, bucket, baselineKey('trailwatch/', 'cis-aws-v4.0.0'))).toEqual(today);
    });

    it('publishes nothing the second time when nothing changed', async () => {
      const { topicArn, queueUrl } = await createTopicWithQueue(clients);
      const bucket = await createBucket(clients);
      const settings: NotifySettings = { topicArn, when: 'on-change', level: 'info', reportBucket: bucket };
      await publishReport(failing, settings, { clients });
      await receiveAll(queueUrl);

      const second = await publishReport({ ...failing, finishedAt: '2025-11-21T06:00:00.000Z' }, settings, { clients });

      expect(second).toMatchObject({ published: false, skipped: 'nothing-changed' });
      expect(await receiveAll(queueUrl)).toEqual([]);
    });

    it('treats an unreadable previous report as none, says so, and still publishes', async () => {
      const { topicArn, queueUrl } = await createTopicWithQueue(clients);
      const bucket = await createBucket(clients);
      await clients
        .s3({ accountId: SCANNER_ACCOUNT }, REGION)
        .send(new PutObjectCommand({ Bucket: bucket, Key: baselineKey('trailwatch/', 'cis-aws-v4.0.0'), Body: '{"findings": "oops"' }));
      const notes: string[] = [];

      const result = await publishReport(failing, { topicArn, when: 'on-change', level: 'info', reportBucket: bucket, onNote: (n) => notes.push(n) }, { clients });

      expect(result).toMatchObject({ published: true, changes: { appeared: 2, hadPrevious: false } });
      expect(notes.join('\n')).toContain('baseline/cis-aws-v4.0.0.json is not JSON');
      expect((await receiveAll(queueUrl))[0]?.subject).toBe('trailwatch: 1 FAIL, 1 ERROR in 2 accounts (cis-aws-v4.0.0): first report');
    });
  });

  describe('a report over 256 KB', () => {
    it('stores the full report in S3, cuts the email saying how much was left out, and splits the JSON into numbered parts', async () => {
      // Prepare: 1,500 accounts x 3 checks with long reasons: several MB of JSON
      const { topicArn, queueUrl } = await createTopicWithQueue(clients);
      const bucket = await createBucket(clients);
      const big = organizationReport(1500, ['root_usage', 'vpc_changes', 'iam_policy_changes'], (i) => (i % 3 === 0 ? 'PASS' : 'FAIL'));
      expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(4 * 262_144);
      // Act
      const result = await publishReport(big, { topicArn, when: 'always', level: 'info', reportBucket: bucket }, { clients, now: () => new Date('2025-11-20T06:04:00Z') });
      // Assess
      expect(result.fullReportLocation).toBe('s3://trailwatch-reports/trailwatch/reports/2025-11-20/2025-11-20T060312Z-cis-aws-v4.0.0.json');
      expect(await storedReport(clients, bucket, 'trailwatch/reports/2025-11-20/2025-11-20T060312Z-cis-aws-v4.0.0.json')).toEqual(big);
      const deliveries = await receiveAll(queueUrl);
      expect(deliveries).toHaveLength(result.parts);
      expect(result.parts).toBeGreaterThan(4);
      const parts = deliveries.map((d) => JSON.parse(d.message) as ReportPart);
      expect(parts.map((p) => `${p.reportPart.index}/${p.reportPart.count}`)).toEqual(deliveries.map((_, i) => `${i + 1}/${result.parts}`));
      expect(parts.flatMap((p) => p.findings)).toEqual(big.findings);
      expect(parts.flatMap((p) => p.accounts)).toEqual(big.accounts);
      const envelopes = await publishedEnvelopes(topicArn);
      const email = envelopes[0]?.email ?? '';
      expect(result.omittedFindings).toBeGreaterThan(0);
      expect(email).toContain(`${result.omittedFindings.toLocaleString('en-US')} findings (`);
      expect(email).toContain(`The full report: ${result.fullReportLocation}`);
      expect(Buffer.byteLength(envelopes[0]?.default ?? '') + Buffer.byteLength(email)).toBeLessThan(262_144);
    });
  });

  describe('when publishing fails', () => {
    it('throws PublishError carrying the report, and keeps the old baseline so the retry reports the same changes', async () => {
      // Prepare: a topic that does not exist
      const bucket = await createBucket(clients);
      const settings: NotifySettings = {
        topicArn: `arn:aws:sns:${REGION}:${SCANNER_ACCOUNT}:deleted-topic`,
        when: 'on-change',
        level: 'info',
        reportBucket: bucket,
      };
      // Act
      const attempt = publishReport(failing, settings, { clients });
      // Assess
      await expect(attempt).rejects.toThrow(PublishError);
      const error = (await attempt.catch((e: unknown) => e)) as PublishError;
      expect(error.message).toMatch(/^publishing the report to arn:aws:sns:us-east-1:123456789012:deleted-topic failed after 0 of 1 message\(s\): /);
      expect(error.report).toBe(failing);
      expect(await storedReport(clients, bucket, baselineKey('trailwatch/', 'cis-aws-v4.0.0'))).toBeUndefined();
    });

    it('fails with the SDK error as its cause when SNS itself fails', async () => {
      const { topicArn } = await createTopicWithQueue(clients);
      const failingSns = motoClients({
        maxAttempts: 1,
        attemptHooks: [
          (call) => {
            if (call.service === 'SNS' && call.operation === 'Publish') throw Object.assign(new Error('SNS is down'), { name: 'InternalError' });
          },
        ],
      });

      const error = await publishReport(failing, { topicArn, when: 'always', level: 'info' }, { clients: failingSns }).catch((e: unknown) => e);
      failingSns.destroy();

      expect(error).toBeInstanceOf(PublishError);
      expect((error as PublishError).cause).toMatchObject({ message: 'SNS is down' });
    });
  });

  it('refuses a topic ARN that is not one', async () => {
    await expect(publishReport(failing, { topicArn: 'findings', when: 'always', level: 'info' }, { clients })).rejects.toThrow(NotifySettingsError);
  });
});
