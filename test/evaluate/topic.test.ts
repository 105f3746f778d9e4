/**
 * Topic and subscription rules, on inventory fixtures: moto never leaves a subscription pending
 * and its topic summary fields are unreliable, so these cases are data.
 */
import { cloudWatchMayPublish } from '../../src/evaluate/links/topic-policy';
import { confirmedSubscription, edit, findAlarm, findTopic, findingFor, healthy, loadFixture } from './builders';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:cis-alarms';
const ALARM = 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:root-usage';

describe('Rule: topic', () => {
  it('fails when the topic no longer exists', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const topic = findTopic(draft, 'cis-alarms');
      topic.exists = false;
      delete topic.policy;
      delete topic.subscriptions;
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('topic');
    expect(finding.reason).toBe(
      "topic 'cis-alarms' (us-east-1), which alarm 'root-usage' notifies, does not exist: create it with `aws sns create-topic --name cis-alarms --region us-east-1` or point the alarm at an existing topic",
    );
    expect(finding.evidence.topic).toBe(TOPIC);
  });

  it('passes with the default topic policy (AWS:SourceOwner is the account)', () => {
    // Act & Assess
    expect(findingFor(healthy(), 'root_usage').status).toBe('PASS');
  });

  it('passes without a topic policy', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      delete findTopic(draft, 'cis-alarms').policy;
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
  });

  it('fails when the topic policy does not let CloudWatch publish', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTopic(draft, 'cis-alarms').policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sns:Publish', Resource: TOPIC }],
      });
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('topic');
    expect(finding.reason).toMatch(/^topic 'cis-alarms' \(us-east-1\) does not let CloudWatch publish \(no statement of its policy allows cloudwatch\.amazonaws\.com sns:Publish for alarms of account 111111111111\): allow cloudwatch\.amazonaws\.com sns:Publish in its policy with `aws sns set-topic-attributes /);
  });

  it('is ERROR when the topic policy cannot be evaluated', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTopic(draft, 'cis-alarms').policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }],
      });
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage')).toMatchObject({ status: 'ERROR', brokenLink: 'topic' });
  });

  it('fails a topic encrypted with the AWS managed key alias/aws/sns', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTopic(draft, 'cis-alarms').kmsMasterKeyId = 'alias/aws/sns';
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.reason).toMatch(/^topic 'cis-alarms' \(us-east-1\) is encrypted with the AWS managed key alias\/aws\/sns/);
  });

  it('is ERROR when the topic could not be read', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      draft.topics = {};
      draft.readErrors.push({ scope: 'topic', resource: TOPIC, region: 'us-east-1', code: 'AccessDenied', message: 'not authorized to perform: SNS:GetTopicAttributes' });
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toBe("cannot verify: trailwatch could not read topic 'cis-alarms' (us-east-1) (AccessDenied: not authorized to perform: SNS:GetTopicAttributes)");
  });

  describe('in another account', () => {
    it('resolves the topic from that account\'s inventory when it is in the scan', () => {
      // Act
      const finding = findingFor(loadFixture('cross-account-topic'), 'root_usage');

      // Assess
      expect(finding.status).toBe('PASS');
      expect(finding.evidence.topic).toBe('arn:aws:sns:us-east-1:888888888888:central-alarms');
    });

    it('is ERROR naming the account that must be scanned when it is not', () => {
      // Prepare
      const [member] = loadFixture('cross-account-topic');

      // Act
      const finding = findingFor(member!, 'root_usage');

      // Assess
      expect(finding.status).toBe('ERROR');
      expect(finding.brokenLink).toBe('topic');
      expect(finding.reason).toBe("cannot verify: topic 'central-alarms' (account 888888888888, us-east-1) is in account 888888888888, which is not in this scan: scan account 888888888888 too");
    });

    it('fails when the other account\'s policy only lets its own alarms publish', () => {
      // Prepare
      const inventories = loadFixture('cross-account-topic').map((inventory) =>
        inventory.accountId === '888888888888'
          ? edit(inventory, (draft) => {
              const topic = findTopic(draft, 'central-alarms');
              topic.policy = JSON.stringify({
                Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'SNS:Publish', Resource: topic.arn, Condition: { StringEquals: { 'AWS:SourceOwner': '888888888888' } } }],
              });
            })
          : inventory,
      );

      // Act
      const finding = findingFor(inventories, 'root_usage');

      // Assess
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).toMatch(/^topic 'central-alarms' \(account 888888888888, us-east-1\) does not let CloudWatch publish/);
    });
  });
});

describe('Rule: subscription', () => {
  it('fails while the only subscription is pending, saying who must confirm (regression)', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTopic(draft, 'cis-alarms').subscriptions = [{ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'oncall@example.com' }];
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.brokenLink).toBe('subscription');
    expect(finding.reason).toBe("topic 'cis-alarms' (us-east-1) has no confirmed subscription yet: it will pass once oncall@example.com confirms the subscription (AWS sent a confirmation message)");
    expect(finding.fix).toBeUndefined();
  });

  it('passes when one subscription is confirmed and another pending', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      draft.topics[TOPIC]!.subscriptions = [{ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'oncall@example.com' }, confirmedSubscription(TOPIC)];
    });

    // Act & Assess
    expect(findingFor(inventory, 'root_usage').status).toBe('PASS');
  });

  it('fails when the topic has no subscribers, with the subscribe command', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      findTopic(draft, 'cis-alarms').subscriptions = [];
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('FAIL');
    expect(finding.fix).toBe('aws sns subscribe --topic-arn arn:aws:sns:us-east-1:111111111111:cis-alarms --protocol email --notification-endpoint <address> --region us-east-1');
  });

  it('is ERROR when the subscriptions could not be read', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      delete findTopic(draft, 'cis-alarms').subscriptions;
      draft.readErrors.push({ scope: 'subscriptions', resource: TOPIC, code: 'Throttled', message: 'Rate exceeded' });
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('ERROR');
    expect(finding.brokenLink).toBe('subscription');
  });

  it('passes when one of two topics of the alarm has a confirmed subscriber', () => {
    // Prepare
    const inventory = edit(healthy(), (draft) => {
      const quiet = 'arn:aws:sns:us-east-1:111111111111:quiet';
      draft.topics[quiet] = { ...structuredClone(draft.topics[TOPIC]!), arn: quiet, subscriptions: [] };
      findAlarm(draft, 'root-usage').alarmActions = [quiet, TOPIC];
    });

    // Act
    const finding = findingFor(inventory, 'root_usage');

    // Assess
    expect(finding.status).toBe('PASS');
    expect(finding.evidence.topic).toBe(TOPIC);
  });
});

describe('Function: cloudWatchMayPublish', () => {
  const context = { topicArn: TOPIC, alarmArn: ALARM, alarmAccountId: '111111111111' };
  const policy = (statement: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

  it.each([
    ['the service principal', { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC }, 'allowed'],
    ['a wildcard action and resource', { Effect: 'Allow', Principal: '*', Action: 'sns:*', Resource: '*' }, 'allowed'],
    ['a matching aws:SourceArn', { Effect: 'Allow', Principal: { Service: ['cloudwatch.amazonaws.com'] }, Action: 'SNS:Publish', Resource: TOPIC, Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:*' } } }, 'allowed'],
    ['another alarm account', { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC, Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' } } }, 'not-allowed'],
    ['another action', { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Subscribe', Resource: TOPIC }, 'not-allowed'],
    ['another topic', { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: 'arn:aws:sns:us-east-1:111111111111:other' }, 'not-allowed'],
    ['NotPrincipal naming someone else', { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: 'sns:Publish', Resource: TOPIC }, 'allowed'],
    ['NotPrincipal naming CloudWatch', { Effect: 'Allow', NotPrincipal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC }, 'not-allowed'],
    ['a condition on a key trailwatch does not model', { Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TOPIC, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }, 'undetermined'],
  ])('decides a statement with %s', (_name, statement, decision) => {
    // Act & Assess
    expect(cloudWatchMayPublish(policy(statement), context).decision).toBe(decision);
  });

  it('lets an explicit Deny win', () => {
    // Prepare
    const text = JSON.stringify({
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TOPIC },
        { Effect: 'Deny', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC },
      ],
    });

    // Act & Assess
    expect(cloudWatchMayPublish(text, context)).toEqual({ decision: 'not-allowed', detail: 'statement 2 denies cloudwatch.amazonaws.com sns:Publish' });
  });

  it('is undetermined for a policy that is not JSON', () => {
    // Act & Assess
    expect(cloudWatchMayPublish('{not json', context).decision).toBe('undetermined');
  });
});
