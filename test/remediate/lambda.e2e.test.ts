/**
 * REMEDIATE in the scan Lambda, end to end on moto: a scheduled event -> the real handler (cold
 * start from its environment) -> scan of the seeded demo organization -> plan (or apply and
 * re-scan) -> the report, with its remediation section, published to the findings topic.
 */
import { loadLambdaSettings } from '../../src/config';
import { ConfigurationError } from '../../src/config/errors';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../../src/demo';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { AccountCredentials } from '../../src/discover';
import type { ScanReport } from '../../src/report/types';
import { captureStdoutJsonAsync } from '../notify/capture';
import { createBucket, createTopicWithQueue, publishedEnvelopes, receiveAll } from '../notify/topic-queue';
import { coldStart, lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { readState } from './support';


describe('REMEDIATE in the scan Lambda, on moto', () => {
  useMoto();
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  async function prepare(remediation: Record<string, string>) {
    const seeding = motoClients();
    const demo = await seedDemoOrganization(seeding, { organizationTrail: false });
    const { topicArn, queueUrl } = await createTopicWithQueue(seeding);
    const bucket = await createBucket(seeding);
    seeding.destroy();
    const handler = await coldStart({
      FINDINGS_TOPIC_ARN: topicArn,
      REPORT_BUCKET: bucket,
      NOTIFY: 'always',
      NOTIFICATION_LEVEL: 'info',
      MEMBER_ROLE_NAME: DEMO_ROLE_NAME,
      REGIONS: DEMO_REGIONS.join(','),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      POWERTOOLS_METRICS_NAMESPACE: 'trailwatch',
      ...remediation,
    });
    return { demo, topicArn, queueUrl, handler };
  }

  /** Every filter, alarm and topic remediation made in the scanned accounts' us-east-1 (the test's findings topic is trailwatch-findings: not one). */
  async function trailwatchResources(demo: Awaited<ReturnType<typeof prepare>>['demo']): Promise<string[]> {
    const clients = motoClients();
    const credentials = new AccountCredentials(clients, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' });
    const found: string[] = [];
    for (const account of demo.accounts.filter((a) => a.scanned && a.trail)) {
      const state = await readState(clients, await credentials.sessionFor(account.accountId), 'us-east-1', account.trail?.logGroupArn?.split(':log-group:')[1]);
      found.push(
        ...state.filters.filter((f) => f.filterName?.startsWith('trailwatch-')).map((f) => `${account.accountId} filter ${f.filterName}`),
        ...state.alarms.filter((a) => a.tags['managed-by'] === 'trailwatch').map((a) => `${account.accountId} alarm ${a.AlarmName}`),
        ...state.topics.filter((t) => t.tags['managed-by'] === 'trailwatch').map((t) => `${account.accountId} topic ${t.arn}`),
      );
    }
    clients.destroy();
    return found;
  }

  it('with REMEDIATE=plan, puts the plan in the email and the JSON and changes nothing', async () => {
    // Prepare
    const { demo, topicArn, queueUrl, handler } = await prepare({ REMEDIATE: 'plan', REMEDIATION_ALERT_ENDPOINT: 'secops@example.com' });
    // Act
    const { result, error } = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    // Assess
    expect(error).toBeUndefined();
    expect(result?.remediation).toMatchObject({ mode: 'plan' });
    expect(result?.remediation?.planned).toBeGreaterThan(0);
    const [delivery] = await receiveAll(queueUrl);
    const published = JSON.parse(delivery?.message ?? '{}') as ScanReport;
    expect(published.remediation?.mode).toBe('plan');
    const email = (await publishedEnvelopes(topicArn)).at(-1)?.email ?? '';
    expect(email).toContain('REMEDIATION PLAN (REMEDIATE=plan: nothing was changed');
    expect(email).toContain('add metric filter trailwatch-iam_policy_changes');
    expect(await trailwatchResources(demo)).toEqual([]);
  });

  it('with REMEDIATE=apply, repairs, re-scans and publishes the findings after, with what it did', async () => {
    // Prepare
    const { demo, topicArn, queueUrl, handler } = await prepare({ REMEDIATE: 'apply', REMEDIATION_ALERT_ENDPOINT: 'secops@example.com' });
    // Act
    const first = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    const second = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    // Assess
    expect(first.error).toBeUndefined();
    expect(first.result?.remediation).toMatchObject({ mode: 'apply', failed: 0, notAttempted: 0 });
    expect(first.result?.remediation?.applied).toBeGreaterThan(0);
    const [delivery] = await receiveAll(queueUrl);
    const published = JSON.parse(delivery?.message ?? '{}') as ScanReport;
    const stillFailing = published.findings.filter((f) => f.status !== 'PASS');
    expect(stillFailing.length).toBeGreaterThan(0);
    expect(stillFailing.filter((f) => f.brokenLink !== 'trail' && f.brokenLink !== 'logGroup')).toEqual([]);
    expect(published.remediation?.findingChanges?.some((c) => c.before === 'FAIL' && c.after === 'PASS')).toBe(true);
    const email = (await publishedEnvelopes(topicArn)).find((e) => e.email.includes('REMEDIATION (REMEDIATE=apply)'))?.email ?? '';
    expect(email).toMatch(/Re-scan: \d+ of \d+ failing findings now pass/);
    expect(email).toMatch(new RegExp(`Result: ${published.summary.fail} FAIL`));
    expect((await trailwatchResources(demo)).length).toBeGreaterThan(0);
    expect(second.result?.remediation).toMatchObject({ mode: 'apply', planned: 0 });
  });
});

describe('REMEDIATE settings', () => {
  const base = { FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:findings', MEMBER_ROLE_NAME: 'trailwatch-member-read', AWS_REGION: 'us-east-1' };

  it('is off unless set', () => {
    expect(loadLambdaSettings(base).remediation).toBeUndefined();
    expect(loadLambdaSettings({ ...base, REMEDIATE: 'off', REMEDIATION_ALERT_ENDPOINT: 'ops@example.com' }).remediation).toBeUndefined();
  });

  it('reads the alert endpoint, topic, bound and --fix-alarms', () => {
    // Act
    const settings = loadLambdaSettings({
      ...base,
      REMEDIATE: 'apply',
      REMEDIATION_ALERT_ENDPOINT: 'https://hooks.example.com/alerts',
      REMEDIATION_ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:security',
      REMEDIATION_MAX_CHANGES: '20',
      REMEDIATION_FIX_ALARMS: 'true',
    });
    // Assess
    expect(settings.remediation).toEqual({
      mode: 'apply',
      alertEndpoint: { protocol: 'https', endpoint: 'https://hooks.example.com/alerts' },
      alertTopicArn: 'arn:aws:sns:us-east-1:123456789012:security',
      maxChanges: 20,
      fixAlarms: true,
    });
  });

  it.each([
    [{ REMEDIATE: 'yes' }, 'REMEDIATE'],
    [{ REMEDIATE: 'apply' }, 'REMEDIATION_ALERT_ENDPOINT'],
    [{ REMEDIATE: 'plan', REMEDIATION_ALERT_ENDPOINT: 'sms:+15555550100' }, 'REMEDIATION_ALERT_ENDPOINT'],
    [{ REMEDIATE: 'plan', REMEDIATION_MAX_CHANGES: '0' }, 'REMEDIATION_MAX_CHANGES'],
  ])('refuses %j at cold start, naming %s', (env, field) => {
    let error: unknown;
    try {
      loadLambdaSettings({ ...base, ...env });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(field);
  });
});
