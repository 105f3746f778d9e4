import { CreateTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../src/aws/clients';
import { AccountAccessError, AccountCredentials } from '../../src/discover';
import { motoClients, useMoto } from '../support/moto';
import { awsError, failWhen } from './faults';

const CALLER = '123456789012';
const MEMBER = '111111111111';
const OTHER = '222222222222';

/** Records the input of every AssumeRole the factory's STS client for `accountId` sends. */
function recordAssumeRoleInputs(clients: AwsClients, accountId: string): Record<string, unknown>[] {
  const inputs: Record<string, unknown>[] = [];
  clients.sts({ accountId }, 'us-east-1').middlewareStack.add(
    (next) => async (args) => {
      inputs.push({ ...(args.input as Record<string, unknown>) });
      return next(args);
    },
    { step: 'initialize', name: 'recordAssumeRoleInput' },
  );
  return inputs;
}

describe('AccountCredentials', () => {
  useMoto();
  let clients: AwsClients;
  afterEach(() => clients.destroy());

  it("reads the scanner's own account with its own credentials, without AssumeRole", async () => {
    // Prepare
    clients = motoClients();
    const credentials = new AccountCredentials(clients, { callerAccountId: CALLER, roleName: 'trailwatch', region: 'us-east-1' });
    // Act
    const session = await credentials.sessionFor(CALLER);
    // Assess
    expect(session).toEqual({ accountId: CALLER });
    expect(clients.callCounter.total()).toBe(0);
  });

  it('assumes the role once per account, with the session name trailwatch and the external id, and lands reads in that account', async () => {
    // Prepare
    clients = motoClients();
    const inputs = recordAssumeRoleInputs(clients, MEMBER);
    const credentials = new AccountCredentials(clients, {
      callerAccountId: CALLER,
      roleName: 'trailwatch-audit',
      externalId: 'org-secret',
      region: 'us-east-1',
    });
    // Act
    const session = await credentials.sessionFor(MEMBER);
    await credentials.sessionFor(MEMBER);
    const identity = await clients.sts(session, 'us-east-1').send(new GetCallerIdentityCommand({}));
    await clients.sns(session, 'eu-west-1').send(new CreateTopicCommand({ Name: 'member-topic' }));
    const callerTopics = await clients.sns({ accountId: CALLER }, 'eu-west-1').send(new ListTopicsCommand({}));
    // Assess
    expect(inputs).toEqual([{ RoleArn: 'arn:aws:iam::111111111111:role/trailwatch-audit', RoleSessionName: 'trailwatch', ExternalId: 'org-secret' }]);
    expect(identity.Arn).toBe('arn:aws:sts::111111111111:assumed-role/trailwatch-audit/trailwatch');
    expect(callerTopics.Topics ?? []).toEqual([]);
    expect(clients.callCounter.forAccount(MEMBER)['STS:AssumeRole']).toBe(1);
  });

  it('assumes the role again only when the cached credentials near expiry', async () => {
    // Prepare: a clock the test moves; moto's credentials last an hour.
    clients = motoClients();
    let now = Date.now();
    const credentials = new AccountCredentials(clients, {
      callerAccountId: CALLER,
      roleName: 'trailwatch',
      region: 'us-east-1',
      now: () => now,
      refreshMarginMs: 5 * 60_000,
    });
    await credentials.sessionFor(MEMBER);
    // Act
    now += 50 * 60_000;
    await credentials.credentialsFor(MEMBER);
    const beforeRenewal = clients.callCounter.forAccount(MEMBER)['STS:AssumeRole'];
    now += 6 * 60_000;
    await credentials.credentialsFor(MEMBER);
    // Assess
    expect(beforeRenewal).toBe(1);
    expect(clients.callCounter.forAccount(MEMBER)['STS:AssumeRole']).toBe(2);
  });

  it('shares one AssumeRole between concurrent requests for the same account', async () => {
    // Prepare
    clients = motoClients();
    const credentials = new AccountCredentials(clients, { callerAccountId: CALLER, roleName: 'trailwatch', region: 'us-east-1' });
    // Act
    await Promise.all([credentials.sessionFor(MEMBER), credentials.sessionFor(MEMBER), credentials.credentialsFor(MEMBER)]);
    // Assess
    expect(clients.callCounter.forAccount(MEMBER)['STS:AssumeRole']).toBe(1);
  });

  it('raises AccountAccessError with the account, role and cause when AssumeRole is denied (injected: moto never denies)', async () => {
    // Prepare
    clients = motoClients({
      attemptHooks: [
        failWhen(
          (info) => info.operation === 'AssumeRole' && info.accountId === MEMBER,
          () => awsError('AccessDenied', 403, 'User is not authorized to perform: sts:AssumeRole'),
        ),
      ],
    });
    const credentials = new AccountCredentials(clients, { callerAccountId: CALLER, roleName: 'trailwatch', region: 'us-east-1' });
    // Act
    const denied = await credentials.sessionFor(MEMBER).catch((error: unknown) => error);
    const other = await credentials.sessionFor(OTHER);
    // Assess
    expect(denied).toBeInstanceOf(AccountAccessError);
    expect(denied).toMatchObject({
      accountId: MEMBER,
      code: 'AccessDenied',
      roleArn: 'arn:aws:iam::111111111111:role/trailwatch',
      reason: 'AssumeRole arn:aws:iam::111111111111:role/trailwatch was denied (AccessDenied: User is not authorized to perform: sts:AssumeRole)',
    });
    expect((denied as Error).cause).toMatchObject({ name: 'AccessDenied' });
    expect(other.accountId).toBe(OTHER);
    expect(clients.callCounter.forAccount(MEMBER)['STS:AssumeRole']).toBe(1);
  });
});
