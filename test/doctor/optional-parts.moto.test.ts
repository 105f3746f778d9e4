/**
 * The doctor's reads of optional parts, on moto: the Security Hub hub that SECURITY_HUB=true
 * imports into is found when the account has enabled Security Hub in the region, and reported
 * missing (not unreadable) when it has not — moto answers DescribeHub as AWS does then
 * (InvalidAccessException, "Account is not subscribed to AWS Security Hub").
 */
import { EnableSecurityHubCommand } from '@aws-sdk/client-securityhub';
import { loadLambdaSettings } from '../../src/config';
import { deploymentFromSettings } from '../../src/doctor';
import { partExists } from '../../src/doctor/read';
import { motoClients, useMoto } from '../support/moto';

const REGION = 'eu-west-1';

describe('trailwatch doctor: optional parts on moto', () => {
  useMoto();

  function securityHubPart() {
    const settings = loadLambdaSettings({ AWS_REGION: REGION, FINDINGS_TOPIC_ARN: `arn:aws:sns:${REGION}:123456789012:trailwatch-findings`, SECURITY_HUB: 'true', MEMBER_ROLE_NAME: 'trailwatch-member-read' });
    const part = deploymentFromSettings(settings, 'the function environment').optionalParts.find((p) => p.kind === 'security-hub');
    if (!part) throw new Error('SECURITY_HUB=true gave no Security Hub part');
    return part;
  }

  it('reports the hub missing until Security Hub is enabled in the function region, then present', async () => {
    // Prepare
    const clients = motoClients();
    const part = securityHubPart();
    // Act
    const before = await partExists(clients, part, REGION);
    await clients.securityHub({ accountId: 'doctor' }, REGION).send(new EnableSecurityHubCommand({}));
    const after = await partExists(clients, part, REGION);
    // Assess
    expect(before).toEqual({ ok: true, value: false });
    expect(after).toEqual({ ok: true, value: true });
  });
});
