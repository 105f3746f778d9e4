import {
  allowsCloudWatchPublish,
  defaultTopicPolicy,
  hasTrailwatchStatement,
  withCloudWatchPublish,
  withoutTrailwatchStatement,
} from '../../src/remediate/policy';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:alerts';

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

describe('allowsCloudWatchPublish', () => {
  it('accepts an Allow for the CloudWatch service principal on sns:Publish', () => {
    const text = policy({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC });
    expect(allowsCloudWatchPublish(text, TOPIC)).toBe(true);
  });

  it('accepts a list of service principals and SNS:* actions', () => {
    const text = policy({ Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'cloudwatch.amazonaws.com'] }, Action: ['SNS:*'], Resource: '*' });
    expect(allowsCloudWatchPublish(text, TOPIC)).toBe(true);
  });

  it.each([
    ['the default owner-account policy', defaultTopicPolicy(TOPIC)],
    ['a Deny', policy({ Effect: 'Deny', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC })],
    ['another topic', policy({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: `${TOPIC}-other` })],
    ['only sns:Subscribe', policy({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Subscribe', Resource: TOPIC })],
    ['no policy', undefined],
    ['text that is not JSON', '{not json'],
  ])('refuses %s', (_what, text) => {
    expect(allowsCloudWatchPublish(text, TOPIC)).toBe(false);
  });
});

describe('withCloudWatchPublish and withoutTrailwatchStatement', () => {
  it('adds one statement, keeps every other, and takes it out again exactly', () => {
    // Prepare
    const original = defaultTopicPolicy(TOPIC);
    // Act
    const added = withCloudWatchPublish(original, TOPIC);
    const addedTwice = withCloudWatchPublish(added, TOPIC);
    const removed = withoutTrailwatchStatement(added, TOPIC);
    // Assess
    expect(allowsCloudWatchPublish(added, TOPIC)).toBe(true);
    expect(JSON.parse(addedTwice).Statement).toHaveLength(2);
    expect(JSON.parse(removed!)).toEqual(JSON.parse(original));
    expect(hasTrailwatchStatement(removed)).toBe(false);
  });

  it('scopes the statement to the topic account\'s alarms', () => {
    const statement = JSON.parse(withCloudWatchPublish(undefined, TOPIC)).Statement.at(-1);
    expect(statement.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '123456789012' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:*' },
    });
  });

  it('has nothing to remove from a policy trailwatch never touched', () => {
    expect(withoutTrailwatchStatement(defaultTopicPolicy(TOPIC), TOPIC)).toBeUndefined();
  });

  it('falls back to the default policy when trailwatch\'s statement was the only one', () => {
    const onlyOurs = policy(JSON.parse(withCloudWatchPublish(undefined, TOPIC)).Statement.at(-1));
    expect(JSON.parse(withoutTrailwatchStatement(onlyOurs, TOPIC)!)).toEqual(JSON.parse(defaultTopicPolicy(TOPIC)));
  });
});
