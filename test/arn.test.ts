import { arnName, logGroupKey, logGroupName, parseArn, parseLogGroupArn, parseTopicArn, snsTopicArn } from '../src/arn';

describe('Module: arn', () => {
  it('takes an ARN apart by its fields, keeping colons in the resource', () => {
    expect(parseArn('arn:aws:logs:eu-west-1:111111111111:log-group:a:b:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'eu-west-1',
      accountId: '111111111111',
      resource: 'log-group:a:b:*',
    });
    expect(parseArn('not:an:arn')).toBeUndefined();
  });

  it('reads a log group ARN as trails give it, with or without the trailing :*', () => {
    const expected = { partition: 'aws', accountId: '111111111111', region: 'us-east-1', name: 'cloudtrail', arn: 'arn:aws:logs:us-east-1:111111111111:log-group:cloudtrail' };
    expect(parseLogGroupArn('arn:aws:logs:us-east-1:111111111111:log-group:cloudtrail:*')).toEqual(expected);
    expect(parseLogGroupArn(expected.arn)).toEqual(expected);
    expect(logGroupKey(`${expected.arn}:*`)).toBe(expected.arn);
    expect(logGroupName(`${expected.arn}:*`)).toBe('cloudtrail');
    expect(parseLogGroupArn('arn:aws:sns:us-east-1:111111111111:topic')).toBeUndefined();
  });

  it('tells an SNS topic from any other alarm action', () => {
    expect(parseTopicArn('arn:aws:sns:us-east-1:111111111111:alerts')).toEqual({ arn: 'arn:aws:sns:us-east-1:111111111111:alerts', region: 'us-east-1', accountId: '111111111111' });
    expect(snsTopicArn('arn:aws:automate:us-east-1:ec2:stop')).toBeUndefined();
    expect(snsTopicArn('arn:aws:sns:us-east-1:111111111111:alerts:subscription-id')).toBeUndefined();
  });

  it('names a resource by its last segment', () => {
    expect(arnName('arn:aws:cloudtrail:us-east-1:111111111111:trail/main')).toBe('main');
    expect(arnName('arn:aws:sns:us-east-1:111111111111:alerts')).toBe('alerts');
  });
});
