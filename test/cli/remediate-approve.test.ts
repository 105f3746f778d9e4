/**
 * `trailwatch remediate --approve / --reject` on moto: the scan Lambda (REMEDIATE=approve) keeps a
 * plan in the report bucket, then a person decides it from a terminal with their own credentials.
 */
import { DEMO_REGIONS, DEMO_ROLE_NAME, MOTO_CREDENTIALS, seedDemoOrganization } from '../../src/demo';
import { captureStdoutJsonAsync } from '../notify/capture';
import { createBucket, createTopicWithQueue } from '../notify/topic-queue';
import { coldStart, lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { runCli } from './run-cli';

describe('trailwatch remediate --approve / --reject', () => {
  useMoto();
  const savedEnv = { ...process.env };
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  /** Two scheduled scans with REMEDIATE=approve: two kept plans. */
  async function keepTwoPlans(): Promise<{ bucket: string; planIds: string[] }> {
    const seeding = motoClients();
    await seedDemoOrganization(seeding, { organizationTrail: false });
    const { topicArn } = await createTopicWithQueue(seeding);
    const bucket = await createBucket(seeding);
    seeding.destroy();
    const handler = await coldStart({
      FINDINGS_TOPIC_ARN: topicArn,
      REPORT_BUCKET: bucket,
      NOTIFY: 'always',
      MEMBER_ROLE_NAME: DEMO_ROLE_NAME,
      REGIONS: DEMO_REGIONS.join(','),
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      REMEDIATE: 'approve',
      REMEDIATION_ALERT_ENDPOINT: 'secops@example.com',
    });
    const planIds: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const { result } = await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
      planIds.push(result?.remediation?.approval?.planId ?? '');
    }
    expect(new Set(planIds).size).toBe(2);
    return { bucket, planIds };
  }

  const decide = (...args: string[]) => runCli(['remediate', '--endpoint-url', motoEndpoint(), '--role-name', DEMO_ROLE_NAME, ...args]);

  it('applies a kept plan once, as the caller, and refuses the second approval', async () => {
    // Prepare
    const { bucket, planIds } = await keepTwoPlans();
    const [first, second] = planIds as [string, string];
    const plans = `s3://${bucket}/trailwatch`;
    // Act
    const approved = await decide('--approve', first, '--plans', plans);
    const again = await decide('--approve', first, '--plans', plans);
    const rejected = await decide('--reject', second, '--plans', plans);
    // Assess
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^REMEDIATION APPROVED by arn:aws:sts::\\d{12}:\\S+ at \\S+ \\(trailwatch remediate --approve\\): plan ${first}`));
    expect(approved.stdout).toMatch(/Re-scan: \d+ of \d+ failing findings now pass/);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(new RegExp(`^REFUSED: plan ${first} was already approved by arn:aws:sts::`));
    // The second plan was made before the first was applied: rejecting it needs no re-scan.
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toMatch(new RegExp(`^plan ${second} rejected by arn:aws:sts::\\d{12}:\\S+ at \\S+: it can no longer be applied\n$`));
  });

  it('refuses what is not a plan id, and a decision without --plans', async () => {
    // Act
    const bad = await decide('--approve', 'p-1;rm -rf /', '--plans', 's3://some-bucket/trailwatch');
    const nowhere = await decide('--approve', 'p-20251120T060000Z-0123456789ab');
    // Assess
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'p-1;rm -rf /' is not a plan id");
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('--approve and --reject need --plans s3://<report bucket>/<prefix>');
  });
});
