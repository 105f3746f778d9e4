import { createHash } from 'node:crypto';
import { endpointDigest, isSubscriptionTo, redactEndpoint, redactedSubscription } from '../../src/collect/endpoints';

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

describe('redactEndpoint', () => {
  it.each([
    ['https', 'https://hooks.example.com/services/T000/B000/s3cr3t?sig=abc#frag', 'https://hooks.example.com'],
    ['https', 'https://user:pa55word@events.example.com:8443/in?token=abc', 'https://events.example.com:8443'],
    ['http', 'http://10.0.0.1:8080/hook/abc', 'http://10.0.0.1:8080'],
    ['HTTPS', 'HTTPS://Hooks.Example.COM/x', 'https://hooks.example.com'],
    ['https', 'not a url/s3cr3t', '(redacted URL)'],
    ['https', 'ftp://files.example.com/s3cr3t', '(redacted URL)'],
    ['email', 'security.team@example.com', 's***@example.com'],
    ['email-json', 'ops@corp.example.org', 'o***@corp.example.org'],
    ['email', 'no-at-sign', '(redacted address)'],
    ['email', 'élodie@example.fr', 'é***@example.fr'],
    ['sms', '+1 555 555 0167', '***67'],
    ['sqs', 'arn:aws:sqs:us-east-1:111111111111:alerts', 'arn:aws:sqs:us-east-1:111111111111:alerts'],
    ['lambda', 'arn:aws:lambda:us-east-1:111111111111:function:notify', 'arn:aws:lambda:us-east-1:111111111111:function:notify'],
    ['sqs', 'https://sqs.us-east-1.amazonaws.com/111111111111/alerts?x=secret', '(redacted)'],
    ['something-new', 'whatever/secret', '(redacted)'],
  ])('shows %s %s as %s', (protocol, endpoint, shown) => {
    // Act
    const once = redactEndpoint(protocol, endpoint);
    // Assess
    expect(once).toBe(shown);
    expect(redactEndpoint(protocol, once)).toBe(once); // idempotent: a redacted record loads unchanged
  });
});

describe('redactedSubscription', () => {
  it('redacts the endpoint, keeps the other fields and a digest of the whole endpoint', () => {
    // Prepare
    const raw = { subscriptionArn: 'PendingConfirmation', protocol: 'https', endpoint: 'https://hooks.example.com/T0KEN', owner: '111111111111', extra: 1 };
    // Act
    const kept = redactedSubscription(raw);
    // Assess
    expect(kept).toEqual({ ...raw, endpoint: 'https://hooks.example.com', endpointSha256: sha256('https://hooks.example.com/T0KEN') });
    expect(redactedSubscription(kept)).toBe(kept);
  });

  it('leaves an ARN endpoint as it is, with no digest', () => {
    // Prepare
    const raw = { subscriptionArn: 'arn:aws:sns:us-east-1:111111111111:t:1', protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:111111111111:q' };
    // Act & Assess
    expect(redactedSubscription(raw)).toEqual(raw);
  });
});

describe('isSubscriptionTo', () => {
  it('matches a redacted record by the digest of the whole endpoint, not by what is shown', () => {
    // Prepare: two webhooks on one host look alike once redacted.
    const kept = redactedSubscription({ subscriptionArn: 'arn:aws:sns:us-east-1:1:t:1', protocol: 'https', endpoint: 'https://hooks.example.com/team-a/T0KEN' });
    // Act & Assess
    expect(isSubscriptionTo(kept, 'https', 'https://hooks.example.com/team-a/T0KEN')).toBe(true);
    expect(isSubscriptionTo(kept, 'https', 'https://hooks.example.com/team-b/OTHER')).toBe(false);
    expect(isSubscriptionTo(kept, 'email', 'https://hooks.example.com/team-a/T0KEN')).toBe(false);
    expect(endpointDigest('https://hooks.example.com/team-a/T0KEN')).toBe(kept.endpointSha256);
  });

  it('compares an endpoint kept whole directly', () => {
    // Prepare
    const kept = { subscriptionArn: 'arn:aws:sns:us-east-1:1:t:1', protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:111111111111:q' };
    // Act & Assess
    expect(isSubscriptionTo(kept, 'sqs', 'arn:aws:sqs:us-east-1:111111111111:q')).toBe(true);
    expect(isSubscriptionTo(kept, 'sqs', 'arn:aws:sqs:us-east-1:111111111111:other')).toBe(false);
  });
});
