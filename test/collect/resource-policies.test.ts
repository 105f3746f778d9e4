/**
 * The queues, functions and keys a topic's delivery depends on: read against moto (which keeps
 * SQS queue attributes, Lambda function policies and KMS key policies), and judged in a real scan.
 * moto does not enforce these policies (nor refuse AccessDenied): what they would do is the
 * evaluator's judgement, and a refused read is an injected fault.
 */
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { AddPermissionCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AccountSession, AwsClients } from '../../src/aws/clients';
import type { AccountInventory } from '../../src/collect/inventory';
import { readResourcePolicies, resourcePoliciesWanted } from '../../src/collect/resource-policies';
import { DEMO_ROLE_NAME, MOTO_CREDENTIALS, seedChain, seedTrail } from '../../src/demo';
import { AccountCredentials } from '../../src/discover';
import { runScan } from '../../src/scan';
import { healthy } from '../evaluate/builders';
import { awsError, failWhen } from '../discover/faults';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';

const CALLER = '123456789012';
const OUTSIDE = '999999999999';
const REGION = 'us-east-1';

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const rootKeyPolicy = (accountId: string, ...statements: Record<string, unknown>[]) =>
  policy({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }, ...statements);
const cloudWatchUsesKey = { Sid: 'AllowCloudWatchAlarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' };

async function queue(clients: AwsClients, session: AccountSession, name: string, queuePolicy?: string, kmsKey?: string): Promise<string> {
  const sqs = clients.sqs(session, REGION);
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { ...(queuePolicy ? { Policy: queuePolicy } : {}), ...(kmsKey ? { KmsMasterKeyId: kmsKey } : {}) } }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return Attributes?.QueueArn as string;
}

async function key(clients: AwsClients, session: AccountSession, keyPolicy: string, alias?: string): Promise<string> {
  const kms = clients.kms(session, REGION);
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Policy: keyPolicy }));
  if (alias) await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata?.KeyId }));
  return KeyMetadata?.Arn as string;
}

/** A function (moto wants its role to exist) with, optionally, a permission for a topic. */
async function lambdaFunction(clients: AwsClients, session: AccountSession, name: string, invokedBy?: string): Promise<string> {
  const iam = new IAMClient({ region: REGION, endpoint: motoEndpoint(), credentials: MOTO_CREDENTIALS });
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: `${name}-role`, AssumeRolePolicyDocument: policy() }));
  iam.destroy();
  const lambda = clients.lambda(session, REGION);
  const created = await lambda.send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: 'nodejs22.x', Role: Role?.Arn, Handler: 'index.handler', Code: { ZipFile: Buffer.from('never run') } }),
  );
  if (invokedBy) {
    await lambda.send(new AddPermissionCommand({ FunctionName: name, StatementId: 'sns', Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: invokedBy }));
  }
  return created.FunctionArn as string;
}

/** A topic the chain's alarms notify, with what it delivers to. */
async function topic(clients: AwsClients, session: AccountSession, options: { name: string; kmsKey?: string; queues?: string[]; functions?: string[] }): Promise<string> {
  const sns = clients.sns(session, REGION);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: options.name, Attributes: options.kmsKey ? { KmsMasterKeyId: options.kmsKey } : {} }));
  for (const endpoint of options.queues ?? []) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: endpoint }));
  for (const endpoint of options.functions ?? []) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: endpoint }));
  return TopicArn as string;
}

/** A trail and, for these checks, filters and alarms notifying the topic. */
async function chainTo(clients: AwsClients, session: AccountSession, topicArn: string, checks: ('root_usage' | 'iam_policy_changes')[] = ['root_usage']) {
  await seedTrail(clients, session, { name: 'trail', homeRegion: REGION, logGroupName: 'cloudtrail' });
  await seedChain(clients, session, REGION, { logGroupName: 'cloudtrail', checks, topic: { arn: topicArn } });
}

async function scan(checks: ('root_usage' | 'iam_policy_changes')[] = ['root_usage'], releaseInventories = false) {
  const clients = motoClients();
  try {
    const result = await runScan({ benchmark: 'cis-aws-v4.0.0', checks, regions: [REGION], roleName: DEMO_ROLE_NAME, concurrency: 2, homeRegion: REGION, clients, releaseInventories });
    return { ...result, calls: clients.callCounter.forAccount(CALLER) };
  } finally {
    clients.destroy();
  }
}

describe('Function: readResourcePolicies, against moto', () => {
  useMoto();
  let clients: AwsClients;
  const session: AccountSession = { accountId: CALLER };
  beforeEach(() => {
    clients = motoClients();
  });
  afterEach(() => clients.destroy());

  it('reads a queue policy and its key, a function policy, and a key through its alias, one read each', async () => {
    // Prepare
    const queueKey = await key(clients, session, rootKeyPolicy(CALLER));
    const queueArn = await queue(clients, session, 'pager', policy({ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }), queueKey);
    const functionArn = await lambdaFunction(clients, session, 'page-oncall', `arn:aws:sns:${REGION}:${CALLER}:alerts`);
    const keyArn = await key(clients, session, rootKeyPolicy(CALLER, cloudWatchUsesKey), 'alias/alarms');
    const alias = `arn:aws:kms:${REGION}:${CALLER}:alias/alarms`;
    const reader = motoClients();

    // Act
    const { records, readErrors } = await readResourcePolicies(reader, session, [
      { arn: queueArn, kind: 'sqs', accountId: CALLER, region: REGION },
      { arn: functionArn, kind: 'lambda', accountId: CALLER, region: REGION },
      { arn: alias, kind: 'kms', accountId: CALLER, region: REGION },
    ]);
    const calls = reader.callCounter.forAccount(CALLER);
    reader.destroy();

    // Assess
    expect(readErrors).toEqual([]);
    expect(records).toEqual([
      { arn: queueArn, kind: 'sqs', exists: true, policy: expect.stringContaining('sqs:SendMessage'), kmsMasterKeyId: queueKey },
      { arn: functionArn, kind: 'lambda', exists: true, policy: expect.stringContaining('"AWS:SourceArn": "arn:aws:sns:us-east-1:123456789012:alerts"') },
      { arn: alias, kind: 'kms', exists: true, policy: expect.stringContaining('cloudwatch.amazonaws.com'), key: { arn: keyArn, manager: 'CUSTOMER', state: 'Enabled' } },
    ]);
    expect(calls).toEqual({ 'SQS:GetQueueAttributes': 1, 'Lambda:GetPolicy': 1, 'KMS:DescribeKey': 1, 'KMS:GetKeyPolicy': 1 });
  });

  it('records a queue and a key that do not exist, and a function it cannot tell apart from one without a policy', async () => {
    // Prepare
    const functionArn = await lambdaFunction(clients, session, 'no-permission');

    // Act
    const { records, readErrors } = await readResourcePolicies(clients, session, [
      { arn: `arn:aws:sqs:${REGION}:${CALLER}:gone`, kind: 'sqs', accountId: CALLER, region: REGION },
      { arn: `arn:aws:kms:${REGION}:${CALLER}:key/00000000-0000-0000-0000-000000000000`, kind: 'kms', accountId: CALLER, region: REGION },
      { arn: functionArn, kind: 'lambda', accountId: CALLER, region: REGION },
    ]);

    // Assess
    expect(readErrors).toEqual([]);
    expect(records).toEqual([
      { arn: `arn:aws:sqs:${REGION}:${CALLER}:gone`, kind: 'sqs', exists: false },
      { arn: `arn:aws:kms:${REGION}:${CALLER}:key/00000000-0000-0000-0000-000000000000`, kind: 'kms', exists: false },
      { arn: functionArn, kind: 'lambda' },
    ]);
  });

  it('turns a refused read into a read error for that resource alone (moto never refuses: injected)', async () => {
    // Prepare
    const queueArn = await queue(clients, session, 'pager');
    const refusing = motoClients({ attemptHooks: [failWhen((call) => call.service === 'KMS', () => awsError('AccessDeniedException', 400, 'not authorized to perform: kms:DescribeKey'))] });
    const keyArn = `arn:aws:kms:${REGION}:${CALLER}:key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6`;

    // Act
    const { records, readErrors } = await readResourcePolicies(refusing, session, [
      { arn: queueArn, kind: 'sqs', accountId: CALLER, region: REGION },
      { arn: keyArn, kind: 'kms', accountId: CALLER, region: REGION },
    ]);
    refusing.destroy();

    // Assess
    expect(records).toEqual([{ arn: queueArn, kind: 'sqs', exists: true }]);
    expect(readErrors).toEqual([{ scope: 'resourcePolicy', resource: keyArn, region: REGION, code: 'AccessDenied', message: expect.stringContaining('kms:DescribeKey') }]);
  });
});

describe('Function: resourcePoliciesWanted', () => {
  const TOPIC = 'arn:aws:sns:us-east-1:111111111111:cis-alarms';
  const subscription = (protocol: string, endpoint: string, confirmed = true) => ({
    subscriptionArn: confirmed ? `${TOPIC}:${endpoint.length}` : 'PendingConfirmation',
    protocol,
    endpoint,
  });
  const withSubscribers = (subscriptions: ReturnType<typeof subscription>[], kmsMasterKeyId?: string): AccountInventory => {
    const inventory = healthy();
    const topicRecord = inventory.topics[TOPIC];
    if (!topicRecord) throw new Error('fixture has no topic');
    return { ...inventory, topics: { [TOPIC]: { ...topicRecord, subscriptions, ...(kmsMasterKeyId ? { kmsMasterKeyId } : {}) } } };
  };

  it('wants the confirmed queue and function subscribers and the topic key, in scanned accounts only', () => {
    // Prepare
    const inventory = withSubscribers(
      [
        subscription('sqs', 'arn:aws:sqs:us-east-1:111111111111:pager'),
        subscription('sqs', 'arn:aws:sqs:us-east-1:111111111111:pending', false),
        subscription('lambda', 'arn:aws:lambda:us-east-1:111111111111:function:page'),
        subscription('sqs', 'arn:aws:sqs:us-east-1:999999999999:elsewhere'),
        subscription('email', 'security@example.com'),
      ],
      'alias/alarms',
    );

    // Act
    const wanted = resourcePoliciesWanted([inventory]);

    // Assess
    expect(wanted).toEqual(
      new Map([
        [
          '111111111111',
          [
            { arn: 'arn:aws:kms:us-east-1:111111111111:alias/alarms', kind: 'kms', accountId: '111111111111', region: 'us-east-1' },
            { arn: 'arn:aws:sqs:us-east-1:111111111111:pager', kind: 'sqs', accountId: '111111111111', region: 'us-east-1' },
            { arn: 'arn:aws:lambda:us-east-1:111111111111:function:page', kind: 'lambda', accountId: '111111111111', region: 'us-east-1' },
          ],
        ],
      ]),
    );
  });

  it("wants nothing for the AWS managed key, what is read already or failed, and then a queue's own key", () => {
    // Prepare
    const queueArn = 'arn:aws:sqs:us-east-1:111111111111:pager';
    const read: AccountInventory = {
      ...withSubscribers([subscription('sqs', queueArn), subscription('lambda', 'arn:aws:lambda:us-east-1:111111111111:function:page')], 'alias/aws/sns'),
      resourcePolicies: { [queueArn]: { arn: queueArn, kind: 'sqs', exists: true, kmsMasterKeyId: 'key-id-1' } },
      readErrors: [{ scope: 'resourcePolicy', resource: 'arn:aws:lambda:us-east-1:111111111111:function:page', code: 'AccessDenied', message: 'no' }],
    };

    // Act & Assess
    expect(resourcePoliciesWanted([read])).toEqual(
      new Map([['111111111111', [{ arn: 'arn:aws:kms:us-east-1:111111111111:key/key-id-1', kind: 'kms', accountId: '111111111111', region: 'us-east-1' }]]]),
    );
  });
});

describe('runScan: a chain that can really deliver, in moto', () => {
  useMoto();
  let seeder: AwsClients;
  const caller: AccountSession = { accountId: CALLER };
  beforeEach(() => {
    seeder = motoClients();
  });
  afterEach(() => seeder.destroy());

  it('FAILs the check when the only subscriber is a queue whose policy denies SNS, naming the queue and the fix', async () => {
    // Prepare
    const denySns = policy({ Sid: 'NoServices', Effect: 'Deny', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*' });
    const queueArn = await queue(seeder, caller, 'pager', denySns);
    const topicArn = await topic(seeder, caller, { name: 'alerts', queues: [queueArn] });
    await chainTo(seeder, caller, topicArn);

    // Act
    const { report, calls } = await scan();
    // The account judged as soon as it is read, its queue read first: the same finding, for the same calls.
    const released = await scan(['root_usage'], true);

    // Assess
    const [finding] = report.findings;
    expect(released.report.findings).toEqual(report.findings);
    expect(released.calls).toEqual(calls);
    expect(finding).toMatchObject({ accountId: CALLER, check: 'root_usage', status: 'FAIL', brokenLink: 'subscription' });
    expect(finding?.reason).toMatch(/^queue 'pager' \(us-east-1\) does not let topic 'alerts' \(us-east-1\) send to it \(statement 1 \(Sid "NoServices"\) denies sns\.amazonaws\.com sqs:SendMessage\): allow sns\.amazonaws\.com sqs:SendMessage with aws:SourceArn /);
    expect(finding?.fix).toBe(`aws sqs set-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/${CALLER}/pager --attributes file://queue-policy.json --region us-east-1`);
  });

  it('PASSes when the queue policy lets the topic send, and a Lambda subscriber without permission only earns a warning', async () => {
    // Prepare
    const topicArn = `arn:aws:sns:${REGION}:${CALLER}:alerts`;
    const allowTopic = policy({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*', Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } });
    const queueArn = await queue(seeder, caller, 'pager', allowTopic);
    const functionArn = await lambdaFunction(seeder, caller, 'page-oncall');
    await topic(seeder, caller, { name: 'alerts', queues: [queueArn], functions: [functionArn] });
    await chainTo(seeder, caller, topicArn);

    // Act
    const { report } = await scan();

    // Assess
    const [finding] = report.findings;
    expect(finding?.status).toBe('PASS');
    expect(finding?.warnings).toEqual([expect.stringMatching(/^also: function 'page-oncall' \(us-east-1\) has no resource policy letting topic 'alerts' \(us-east-1\) invoke it/)]);
  });

  it('PASSes with a warning when the queue is in an account outside the scan, without reading it', async () => {
    // Prepare
    const credentials = new AccountCredentials(seeder, { callerAccountId: CALLER, roleName: DEMO_ROLE_NAME, region: REGION });
    const outside = await credentials.sessionFor(OUTSIDE);
    const queueArn = await queue(seeder, outside, 'central-pager', policy({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }));
    const topicArn = await topic(seeder, caller, { name: 'alerts', queues: [queueArn] });
    await chainTo(seeder, caller, topicArn);

    // Act
    const { report, calls } = await scan();

    // Assess
    const [finding] = report.findings;
    expect(report.accounts.map((account) => account.accountId)).toEqual([CALLER]);
    expect(finding?.status).toBe('PASS');
    expect(finding?.warnings).toEqual([
      `queue 'central-pager' (account ${OUTSIDE}, us-east-1), which topic 'alerts' (us-east-1) delivers to, is in account ${OUTSIDE}, which is not in this scan: trailwatch could not check that its policy lets SNS deliver`,
    ]);
    expect(Object.keys(calls).filter((call) => call.startsWith('SQS:'))).toEqual([]);
  });

  it('FAILs a topic whose KMS key does not let CloudWatch use it, and PASSes one whose key does', async () => {
    // Prepare
    const closed = await key(seeder, caller, rootKeyPolicy(CALLER), 'alias/closed');
    await key(seeder, caller, rootKeyPolicy(CALLER, cloudWatchUsesKey), 'alias/open');
    const closedTopic = await topic(seeder, caller, { name: 'closed-alerts', kmsKey: 'alias/closed' });
    const openTopic = await topic(seeder, caller, { name: 'open-alerts', kmsKey: 'alias/open' });
    await seeder.sns(caller, REGION).send(new SubscribeCommand({ TopicArn: closedTopic, Protocol: 'email', Endpoint: 'security@example.com' }));
    await seeder.sns(caller, REGION).send(new SubscribeCommand({ TopicArn: openTopic, Protocol: 'email', Endpoint: 'security@example.com' }));
    await seedTrail(seeder, caller, { name: 'trail', homeRegion: REGION, logGroupName: 'cloudtrail' });
    await seedChain(seeder, caller, REGION, { logGroupName: 'cloudtrail', checks: ['root_usage'], topic: { arn: closedTopic } });
    await seedChain(seeder, caller, REGION, { logGroupName: 'cloudtrail', checks: ['iam_policy_changes'], topic: { arn: openTopic } });

    // Act
    const { report } = await scan(['root_usage', 'iam_policy_changes']);

    // Assess
    const byCheck = Object.fromEntries(report.findings.map((finding) => [finding.check, finding]));
    expect(byCheck.root_usage).toMatchObject({ status: 'FAIL', brokenLink: 'topic', fix: `aws kms put-key-policy --key-id ${closed} --policy-name default --policy file://key-policy.json --region us-east-1` });
    expect(byCheck.root_usage?.reason).toMatch(/^KMS key 'alias\/closed' \(us-east-1\), which encrypts topic 'closed-alerts' \(us-east-1\), does not let cloudwatch\.amazonaws\.com use it/);
    expect(byCheck.iam_policy_changes?.status).toBe('PASS');
  });

  it('reads each policy once per scan, however many topics and checks depend on it, and nothing it does not need', async () => {
    // Prepare: two topics deliver to one queue; two checks notify each
    const queueArn = await queue(seeder, caller, 'pager', policy({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: '*' }));
    const first = await topic(seeder, caller, { name: 'first', queues: [queueArn] });
    const second = await topic(seeder, caller, { name: 'second', queues: [queueArn] });
    await seedTrail(seeder, caller, { name: 'trail', homeRegion: REGION, logGroupName: 'cloudtrail' });
    await seedChain(seeder, caller, REGION, { logGroupName: 'cloudtrail', checks: ['root_usage', 'iam_policy_changes'], topic: { arn: first } });
    await seedChain(seeder, caller, REGION, { logGroupName: 'cloudtrail', checks: ['root_usage', 'iam_policy_changes'], namePrefix: 'second-', topic: { arn: second } });

    // Act
    const { report, calls } = await scan(['root_usage', 'iam_policy_changes']);

    // Assess
    expect(report.findings.map((finding) => finding.status)).toEqual(['PASS', 'PASS']);
    expect(calls['SQS:GetQueueAttributes']).toBe(1);
    expect(Object.keys(calls).filter((call) => /^(Lambda|KMS):/.test(call))).toEqual([]);
  });
});
