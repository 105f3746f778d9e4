/**
 * The approval link end to end on moto: a scheduled scan with REMEDIATE=approve and
 * APPROVAL_LINK_* (the secret in moto's Secrets Manager) publishes a signed link; the link
 * function, driven with Lambda Function URL events (payload version 2.0), shows the plan on GET
 * (writing nothing) and applies it once on POST through the same approve path as the CLI and
 * the payload; replayed, expired, tampered and drifted links are refused with their status.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DescribeAlarmsCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { loadLambdaSettings } from '../../src/config';
import type { CheckSlug } from '../../src/controls/types';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../../src/demo';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { AccountCredentials } from '../../src/discover';
import { createApprovalLinkHandler, LINK_PRINCIPAL } from '../../src/lambda/approval-link-handler';
import type { ScanReport } from '../../src/report/types';
import { runScan } from '../../src/scan';
import { captureStdoutJsonAsync } from '../notify/capture';
import { createBucket, createTopicWithQueue, publishedEnvelopes, receiveAll, SCANNER_ACCOUNT } from '../notify/topic-queue';
import { coldStart, lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';

type AnyHandler = (event: unknown, context: typeof lambdaContext) => Promise<unknown>;
const LINK_URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws/';

/** A Function URL request as Lambda gives it (payload format 2.0). */
function urlEvent(method: 'GET' | 'POST' | 'PUT', link: string, options: { body?: string; base64?: boolean } = {}): LambdaFunctionURLEvent {
  const url = new URL(link);
  const body = options.body === undefined ? undefined : options.base64 ? Buffer.from(options.body).toString('base64') : options.body;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers: { host: url.host, ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
      domainName: url.host,
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'test' },
      requestId: 'link-request',
      routeKey: '$default',
      stage: '$default',
      time: '05:00:00',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: options.base64 ?? false,
    ...(body !== undefined ? { body } : {}),
  } as LambdaFunctionURLEvent;
}

/** The confirm button's form body: the page's hidden fields, as a browser would post them. */
function formOf(page: string): string {
  const fields = [...page.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map(([, name, value]): [string, string] => [name as string, value as string]);
  return new URLSearchParams(fields).toString();
}

type Result = Exclude<LambdaFunctionURLResult, string> & { statusCode: number; body: string; headers: Record<string, string> };

describe('the approval link on moto', () => {
  useMoto();
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  async function prepare() {
    const seeding = motoClients();
    const demo = await seedDemoOrganization(seeding, { organizationTrail: false });
    const { topicArn, queueUrl } = await createTopicWithQueue(seeding);
    const bucket = await createBucket(seeding);
    const { ARN } = await seeding
      .secretsManager({ accountId: SCANNER_ACCOUNT }, 'us-east-1')
      .send(new CreateSecretCommand({ Name: `trailwatch-approval-link-${Date.now()}`, SecretString: 'k'.repeat(20) + Math.random().toString(36).repeat(4) }));
    seeding.destroy();
    const env: Record<string, string> = {
      FINDINGS_TOPIC_ARN: topicArn,
      REPORT_BUCKET: bucket,
      NOTIFY: 'always',
      MEMBER_ROLE_NAME: DEMO_ROLE_NAME,
      REGIONS: DEMO_REGIONS.join(','),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      POWERTOOLS_METRICS_NAMESPACE: 'trailwatch',
      REMEDIATE: 'approve',
      REMEDIATION_ALERT_ENDPOINT: 'secops@example.com',
      APPROVAL_LINK_SECRET_ARN: ARN as string,
      APPROVAL_LINK_URL: LINK_URL,
    };
    const scan = (await coldStart(env)) as unknown as AnyHandler;
    const linkHandler = (now?: () => number) => {
      const handler = createApprovalLinkHandler({
        settings: loadLambdaSettings(env),
        logger: new Logger({ serviceName: 'trailwatch-approval-link', logLevel: 'SILENT' }),
        runScan,
        ...(now ? { now } : {}),
      });
      return async (event: LambdaFunctionURLEvent) => (await handler(event, { ...lambdaContext, awsRequestId: 'link-request' })) as Result;
    };
    return { demo, topicArn, queueUrl, bucket, scan, linkHandler };
  }

  async function proposePlan(scan: AnyHandler, queueUrl: string): Promise<ScanReport> {
    const { result, error } = await captureStdoutJsonAsync(() => scan(scheduledEvent, lambdaContext));
    expect(error).toBeUndefined();
    const planId = (result as { remediation?: ScanReport['remediation'] }).remediation?.approval?.planId;
    const published = (await receiveAll(queueUrl)).map((d) => JSON.parse(d.message) as ScanReport).find((r) => r.remediation?.approval?.planId === planId);
    expect(published).toBeDefined();
    return published as ScanReport;
  }

  /** Every version of every plan object: a GET must leave this exactly as it was. */
  async function planState(bucket: string): Promise<string[]> {
    const clients = motoClients();
    const { Versions } = await clients.s3({ accountId: SCANNER_ACCOUNT }, 'us-east-1').send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'trailwatch/plans/' }));
    clients.destroy();
    return (Versions ?? []).map((v) => `${v.Key} ${v.ETag} ${v.VersionId}`).sort();
  }

  it('GET shows the plan and writes nothing; POST applies it once and publishes the re-scan; a replay, an expired or a tampered link is refused', async () => {
    // Prepare
    const { topicArn, queueUrl, bucket, scan, linkHandler } = await prepare();
    const proposed = await proposePlan(scan, queueUrl);
    const approval = proposed.remediation?.approval;
    const link = approval?.link ?? '';
    const handler = linkHandler();
    // Assess: the email and the JSON carry the link and say until when it is valid
    expect(link.startsWith(`${LINK_URL}?plan=${approval?.planId}&hash=${approval?.hash}&expires=`)).toBe(true);
    const email = (await publishedEnvelopes(topicArn)).at(-1)?.email ?? '';
    expect(email).toContain(`valid until ${approval?.expiresAt}:\n  ${link}`);
    expect(email).toContain('Anyone holding this link can approve this plan until then');

    // Act: GET (a mail scanner or the person), twice
    const before = await planState(bucket);
    const shown = await handler(urlEvent('GET', link));
    await handler(urlEvent('GET', link));
    // Assess: the page, its headers, and no plan object changed
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain(`Approve remediation plan ${approval?.planId}?`);
    expect(shown.body).toContain('add metric filter trailwatch-iam_policy_changes');
    expect(shown.body).toContain('<form method="post" action="/">');
    expect(shown.body).not.toMatch(/<script/i);
    expect(shown.headers).toMatchObject({
      'Content-Security-Policy': expect.stringMatching(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'/),
      'X-Frame-Options': 'DENY',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    });
    expect(await planState(bucket)).toEqual(before);
    expect((await publishedEnvelopes(topicArn)).filter((e) => e.email.includes('REMEDIATION APPROVED'))).toEqual([]);

    // Act: tampered links
    const tamper = (field: string, value: string) => {
      const url = new URL(link);
      url.searchParams.set(field, value);
      return url.toString();
    };
    const expires = Number(new URL(link).searchParams.get('expires'));
    const refusals = await Promise.all([
      handler(urlEvent('GET', tamper('sig', 'A'.repeat(43)))),
      handler(urlEvent('GET', tamper('hash', '0'.repeat(64)))),
      handler(urlEvent('GET', tamper('expires', String(expires + 3600)))),
      handler(urlEvent('GET', tamper('plan', 'p-20250101T000000Z-0123456789ab'))),
      handler(urlEvent('GET', tamper('sig', 'short'))),
      handler(urlEvent('POST', LINK_URL, { body: formOf(shown.body).replace(/sig=[^&]+/, `sig=${'B'.repeat(43)}`) })),
      handler(urlEvent('GET', LINK_URL)),
      handler(urlEvent('PUT', link)),
    ]);
    expect(refusals.map((r) => r.statusCode)).toEqual([403, 403, 403, 403, 403, 403, 400, 405]);
    expect(refusals[0]?.body).toContain('This approval link is not valid');
    // Act: the same link a day and more later
    const expired = await linkHandler(() => Date.now() + 25 * 3600_000)(urlEvent('GET', link));
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This approval link has expired');
    expect(await planState(bucket)).toEqual(before);

    // Act: the confirm button (the form body base64-encoded, as Function URLs may pass it)
    const applied = await handler(urlEvent('POST', LINK_URL, { body: formOf(shown.body), base64: true }));
    const replayed = await handler(urlEvent('POST', LINK_URL, { body: formOf(shown.body) }));
    const shownAfter = await handler(urlEvent('GET', link));
    // Assess
    expect(applied.statusCode).toBe(200);
    expect(applied.body).toContain(`Plan ${approval?.planId} approved and applied`);
    expect(applied.body).toMatch(/Re-scan: \d+ of \d+ failing findings now pass/);
    const approvals = (await publishedEnvelopes(topicArn)).map((e) => e.email).filter((e) => e.includes('REMEDIATION APPROVED'));
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toContain(`REMEDIATION APPROVED by ${LINK_PRINCIPAL} at `);
    expect(approvals[0]).toContain('(approval link, from 198.51.100.7, request link-request): plan');
    expect(replayed.statusCode).toBe(409);
    expect(replayed.body).toContain('already approved by whoever held the signed email link');
    expect(shownAfter.statusCode).toBe(409);
    expect((await publishedEnvelopes(topicArn)).filter((e) => e.email.includes('REMEDIATION APPROVED'))).toHaveLength(1);
  });

  it('refuses a drifted plan, naming what differs, and applies nothing', async () => {
    // Prepare: a plan, then a person fixes the disabled alarm by hand
    const { demo, topicArn, queueUrl, scan, linkHandler } = await prepare();
    const link = (await proposePlan(scan, queueUrl)).remediation?.approval?.link ?? '';
    const handler = linkHandler();
    const shown = await handler(urlEvent('GET', link));
    const alarmAccount = demo.accounts.find((a) => a.scenario === 'alarm-actions-disabled');
    const fixedCheck = alarmAccount?.ownChainDefect?.checks[0] as CheckSlug;
    const fixing = motoClients();
    const session = await new AccountCredentials(fixing, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' }).sessionFor(
      alarmAccount?.accountId as string,
    );
    const cloudWatch = fixing.cloudWatch(session, 'us-east-1');
    const { MetricAlarms } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmAccount?.chain?.checks[fixedCheck]?.alarmName as string] }));
    await cloudWatch.send(new PutMetricAlarmCommand({ ...(MetricAlarms?.[0] as PutMetricAlarmCommandInput), ActionsEnabled: true }));
    fixing.destroy();
    // Act
    const drifted = await handler(urlEvent('POST', LINK_URL, { body: formOf(shown.body) }));
    // Assess
    expect(drifted.statusCode).toBe(409);
    expect(drifted.body).toContain('Not applied: the organization changed since the plan was made');
    expect(drifted.body).toContain(`no longer failing: ${alarmAccount?.accountId} ${fixedCheck} (was FAIL`);
    expect((await publishedEnvelopes(topicArn)).filter((e) => e.email.includes('REMEDIATION APPROVED'))).toEqual([]);
  });
});
