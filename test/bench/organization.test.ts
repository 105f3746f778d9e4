import { DescribeTrailsCommand, ListTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { AwsClients, CallCounter } from '../../src/aws/clients';
import { AccountCredentials } from '../../src/discover/credentials';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { naiveScan } from '../../scripts/bench/naive-scan';
import { startOrganizationTrailProxy } from '../../scripts/bench/organization-trail-proxy';
import { memberKindAt, seedSyntheticOrganization, SYNTHETIC_ROLE_NAME } from '../../scripts/bench/organization';
import { motoEndpoint, useMoto } from '../support/moto';

describe('benchmark organization', () => {
  useMoto();

  it('gives members their states by position: mostly the organization trail alone, every 40th closed', () => {
    const kinds = Array.from({ length: 80 }, (_, i) => memberKindAt(i));
    expect(kinds.filter((k) => k === 'organization-trail-only')).toHaveLength(46);
    expect(kinds.filter((k) => k === 'suspended')).toHaveLength(2);
    expect(new Set(kinds).size).toBe(6);
  });

  it('seeds the organization, and the proxy shows its trail to members as AWS does (moto does not)', async () => {
    // Prepare
    const seeder = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
    const org = await seedSyntheticOrganization(seeder, { accounts: 4 });
    seeder.destroy();
    const trail = org.organizationTrail;
    const proxy = await startOrganizationTrailProxy(
      motoEndpoint(),
      { TrailARN: trail.arn, Name: trail.name, HomeRegion: trail.homeRegion, IsMultiRegionTrail: true, IsOrganizationTrail: true, IncludeGlobalServiceEvents: true },
      MOTO_CREDENTIALS.accessKeyId,
    );
    const clients = new AwsClients({ endpointUrl: proxy.endpoint, credentials: MOTO_CREDENTIALS, callCounter: new CallCounter() });
    const credentials = new AccountCredentials(clients, { callerAccountId: org.managementAccountId, roleName: SYNTHETIC_ROLE_NAME, region: 'us-east-1' });
    try {
      const [, plain, ownChain] = org.accounts;
      // Act
      const listed = async (accountId: string) =>
        (await clients.cloudTrail(await credentials.sessionFor(accountId), 'us-east-1').send(new ListTrailsCommand({}))).Trails?.map((t) => t.TrailARN);
      const described = async (accountId: string) =>
        (await clients.cloudTrail(await credentials.sessionFor(accountId), 'eu-west-1').send(new DescribeTrailsCommand({ trailNameList: [trail.arn] }))).trailList?.map((t) => t.TrailARN);
      // Assess
      expect(org.accounts.map((a) => a.kind)).toEqual(['management', 'organization-trail-only', 'own-chain', 'organization-trail-only']);
      expect(await listed(org.managementAccountId)).toEqual([trail.arn]);
      expect(await listed(plain?.accountId as string)).toEqual([trail.arn]);
      expect(await listed(ownChain?.accountId as string)).toEqual([`arn:aws:cloudtrail:eu-west-1:${ownChain?.accountId}:trail/trail`, trail.arn]);
      expect(await described(plain?.accountId as string)).toEqual([trail.arn]);
    } finally {
      clients.destroy();
      await proxy.close();
    }
  });

  it('reads the naive way: every list call in every region, whatever is there', async () => {
    // Prepare: management (organization trail, one topic) and one member with nothing
    const seeder = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS });
    const org = await seedSyntheticOrganization(seeder, { accounts: 2 });
    seeder.destroy();
    const clients = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS, callCounter: new CallCounter() });
    const credentials = new AccountCredentials(clients, { callerAccountId: org.managementAccountId, roleName: SYNTHETIC_ROLE_NAME, region: 'us-east-1' });
    const member = org.accounts[1]?.accountId as string;
    // Act
    const result = await naiveScan(clients, {
      accountIds: org.accounts.map((a) => a.accountId),
      regions: ['us-east-1', 'eu-west-1', 'us-west-2'],
      credentials,
      concurrency: 2,
      homeRegion: 'us-east-1',
    });
    clients.destroy();
    // Assess: per region DescribeTrails, DescribeMetricFilters, DescribeAlarms, ListTopics; per trail seen status and selectors; per topic attributes and subscriptions
    expect(result.failedAccounts).toBe(0);
    expect(clients.callCounter.forAccount(member)).toEqual({
      'STS:AssumeRole': 1,
      'EC2:DescribeRegions': 1,
      'CloudTrail:DescribeTrails': 3,
      'CloudWatchLogs:DescribeMetricFilters': 3,
      'CloudWatch:DescribeAlarms': 3,
      'SNS:ListTopics': 3,
    });
    expect(clients.callCounter.forAccount(org.managementAccountId)).toEqual({
      'EC2:DescribeRegions': 1,
      'CloudTrail:DescribeTrails': 3,
      'CloudTrail:GetTrailStatus': 3,
      'CloudTrail:GetEventSelectors': 3,
      'CloudWatchLogs:DescribeMetricFilters': 3,
      'CloudWatch:DescribeAlarms': 3,
      'SNS:ListTopics': 3,
      'SNS:GetTopicAttributes': 1,
      'SNS:ListSubscriptionsByTopic': 1,
    });
  });
});
