/**
 * REMEDIATE=approve end to end on moto: a scheduled event -> the real handler (cold start from its
 * environment) -> scan of the seeded demo organization -> the plan kept in the report bucket and
 * published (an SQS subscriber of the findings topic receives it) -> `{"approve": PLAN_ID}` through
 * the same handler re-scans, applies once and publishes before -> after. moto implements S3's
 * conditional write (If-None-Match: *) that makes a plan's decision the only one.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DescribeAlarmsCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { loadLambdaSettings } from '../../src/config';
import { ConfigurationError, PayloadError } from '../../src/config/errors';
import type { CheckSlug } from '../../src/controls/types';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { AccountCredentials } from '../../src/discover';
import { createDecisionHandler } from '../../src/lambda';
import type { DecisionSummary } from '../../src/lambda';
import type { ScanReport } from '../../src/report/types';
import { runScan } from '../../src/scan';
import { captureStdoutJsonAsync } from '../notify/capture';
import { createBucket, createTopicWithQueue, publishedEnvelopes, receiveAll } from '../notify/topic-queue';
import { coldStart, lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { readState } from './support';

type AnyHandler = (event: unknown, context: typeof lambdaContext) => Promise<unknown>;

describe('REMEDIATE=approve in the scan Lambda, on moto', () => {
  useMoto();
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  function environment(bucket: string, topicArn: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
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
      REMEDIATE: 'approve',
      REMEDIATION_ALERT_ENDPOINT: 'secops@example.com',
      ...extra,
    };
  }

  async function prepare() {
    const seeding = motoClients();
    const demo = await seedDemoOrganization(seeding, { organizationTrail: false });
    const { topicArn, queueUrl } = await createTopicWithQueue(seeding);
    const bucket = await createBucket(seeding);
    seeding.destroy();
    const env = environment(bucket, topicArn);
    const handler = (await coldStart(env)) as unknown as AnyHandler;
    return { demo, topicArn, queueUrl, bucket, env, handler };
  }

  /** The scheduled scan: its plan's id (from the invocation's answer) and the report the SQS subscriber received. */
  async function proposePlan(handler: AnyHandler, queueUrl: string): Promise<{ planId: string; published: ScanReport }> {
    const { result, error } = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    expect(error).toBeUndefined();
    const planId = (result as { remediation?: ScanReport['remediation'] } | undefined)?.remediation?.approval?.planId ?? '';
    // SQS gives a message again once its visibility timeout passes: this scan's is the one naming its plan.
    const published = (await receiveAll(queueUrl)).map((d) => JSON.parse(d.message ?? '{}') as ScanReport).find((r) => r.remediation?.approval?.planId === planId);
    expect(published).toBeDefined();
    return { planId, published: published as ScanReport };
  }

  /** What the findings topic was given (moto's record): every approval's result, once each. */
  async function approvalsPublished(topicArn: string): Promise<string[]> {
    return (await publishedEnvelopes(topicArn)).map((e) => e.email).filter((email) => email.includes('REMEDIATION APPROVED'));
  }

  async function decide(handler: AnyHandler, payload: Record<string, string>): Promise<DecisionSummary> {
    const { result, error } = await captureStdoutJsonAsync(() => handler(payload, lambdaContext));
    expect(error).toBeUndefined();
    return result as unknown as DecisionSummary;
  }

  async function trailwatchResources(demo: DemoOrganization): Promise<string[]> {
    const clients = motoClients();
    const credentials = new AccountCredentials(clients, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' });
    const found: string[] = [];
    for (const account of demo.accounts.filter((a) => a.scanned && a.trail)) {
      const state = await readState(clients, await credentials.sessionFor(account.accountId), 'us-east-1', account.trail?.logGroupArn?.split(':log-group:')[1]);
      found.push(
        ...state.filters.filter((f) => f.filterName?.startsWith('trailwatch-')).map((f) => `${account.accountId} filter ${f.filterName}`),
        ...state.alarms.filter((a) => a.tags['managed-by'] === 'trailwatch').map((a) => `${account.accountId} alarm ${a.AlarmName}`),
      );
    }
    clients.destroy();
    return found;
  }

  it('keeps the plan in the report bucket and publishes it with how to approve it, changing nothing', async () => {
    // Prepare
    const { demo, topicArn, queueUrl, bucket, handler } = await prepare();
    // Act
    const { planId, published } = await proposePlan(handler, queueUrl);
    // Assess: the report names the plan, its hash and expiry, and where it is kept
    expect(planId).toMatch(/^p-\d{8}T\d{6}Z-[0-9a-f]{12}$/);
    expect(published.remediation).toMatchObject({ mode: 'approve', approval: { planId, location: `s3://${bucket}/trailwatch/plans/${planId}.json` } });
    expect(published.remediation?.approval?.hash).toMatch(/^[0-9a-f]{64}$/);
    const expiresIn = Date.parse(published.remediation?.approval?.expiresAt ?? '') - Date.now();
    expect(expiresIn).toBeGreaterThan(23 * 3600_000);
    expect(expiresIn).toBeLessThanOrEqual(24 * 3600_000);
    const email = (await publishedEnvelopes(topicArn)).at(-1)?.email ?? '';
    expect(email).toContain('REMEDIATION PLAN AWAITING APPROVAL (REMEDIATE=approve: nothing was changed)');
    expect(email).toContain(`trailwatch remediate --approve ${planId} --plans s3://${bucket}/trailwatch/`);
    expect(email).toContain(`--payload '{"approve":"${planId}"}'`);
    expect(email).toContain('add metric filter trailwatch-iam_policy_changes');
    const s3 = motoClients();
    const stored = JSON.parse(
      (await (await s3.s3({ accountId: demo.managementAccountId }, 'us-east-1').send(new GetObjectCommand({ Bucket: bucket, Key: `trailwatch/plans/${planId}.json` }))).Body?.transformToString()) ??
        '{}',
    ) as { hash: string; plan: { changes: unknown[] } };
    s3.destroy();
    expect(stored.hash).toBe(published.remediation?.approval?.hash);
    expect(stored.plan.changes).toHaveLength(published.remediation?.planned ?? -1);
    expect(await trailwatchResources(demo)).toEqual([]);
  });

  it('applies an approved plan once: the re-scan shows the repairable findings PASS, a second approval is refused', async () => {
    // Prepare
    const { demo, topicArn, queueUrl, handler } = await prepare();
    const { planId, published: proposed } = await proposePlan(handler, queueUrl);
    // Act
    const approved = await decide(handler, { approve: planId });
    const again = await decide(handler, { approve: planId });
    const rejectAfter = await decide(handler, { reject: planId });
    // Assess: applied, by whom and when, every repairable finding before -> after
    expect(approved).toMatchObject({ status: 'applied', planId, published: true, applied: { failed: 0, notAttempted: 0 } });
    if (approved.status !== 'applied') throw new Error('not applied');
    expect(approved.applied.applied).toBe(proposed.remediation?.planned);
    expect(approved.decision).toMatchObject({ decision: 'approved', by: expect.stringContaining('request e2e-request') });
    const repairable = proposed.findings.filter((f) => f.status !== 'PASS' && f.brokenLink !== 'trail' && f.brokenLink !== 'logGroup');
    expect(repairable.length).toBeGreaterThan(0);
    for (const finding of repairable) {
      expect(approved.changes).toContainEqual(expect.objectContaining({ accountId: finding.accountId, check: finding.check, before: 'FAIL', after: 'PASS' }));
    }
    const told = (await receiveAll(queueUrl)).map((d) => JSON.parse(d.message ?? '{}') as ScanReport).filter((r) => r.remediation?.approval?.decision);
    expect(told.length).toBeGreaterThan(0);
    expect(told[0]?.remediation).toMatchObject({ mode: 'approve', approval: { planId, decision: { decision: 'approved' } } });
    const approvals = await approvalsPublished(topicArn);
    expect(approvals).toHaveLength(1);
    const email = approvals[0] ?? '';
    expect(email).toMatch(new RegExp(`REMEDIATION APPROVED by an invoker of \\S+ \\(request e2e-request; CloudTrail names the IAM principal\\) at \\S+ \\(lambda payload \\{"approve"\\}\\): plan ${planId}`));
    expect(email).toMatch(/Re-scan: \d+ of \d+ failing findings now pass/);
    expect((await trailwatchResources(demo)).length).toBeGreaterThan(0);
    // Once only
    expect(again).toMatchObject({ status: 'refused', reason: 'decided' });
    expect(again.status === 'refused' && again.message).toMatch(new RegExp(`plan ${planId} was already approved by an invoker of .* at .*: a plan is decided once`));
    expect(rejectAfter).toMatchObject({ status: 'refused', reason: 'decided' });
    expect(await approvalsPublished(topicArn)).toHaveLength(1);
  });

  it('applies nothing when the organization changed since the plan, and names what differs', async () => {
    // Prepare: a plan, then a person fixes the disabled alarm by hand before anyone approves
    const { demo, topicArn, queueUrl, handler } = await prepare();
    const { planId } = await proposePlan(handler, queueUrl);
    const alarmAccount = demo.accounts.find((a) => a.scenario === 'alarm-actions-disabled');
    const fixedCheck = alarmAccount?.ownChainDefect?.checks[0] as CheckSlug;
    const fixing = motoClients();
    const session = await new AccountCredentials(fixing, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' }).sessionFor(
      alarmAccount?.accountId as string,
    );
    // moto has no EnableAlarmActions: the same alarm again with its actions on.
    const cloudWatch = fixing.cloudWatch(session, 'us-east-1');
    const { MetricAlarms } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmAccount?.chain?.checks[fixedCheck]?.alarmName as string] }));
    await cloudWatch.send(new PutMetricAlarmCommand({ ...(MetricAlarms?.[0] as PutMetricAlarmCommandInput), ActionsEnabled: true }));
    fixing.destroy();
    // Act
    const outcome = await decide(handler, { approve: planId });
    // Assess
    expect(outcome).toMatchObject({ status: 'refused', reason: 'drifted' });
    if (outcome.status !== 'refused') throw new Error('not refused');
    expect(outcome.message).toMatch(/was not applied: the organization changed since it was made/);
    expect(outcome.differences).toContainEqual(expect.stringMatching(new RegExp(`^no longer failing: ${alarmAccount?.accountId} ${fixedCheck} \\(was FAIL`)));
    expect(await trailwatchResources(demo)).toEqual([]);
    expect(await approvalsPublished(topicArn)).toEqual([]);
  });

  it('refuses an approval after the plan expired, and closes a rejected plan', async () => {
    // Prepare: a plan approvable for 1 hour; the decision handler 2 hours later
    const { bucket, topicArn, queueUrl, demo } = await prepare();
    const env = environment(bucket, topicArn, { REMEDIATION_APPROVAL_HOURS: '1' });
    const handler = (await coldStart(env)) as unknown as AnyHandler;
    const { planId } = await proposePlan(handler, queueUrl);
    const { planId: secondId } = await proposePlan(handler, queueUrl);
    const later = createDecisionHandler({
      settings: loadLambdaSettings(env),
      logger: new Logger({ serviceName: 'trailwatch', logLevel: 'SILENT' }),
      metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }),
      runScan,
      now: () => Date.now() + 2 * 3600_000,
    }) as AnyHandler;
    // Act
    const expired = await decide(later, { approve: planId });
    const rejected = await decide(handler, { reject: secondId });
    const approveRejected = await decide(handler, { approve: secondId });
    // Assess
    expect(expired).toMatchObject({ status: 'refused', reason: 'expired' });
    expect(expired.status === 'refused' && expired.message).toMatch(new RegExp(`plan ${planId} expired at \\S+ \\(made \\S+\\): .*approve the plan of a newer scan`));
    expect(rejected).toMatchObject({ status: 'rejected', decision: { decision: 'rejected' } });
    expect(approveRejected).toMatchObject({ status: 'refused', reason: 'decided' });
    expect(approveRejected.status === 'refused' && approveRejected.message).toContain(`plan ${secondId} was already rejected by`);
    expect(await trailwatchResources(demo)).toEqual([]);
  });

  it('refuses a plan id that is not one, and a decision without REMEDIATE=approve', async () => {
    // Prepare
    const { bucket, topicArn, handler } = await prepare();
    const planHandler = (await coldStart(environment(bucket, topicArn, { REMEDIATE: 'plan' }))) as unknown as AnyHandler;
    // Act
    const malformed = await captureStdoutJsonAsync(() => handler({ approve: '../../etc/passwd' }, lambdaContext));
    const mixed = await captureStdoutJsonAsync(() => handler({ approve: 'p-20251120T060000Z-0123456789ab', accounts: ['111111111111'] }, lambdaContext));
    const missing = await decide(handler, { approve: 'p-20251120T060000Z-0123456789ab' });
    const notApproveMode = await captureStdoutJsonAsync(() => planHandler({ approve: 'p-20251120T060000Z-0123456789ab' }, lambdaContext));
    // Assess
    // The handler is a fresh module (a cold start): its PayloadError is known by name.
    expect(malformed.error).toMatchObject({ name: PayloadError.name });
    expect((malformed.error as Error).message).toContain("approve: '../../etc/passwd' is not a plan id");
    expect((mixed.error as Error).message).toContain("accounts: 'approve' decides a kept plan and scans what the plan says: leave 'accounts' out");
    expect(missing).toMatchObject({ status: 'refused', reason: 'missing' });
    expect((notApproveMode.error as Error).message).toContain('plans are kept and decided only with REMEDIATE=approve (this function has REMEDIATE=plan)');
  });
});

describe('REMEDIATE=approve settings', () => {
  const base = { FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:findings', MEMBER_ROLE_NAME: 'trailwatch-member-read', AWS_REGION: 'us-east-1' };

  it('reads the approval window, 24 hours unless set', () => {
    const approve = { ...base, REMEDIATE: 'approve', REMEDIATION_ALERT_ENDPOINT: 'ops@example.com', REPORT_BUCKET: 'reports-bucket' };
    expect(loadLambdaSettings(approve).remediation).toMatchObject({ mode: 'approve', approvalHours: 24 });
    expect(loadLambdaSettings({ ...approve, REMEDIATION_APPROVAL_HOURS: '4' }).remediation).toMatchObject({ approvalHours: 4 });
  });

  it.each([
    [{ REMEDIATE: 'approve', REMEDIATION_ALERT_ENDPOINT: 'ops@example.com' }, 'REPORT_BUCKET'],
    [{ REMEDIATE: 'approve', REPORT_BUCKET: 'reports-bucket' }, 'REMEDIATION_ALERT_ENDPOINT'],
    [{ REMEDIATE: 'approve', REPORT_BUCKET: 'reports-bucket', REMEDIATION_ALERT_ENDPOINT: 'ops@example.com', REMEDIATION_APPROVAL_HOURS: '0' }, 'REMEDIATION_APPROVAL_HOURS'],
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
