/**
 * A chain that can really deliver: the policies of the queues and functions a topic's confirmed
 * subscriptions deliver to, and of the KMS keys the topic and those queues are encrypted with, on
 * inventory fixtures (the moto scenarios are in test/collect/resource-policies.test.ts).
 */
import type { ResourcePolicyRecord, SubscriptionRecord } from '../../src/collect/inventory';
import { confirmedSubscription, edit, findTopic, findingFor, healthy } from './builders';

const ACCOUNT = '111111111111';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:cis-alarms`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:pager`;
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:page-oncall`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6`;

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const subscription = (protocol: 'sqs' | 'lambda', endpoint: string, id = '0a1b2c3d'): SubscriptionRecord => ({
  subscriptionArn: `${TOPIC}:${id}-8d2b-4c7a-9f10-2b3c4d5e6f70`,
  protocol,
  endpoint,
  owner: ACCOUNT,
});
const sendFrom = (topicArn: string, queueArn = QUEUE) => ({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': topicArn } } });
const rootOnly = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const keyUse = (service: string) => ({ Effect: 'Allow', Principal: { Service: service }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' });
const queueRecord = (extra: Partial<ResourcePolicyRecord> = {}): ResourcePolicyRecord => ({ arn: QUEUE, kind: 'sqs', exists: true, policy: policy(sendFrom(TOPIC)), ...extra });
const keyRecord = (arn: string, statements: Record<string, unknown>[], key: ResourcePolicyRecord['key'] = { arn: KEY, manager: 'CUSTOMER', state: 'Enabled' }): ResourcePolicyRecord => ({
  arn,
  kind: 'kms',
  exists: true,
  policy: policy(rootOnly, ...statements),
  key,
});

/** The healthy account whose topic's subscribers are these, with these records read. */
function delivering(subscriptions: SubscriptionRecord[], records: ResourcePolicyRecord[]) {
  return edit(healthy(), (draft) => {
    findTopic(draft, 'cis-alarms').subscriptions = subscriptions;
    draft.resourcePolicies = Object.fromEntries(records.map((record) => [record.arn, record]));
  });
}

describe('Rule: subscription delivers to an SQS queue', () => {
  it('passes when the queue policy lets the topic send', () => {
    // Act
    const finding = findingFor(delivering([subscription('sqs', QUEUE)], [queueRecord()]), 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toBeUndefined();
  });

  it('fails when the queue policy denies SNS, naming the statement, with the fix', () => {
    // Prepare
    const deny = { Sid: 'OnlyOurApps', Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: QUEUE, Condition: { StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } } };
    const denySns = { ...deny, Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } } };
    const inventory = delivering([subscription('sqs', QUEUE)], [queueRecord({ policy: policy(sendFrom(TOPIC), denySns) })]);

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'subscription' });
    expect(finding.reason).toBe(
      "queue 'pager' (us-east-1) does not let topic 'cis-alarms' (us-east-1) send to it (statement 2 (Sid \"OnlyOurApps\") denies sns.amazonaws.com sqs:SendMessage): " +
        `allow sns.amazonaws.com sqs:SendMessage with aws:SourceArn ${TOPIC} in its queue policy with \`aws sqs set-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/pager --attributes file://queue-policy.json --region us-east-1\``,
    );
    expect(finding.fix).toBe(`aws sqs set-queue-attributes --queue-url https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/pager --attributes file://queue-policy.json --region us-east-1`);
  });

  it('fails when the queue policy lets only another topic send', () => {
    // Prepare
    const inventory = delivering([subscription('sqs', QUEUE)], [queueRecord({ policy: policy(sendFrom(`arn:aws:sns:us-east-1:${ACCOUNT}:other`)) })]);

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'subscription' });
    expect(finding.reason).toMatch(/^queue 'pager' \(us-east-1\) does not let topic 'cis-alarms' \(us-east-1\) send to it \(no statement of its policy allows sns\.amazonaws\.com sqs:SendMessage\)/);
  });

  it.each([
    ['has no queue policy', { policy: undefined }, /^queue 'pager' \(us-east-1\) has no queue policy, so topic 'cis-alarms' \(us-east-1\) cannot send to it: allow /],
    ['no longer exists', { exists: false, policy: undefined }, /^topic 'cis-alarms' \(us-east-1\) delivers to queue 'pager' \(us-east-1\), which does not exist: subscribe an existing endpoint with `aws sns subscribe /],
    ['is encrypted with the AWS managed key alias/aws/sqs', { kmsMasterKeyId: 'alias/aws/sqs' }, /^queue 'pager' \(us-east-1\) is encrypted with the AWS managed key alias\/aws\/sqs, whose policy cannot let SNS use it/],
  ])('fails when the queue %s', (_name, change, reason) => {
    // Prepare
    const record = Object.fromEntries(Object.entries(queueRecord(change)).filter(([, value]) => value !== undefined)) as unknown as ResourcePolicyRecord;

    // Act
    const finding = findingFor(delivering([subscription('sqs', QUEUE)], [record]), 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'subscription' });
    expect(finding.reason).toMatch(reason);
  });

  it("judges the key of a queue encrypted with a customer managed key: SNS must be able to use it", () => {
    // Prepare
    const alias = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/queues`;
    const usable = delivering([subscription('sqs', QUEUE)], [queueRecord({ kmsMasterKeyId: 'alias/queues' }), keyRecord(alias, [keyUse('sns.amazonaws.com')])]);
    const unusable = delivering([subscription('sqs', QUEUE)], [queueRecord({ kmsMasterKeyId: 'alias/queues' }), keyRecord(alias, [])]);

    // Act
    const passing = findingFor(usable, 'root_usage');
    const failing = findingFor(unusable, 'root_usage');

    // Assess
    expect(passing.status).toBe('PASS');
    expect(failing).toMatchObject({ status: 'FAIL', brokenLink: 'subscription', fix: `aws kms put-key-policy --key-id ${KEY} --policy-name default --policy file://key-policy.json --region us-east-1` });
    expect(failing.reason).toMatch(/^KMS key 'alias\/queues' \(us-east-1\), which encrypts queue 'pager' \(us-east-1\), does not let sns\.amazonaws\.com use it \(no statement of its policy allows sns\.amazonaws\.com kms:GenerateDataKey\), so topic 'cis-alarms' \(us-east-1\) cannot send to it: /);
  });

  it('is ERROR with the reason when the queue policy is not JSON', () => {
    // Act
    const finding = findingFor(delivering([subscription('sqs', QUEUE)], [queueRecord({ policy: '{"Statement": [' })]), 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'ERROR', brokenLink: 'subscription' });
    expect(finding.reason).toBe("cannot verify: trailwatch cannot verify that queue 'pager' (us-east-1) lets topic 'cis-alarms' (us-east-1) send to it: its policy is not valid JSON");
  });

  it('is ERROR when the queue could not be read, or was not', () => {
    // Prepare
    const denied = edit(delivering([subscription('sqs', QUEUE)], []), (draft) => {
      draft.readErrors.push({ scope: 'resourcePolicy', resource: QUEUE, region: 'us-east-1', code: 'AccessDenied', message: 'not authorized to perform: sqs:GetQueueAttributes' });
    });

    // Act
    const unreadable = findingFor(denied, 'root_usage');
    const uncollected = findingFor(delivering([subscription('sqs', QUEUE)], []), 'root_usage');

    // Assess
    expect(unreadable.reason).toBe("cannot verify: trailwatch could not read the policy of queue 'pager' (us-east-1), which topic 'cis-alarms' (us-east-1) delivers to (AccessDenied: not authorized to perform: sqs:GetQueueAttributes)");
    expect(uncollected).toMatchObject({ status: 'ERROR', brokenLink: 'subscription' });
    expect(uncollected.reason).toMatch(/\(it was not collected: scan again with this version of trailwatch\)$/);
  });

  it('passes with a warning that it could not be checked when the queue is in an account outside the scan', () => {
    // Prepare
    const elsewhere = 'arn:aws:sqs:us-east-1:999999999999:central-pager';

    // Act
    const finding = findingFor(delivering([subscription('sqs', elsewhere)], []), 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toEqual([
      "queue 'central-pager' (account 999999999999, us-east-1), which topic 'cis-alarms' (us-east-1) delivers to, is in account 999999999999, which is not in this scan: trailwatch could not check that its policy lets SNS deliver",
    ]);
  });

  it('is ERROR, not a warning, when the queue is in a scanned account whose scan failed', () => {
    // Prepare
    const elsewhere = 'arn:aws:sqs:us-east-1:999999999999:central-pager';

    // Act
    const finding = findingFor(delivering([subscription('sqs', elsewhere)], []), 'root_usage', { failedAccounts: [{ accountId: '999999999999', error: 'AccessDenied: sts:AssumeRole' }] });

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toMatch(/\(account 999999999999 could not be scanned \(AccessDenied: sts:AssumeRole\)\)$/);
  });

  it('passes when another subscriber receives, warning about the queue that cannot', () => {
    // Prepare
    const inventory = delivering([subscription('sqs', QUEUE), confirmedSubscription(TOPIC)], [queueRecord({ policy: undefined })]);

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toEqual([expect.stringMatching(/^also: queue 'pager' \(us-east-1\) has no queue policy/)]);
  });

  it('prefers ERROR to FAIL when one subscriber cannot receive and another cannot be judged', () => {
    // Prepare
    const inventory = delivering([subscription('sqs', QUEUE), subscription('lambda', FUNCTION, '1b2c3d4e')], [queueRecord({ policy: undefined })]);

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'ERROR', brokenLink: 'subscription' });
    expect(finding.warnings).toEqual([expect.stringMatching(/^also: queue 'pager' \(us-east-1\) has no queue policy/)]);
  });

  it('checks the first ten queue and function subscribers and says which it did not', () => {
    // Prepare: ten queues nothing may send to, then an eleventh
    const queues = Array.from({ length: 11 }, (_, index) => `arn:aws:sqs:us-east-1:${ACCOUNT}:pager-${index}`);
    const inventory = delivering(
      queues.map((queue, index) => subscription('sqs', queue, `${index}`.padStart(8, '0'))),
      queues.slice(0, 10).map((queue) => ({ arn: queue, kind: 'sqs', exists: true })),
    );

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings?.[0]).toBe("topic 'cis-alarms' (us-east-1) has more than 10 queue and function subscribers: trailwatch checked the first 10, not queue 'pager-10' (us-east-1)");
    expect(finding.warnings).toHaveLength(11);
  });
});

describe('Rule: subscription delivers to a Lambda function', () => {
  const invokeFrom = (topicArn: string) => ({ Sid: 'sns', Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: FUNCTION, Condition: { ArnLike: { 'AWS:SourceArn': topicArn } } });

  it('passes when the function policy lets the topic invoke it', () => {
    // Act & Assess
    expect(findingFor(delivering([subscription('lambda', FUNCTION)], [{ arn: FUNCTION, kind: 'lambda', exists: true, policy: policy(invokeFrom(TOPIC)) }]), 'root_usage').status).toBe('PASS');
  });

  it('fails when the function has no resource policy, with the add-permission command', () => {
    // Act
    const finding = findingFor(delivering([subscription('lambda', FUNCTION)], [{ arn: FUNCTION, kind: 'lambda' }]), 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'subscription' });
    expect(finding.reason).toMatch(/^function 'page-oncall' \(us-east-1\) has no resource policy letting topic 'cis-alarms' \(us-east-1\) invoke it \(or it does not exist\): grant it with /);
    expect(finding.fix).toBe(
      `aws lambda add-permission --function-name ${FUNCTION} --statement-id sns-cis-alarms --action lambda:InvokeFunction --principal sns.amazonaws.com --source-arn ${TOPIC} --region us-east-1`,
    );
  });

  it('fails when the function policy lets only another topic invoke it', () => {
    // Act
    const finding = findingFor(
      delivering([subscription('lambda', FUNCTION)], [{ arn: FUNCTION, kind: 'lambda', exists: true, policy: policy(invokeFrom(`arn:aws:sns:us-east-1:${ACCOUNT}:other`)) }]),
      'root_usage',
    );

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'subscription' });
    expect(finding.reason).toMatch(/^function 'page-oncall' \(us-east-1\) does not let topic 'cis-alarms' \(us-east-1\) invoke it/);
  });
});

describe('Rule: topic encrypted with a KMS key', () => {
  const encrypted = (keyId: string, records: ResourcePolicyRecord[]) =>
    edit(healthy(), (draft) => {
      findTopic(draft, 'cis-alarms').kmsMasterKeyId = keyId;
      draft.resourcePolicies = Object.fromEntries(records.map((record) => [record.arn, record]));
    });

  it('passes when the key policy lets CloudWatch use the key', () => {
    // Act & Assess
    expect(findingFor(encrypted(KEY, [keyRecord(KEY, [keyUse('cloudwatch.amazonaws.com')])]), 'root_usage').status).toBe('PASS');
  });

  it('resolves an alias name in the topic account and region', () => {
    // Prepare
    const alias = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/alarms`;

    // Act & Assess
    expect(findingFor(encrypted('alias/alarms', [keyRecord(alias, [keyUse('cloudwatch.amazonaws.com')])]), 'root_usage').status).toBe('PASS');
  });

  it('fails when the key policy lets only the account use it, with the fix', () => {
    // Act
    const finding = findingFor(encrypted(KEY, [keyRecord(KEY, [])]), 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'topic' });
    expect(finding.reason).toBe(
      "KMS key 'key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6' (us-east-1), which encrypts topic 'cis-alarms' (us-east-1), does not let cloudwatch.amazonaws.com use it (no statement of its policy allows cloudwatch.amazonaws.com kms:GenerateDataKey), so CloudWatch cannot publish its alarms to it: " +
        `allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt in its key policy with \`aws kms put-key-policy --key-id ${KEY} --policy-name default --policy file://key-policy.json --region us-east-1\``,
    );
  });

  it.each([
    ['Disabled', /is Disabled, so CloudWatch cannot publish its alarms to it: enable it with `aws kms enable-key /],
    ['PendingDeletion', /is PendingDeletion, so CloudWatch cannot publish its alarms to it: cancel its deletion and enable it with `aws kms cancel-key-deletion /],
  ])('fails when the key is %s', (state, reason) => {
    // Act
    const finding = findingFor(encrypted(KEY, [keyRecord(KEY, [keyUse('cloudwatch.amazonaws.com')], { arn: KEY, manager: 'CUSTOMER', state })]), 'root_usage');

    // Assess
    expect(finding).toMatchObject({ status: 'FAIL', brokenLink: 'topic' });
    expect(finding.reason).toMatch(reason);
  });

  it('fails an AWS managed key and a key that does not exist', () => {
    // Prepare
    const managed = encrypted(KEY, [keyRecord(KEY, [], { arn: KEY, manager: 'AWS', state: 'Enabled' })]);
    const missing = encrypted(KEY, [{ arn: KEY, kind: 'kms', exists: false }]);

    // Act & Assess
    expect(findingFor(managed, 'root_usage').reason).toMatch(/is encrypted with KMS key 'key\/[^']+' \(us-east-1\), an AWS managed key, whose policy cannot let cloudwatch\.amazonaws\.com use it/);
    expect(findingFor(missing, 'root_usage').reason).toMatch(/is encrypted with KMS key 'key\/[^']+' \(us-east-1\), which does not exist, so CloudWatch cannot publish its alarms to it/);
  });

  it('passes with a warning when the key is in an account outside the scan', () => {
    // Act
    const finding = findingFor(encrypted('arn:aws:kms:us-east-1:999999999999:key/abc', []), 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.warnings).toEqual([
      "topic 'cis-alarms' (us-east-1) is encrypted with KMS key 'key/abc' (account 999999999999, us-east-1), in account 999999999999, which is not in this scan: trailwatch could not check that its key policy lets cloudwatch.amazonaws.com use it",
    ]);
  });

  it('is ERROR when the key was not read, or cannot be named', () => {
    // Act
    const unread = findingFor(encrypted(KEY, []), 'root_usage');
    const nonsense = findingFor(encrypted('not a key\nFAIL', []), 'root_usage');

    // Assess
    expect(unread).toMatchObject({ status: 'ERROR', brokenLink: 'topic' });
    expect(nonsense.reason).toBe("cannot verify: trailwatch cannot tell which KMS key \"not a key\\nFAIL\" is, which encrypts topic 'cis-alarms' (us-east-1): it is no key ID, alias or ARN");
  });
});
