import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { CallCounter, validateEndpointUrl } from '../../src/aws/clients';
import { UsageError } from '../../src/errors';
import { motoClients, useMoto } from '../support/moto';

describe('AwsClients against moto', () => {
  useMoto();

  it('counts logical calls per account and operation', async () => {
    // Prepare
    const counter = new CallCounter();
    const clients = motoClients({ callCounter: counter });
    const own = { accountId: '123456789012' };
    // Act
    await clients.sts(own, 'us-east-1').send(new GetCallerIdentityCommand({}));
    await clients.sns(own, 'eu-west-1').send(new CreateTopicCommand({ Name: 'alerts' }));
    await clients.sns(own, 'eu-west-1').send(new ListTopicsCommand({}));
    // Assess
    expect(counter.forAccount('123456789012')).toEqual({ 'STS:GetCallerIdentity': 1, 'SNS:CreateTopic': 1, 'SNS:ListTopics': 1 });
    expect(counter.total()).toBe(3);
    clients.destroy();
  });

  it('lands what an assumed role creates in the role account', async () => {
    // Prepare
    const clients = motoClients();
    const own = { accountId: '123456789012' };
    const assumed = await clients.sts(own, 'us-east-1').send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/trailwatch', RoleSessionName: 'trailwatch' }),
    );
    const c = assumed.Credentials!;
    const member = {
      accountId: '111111111111',
      credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    };
    // Act
    const created = await clients.sns(member, 'us-east-1').send(new CreateTopicCommand({ Name: 'member-alerts' }));
    const ownTopics = await clients.sns(own, 'us-east-1').send(new ListTopicsCommand({}));
    // Assess
    expect(created.TopicArn).toBe('arn:aws:sns:us-east-1:111111111111:member-alerts');
    expect(ownTopics.Topics ?? []).toEqual([]);
    clients.destroy();
  });

  it('runs attempt hooks once per HTTP attempt, retries included', async () => {
    // Prepare
    let attempts = 0;
    const clients = motoClients({
      maxAttempts: 3,
      attemptHooks: [
        () => {
          attempts += 1;
          if (attempts === 1) throw Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: {} });
        },
      ],
    });
    // Act
    await clients.sts({ accountId: '123456789012' }, 'us-east-1').send(new GetCallerIdentityCommand({}));
    // Assess
    expect(attempts).toBe(2);
    expect(clients.callCounter.total()).toBe(1);
    clients.destroy();
  });

  it('closes and forgets one account\'s clients on release, and makes new ones when asked again', async () => {
    // Prepare
    const clients = motoClients();
    const own = { accountId: '123456789012' };
    const other = { accountId: '111111111111' };
    const first = clients.sns(own, 'us-east-1');
    const kept = clients.sns(other, 'us-east-1');
    // Act
    clients.releaseAccount(own.accountId);
    const again = clients.sns(own, 'us-east-1');
    // Assess
    expect(again).not.toBe(first);
    expect(clients.sns(other, 'us-east-1')).toBe(kept);
    await expect(again.send(new ListTopicsCommand({}))).resolves.toMatchObject({ Topics: [] });
    clients.destroy();
  });
});

describe('validateEndpointUrl', () => {
  it.each(['not a url', 'ftp://127.0.0.1:5000'])('rejects %s with a usage error', (value) => {
    expect(() => validateEndpointUrl(value)).toThrow(UsageError);
  });
  it('accepts a loopback http URL', () => {
    expect(validateEndpointUrl('http://127.0.0.1:5000/')).toBe('http://127.0.0.1:5000');
  });
});
