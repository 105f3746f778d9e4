import { UsageError } from '../../src/errors';
import { parseAlertSubscription, validateTopicArn } from '../../src/remediate';

describe('parseAlertSubscription', () => {
  it.each([
    ['ops@example.com', { protocol: 'email', endpoint: 'ops@example.com' }],
    ['email:ops@example.com', { protocol: 'email', endpoint: 'ops@example.com' }],
    ['https://hooks.example.com/alerts', { protocol: 'https', endpoint: 'https://hooks.example.com/alerts' }],
    ['arn:aws:sqs:us-east-1:123456789012:alerts', { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:alerts' }],
    ['lambda:arn:aws:lambda:us-east-1:123456789012:function:page', { protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:page' }],
  ])('reads %s', (text, expected) => {
    expect(parseAlertSubscription(text)).toEqual(expected);
  });

  it.each(['sms:+15555550100', 'http://insecure.example.com', 'email:not-an-address', 'sqs:arn:aws:sns:us-east-1:123456789012:x', 'nobody'])(
    'refuses %s with a usage error',
    (text) => {
      expect(() => parseAlertSubscription(text)).toThrow(UsageError);
    },
  );
});

describe('validateTopicArn', () => {
  it('accepts an SNS topic ARN', () => {
    expect(validateTopicArn('arn:aws:sns:eu-west-1:123456789012:security')).toBe('arn:aws:sns:eu-west-1:123456789012:security');
  });
  it.each(['security', 'arn:aws:sqs:eu-west-1:123456789012:security', 'arn:aws:sns:eu-west-1:12345:security'])('refuses %s', (arn) => {
    expect(() => validateTopicArn(arn)).toThrow(UsageError);
  });
});
