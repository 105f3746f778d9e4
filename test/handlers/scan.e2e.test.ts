/**
 * End to end on moto: a scheduled EventBridge event goes into the real handler (cold start from
 * its environment) -> runScan discovers, collects and evaluates the seeded demo organization ->
 * publishReport sends the report to the findings topic -> an SQS queue subscribed to the topic
 * receives it. The email body is read from moto's record of what SNS was given (moto delivers
 * no email, and an SQS subscriber only ever sees the JSON).
 */
import { BatchImportFindingsCommand, EnableSecurityHubCommand, GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { DescribeAlarmsCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import type { CheckSlug } from '../../src/controls/types';
import { AccountCredentials } from '../../src/discover';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { ASFF_COMPLIANCE, defaultProductArn, renderAsff } from '../../src/report/asff';
import type { ScanReport } from '../../src/report/types';
import { finding as reportFinding, sampleReport } from '../report/fixtures';
import { captureStdoutJsonAsync } from '../notify/capture';
import { createBucket, createTopicWithQueue, publishedEnvelopes, receiveAll } from '../notify/topic-queue';
import { coldStart, lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';


/** What a correct scan concludes for the demo organization, per account and check. */
function expectedStatuses(demo: DemoOrganization): Map<string, string> {
  const expected = new Map<string, string>();
  for (const account of demo.accounts) {
    for (const [check, verdict] of Object.entries(account.expected)) expected.set(`${account.accountId}/${check}`, verdict?.status ?? '');
  }
  return expected;
}

describe('the scan Lambda, end to end on moto', () => {
  useMoto();
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  async function prepare(notify: 'always' | 'on-change', topicOverride?: string, extraEnv: Record<string, string> = {}) {
    const seeding = motoClients();
    // Each member judged on its own chain (no organization trail), so the report has failures to tell.
    const demo = await seedDemoOrganization(seeding, { organizationTrail: false });
    const { topicArn, queueUrl } = await createTopicWithQueue(seeding);
    const bucket = await createBucket(seeding);
    seeding.destroy();
    const handler = await coldStart({
      FINDINGS_TOPIC_ARN: topicOverride ?? topicArn,
      REPORT_BUCKET: bucket,
      NOTIFY: notify,
      NOTIFICATION_LEVEL: 'info',
      MEMBER_ROLE_NAME: DEMO_ROLE_NAME,
      REGIONS: DEMO_REGIONS.join(','),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      POWERTOOLS_METRICS_NAMESPACE: 'trailwatch',
      ...extraEnv,
    });
    return { demo, topicArn, queueUrl, bucket, handler };
  }

  it('publishes the scan of the seeded organization: subject, email body and JSON report', async () => {
    // Prepare
    const { demo, topicArn, queueUrl, handler } = await prepare('always');
    const expected = expectedStatuses(demo);
    const failCount = [...expected.values()].filter((s) => s === 'FAIL').length;
    const defective = demo.accounts.filter((a) => a.scenario === 'alarm-actions-disabled' || a.scenario === 'filter-misses-event');
    // Act
    const { result, error, lines } = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    // Assess: the invocation's answer
    expect(error).toBeUndefined();
    expect(result?.summary).toEqual({ pass: expected.size - failCount, fail: failCount, error: 0 });
    expect(result?.notification).toMatchObject({ published: true, parts: 1 });
    // The JSON every non-email subscriber gets
    const deliveries = await receiveAll(queueUrl);
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    const subject = `trailwatch: ${failCount} FAIL, 0 ERROR in ${demo.accounts.length} accounts (cis-aws-v4.0.0)`;
    expect(delivery?.subject).toBe(subject);
    expect(delivery?.attributes.worstStatus).toEqual({ Type: 'String', Value: 'FAIL' });
    const published = JSON.parse(delivery?.message ?? '{}') as ScanReport;
    expect(new Map(published.findings.map((f) => [`${f.accountId}/${f.check}`, f.status]))).toEqual(expected);
    expect(published.accounts.map((a) => a.accountId).sort()).toEqual(demo.accounts.map((a) => a.accountId).sort());
    expect(published.summary).toEqual(result?.summary);
    // The email
    const [envelope] = await publishedEnvelopes(topicArn);
    expect(envelope?.subject).toBe(subject);
    const email = envelope?.email ?? '';
    expect(email).toContain(`Result: ${failCount} FAIL, 0 ERROR, ${expected.size - failCount} PASS`);
    expect(email).toMatch(/SUMMARY BY CHECK\n\s+Control\s+Check\s+PASS\s+FAIL\s+ERROR\n\s+4\.1\s+unauthorized_api_calls/);
    for (const account of defective) {
      // The account's defect, under its check, with the reason and the broken link.
      const check = account.ownChainDefect?.checks[0] as string;
      const control = published.findings.find((f) => f.accountId === account.accountId && f.check === check)?.control ?? '';
      expect(email).toMatch(
        new RegExp(`FAIL\\s+${account.accountId} \\(${account.name}\\)\\s+${control.replace('.', '\\.')} ${check}\\n[^\\n]+\\n\\s+Broken link: ${account.ownChainDefect?.brokenLink}`),
      );
    }
    // The logs: one line per account, and metrics per check
    const accountLines = lines.filter((l) => typeof l.message === 'string' && l.message.startsWith('account '));
    expect(accountLines.map((l) => l.accountId).sort()).toEqual(demo.accounts.map((a) => a.accountId).sort());
    const scannedLines = accountLines.filter((l) => l.message === 'account scanned');
    expect(scannedLines.map((l) => l.accountId).sort()).toEqual(demo.accounts.filter((a) => a.scanned).map((a) => a.accountId).sort());
    expect(lines.filter((l) => typeof l.check === 'string' && '_aws' in l)).toHaveLength(15);
  });

  it('with NOTIFY=on-change, tells nothing when nothing changed and leads with the fix when something was fixed', async () => {
    // Prepare: a first scan keeps its report as the baseline
    const { demo, queueUrl, topicArn, handler } = await prepare('on-change');
    const first = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    expect(first.result?.notification).toMatchObject({ published: true });
    await receiveAll(queueUrl);
    // Act: the same organization again, then with the disabled alarm's actions turned back on
    const second = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    const alarmAccount = demo.accounts.find((a) => a.scenario === 'alarm-actions-disabled');
    const fixing = motoClients();
    const session = await new AccountCredentials(fixing, { callerAccountId: demo.managementAccountId, roleName: DEMO_ROLE_NAME, region: 'us-east-1' }).sessionFor(
      alarmAccount?.accountId as string,
    );
    // moto has no EnableAlarmActions: put the same alarm again with its actions on.
    const fixedCheck = alarmAccount?.ownChainDefect?.checks[0] as CheckSlug;
    const cloudWatch = fixing.cloudWatch(session, 'us-east-1');
    const { MetricAlarms } = await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmAccount?.chain?.checks[fixedCheck]?.alarmName as string] }));
    await cloudWatch.send(new PutMetricAlarmCommand({ ...(MetricAlarms?.[0] as PutMetricAlarmCommandInput), ActionsEnabled: true }));
    fixing.destroy();
    const third = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    // Assess
    expect(second.result?.notification).toEqual({ published: false, reason: 'NOTIFY=on-change and nothing changed' });
    expect(third.result?.notification).toMatchObject({ published: true });
    const deliveries = await receiveAll(queueUrl);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.subject).toMatch(/: 0 new, 1 fixed$/);
    const email = (await publishedEnvelopes(topicArn)).at(-1)?.email ?? '';
    expect(email.indexOf('WHAT CHANGED SINCE THE PREVIOUS SCAN')).toBeLessThan(email.indexOf('SUMMARY BY CHECK'));
    expect(email).toMatch(new RegExp(`Fixed \\(1\\)\\n\\n\\s+PASS\\s+${alarmAccount?.accountId} \\(alarm-actions-disabled\\)\\s+[\\d.]+ ${fixedCheck}\\s+\\[was FAIL\\]`));
  });

  it('fails the invocation after logging the report when the publish fails', async () => {
    // Prepare: the function points at a topic that was deleted
    const { demo, handler } = await prepare('always', 'arn:aws:sns:us-east-1:123456789012:deleted-findings');
    // Act
    const { error, lines } = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    // Assess
    expect(error).toMatchObject({ name: 'PublishError' });
    expect((error as Error).message).toMatch(/^publishing the report to arn:aws:sns:us-east-1:123456789012:deleted-findings failed after 0 of 1 message\(s\)/);
    const messages = lines.map((l) => l.message);
    expect(lines.filter((l) => l.message === 'account scanned')).toHaveLength(demo.accounts.filter((a) => a.scanned).length);
    expect(messages.indexOf('scan finished')).toBeGreaterThan(-1);
    expect(messages.indexOf('scan finished')).toBeLessThan(messages.indexOf('publishing the report failed: the invocation fails'));
  });

  it("with SECURITY_HUB=true, imports every finding into the scanner's Security Hub and archives those of an account gone from the organization", async () => {
    // Prepare: Security Hub on in the scanner's account, holding a finding an earlier scan made of an account that has since left.
    const hubClients = motoClients();
    const scanner = { accountId: '123456789012' };
    const hub = hubClients.securityHub(scanner, 'us-east-1');
    await hub.send(new EnableSecurityHubCommand({}));
    const productArn = defaultProductArn('us-east-1', scanner.accountId);
    const gone = renderAsff(
      { ...sampleReport(), findings: [reportFinding({ accountId: '999999999999', check: 'root_usage', control: '4.3', status: 'FAIL' })] },
      { awsAccountId: scanner.accountId, region: 'us-east-1', productArn, importedByScanner: true },
    );
    await hub.send(new BatchImportFindingsCommand({ Findings: gone as unknown as AwsSecurityFinding[] }));
    const { demo, handler, queueUrl } = await prepare('always', undefined, { SECURITY_HUB: 'true' });
    expect(demo.managementAccountId).toBe(scanner.accountId);
    // Act
    const { result, error, lines } = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    // Assess: the answer and the log
    expect(error).toBeUndefined();
    // The report as published (the answer carries only the summary of a report this large).
    const [delivery] = await receiveAll(queueUrl);
    const { findings } = JSON.parse(delivery?.message ?? '{"findings":[]}') as ScanReport;
    expect(findings.length).toBeGreaterThan(0);
    expect(result?.securityHub).toEqual({ imported: findings.length, archived: 1, suppressed: 0, reopened: 0, failed: 0, failures: [] });
    expect(lines.find((l) => l.message === 'Security Hub import done')).toMatchObject({ level: 'INFO' });
    // What Security Hub holds: each finding of the scan once, under the scanner's account and default product, and the gone account's archived.
    const held: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
      held.push(...(page.Findings ?? []));
      token = page.NextToken || undefined;
    } while (token);
    hubClients.destroy();
    const active = held.filter((f) => f.RecordState !== 'ARCHIVED');
    expect(active.map((f) => f.Id).sort()).toEqual(findings.map((f) => `trailwatch/cis-aws-v4.0.0/${f.accountId}/${f.check}`).sort());
    expect(held.every((f) => f.AwsAccountId === scanner.accountId && f.ProductArn === productArn)).toBe(true);
    const heldStatus = new Map(active.map((h) => [h.Id, h.Compliance?.Status]));
    expect(findings.map((f) => heldStatus.get(`trailwatch/cis-aws-v4.0.0/${f.accountId}/${f.check}`))).toEqual(findings.map((f) => ASFF_COMPLIANCE[f.status]));
    expect(held.filter((f) => f.RecordState === 'ARCHIVED').map((f) => f.Id)).toEqual(['trailwatch/cis-aws-v4.0.0/999999999999/root_usage']);
  });
});
