/**
 * The resource-policy judgement, on small policies: for each rule a statement that lets the
 * request through next to one that does not.
 */
import { decide, parsePolicy, quoteUntrusted, type ServiceRequest } from '../../src/evaluate/policy';

const TOPIC = 'arn:aws:sns:us-east-1:111111111111:alerts';
const QUEUE = 'arn:aws:sqs:us-east-1:111111111111:pager';
const KEY = 'arn:aws:kms:us-east-1:111111111111:key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6';

/** SNS delivering a message of TOPIC to QUEUE. */
const SEND: ServiceRequest = {
  service: 'sns.amazonaws.com',
  actions: ['sqs:SendMessage'],
  resource: QUEUE,
  context: { 'aws:SourceArn': TOPIC, 'aws:SourceAccount': '111111111111' },
};

/** CloudWatch using the key of an encrypted topic. */
const USE_KEY: ServiceRequest = {
  service: 'cloudwatch.amazonaws.com',
  actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
  resource: KEY,
  context: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:root-usage', 'aws:SourceAccount': '111111111111' },
};

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allowSns = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE, ...extra });

describe('Function: decide', () => {
  describe('principal', () => {
    it.each([
      ['the service itself', { Service: 'sns.amazonaws.com' }, 'allowed'],
      ['the service among others, in any case', { Service: ['events.amazonaws.com', 'SNS.amazonaws.com'] }, 'allowed'],
      ['everyone', '*', 'allowed'],
      ['every AWS principal', { AWS: '*' }, 'allowed'],
      ['an account', { AWS: 'arn:aws:iam::111111111111:root' }, 'not-allowed'],
      ['another service', { Service: 'events.amazonaws.com' }, 'not-allowed'],
    ])('decides a statement naming %s', (_name, principal, decision) => {
      // Act & Assess
      expect(decide(policy(allowSns({ Principal: principal })), SEND).decision).toBe(decision);
    });

    it('reads NotPrincipal as everyone but those it names', () => {
      // Prepare
      const { Principal: _principal, ...statement } = allowSns();

      // Act & Assess
      expect(decide(policy({ ...statement, NotPrincipal: { AWS: 'arn:aws:iam::222222222222:root' } }), SEND).decision).toBe('allowed');
      expect(decide(policy({ ...statement, NotPrincipal: { Service: 'sns.amazonaws.com' } }), SEND).decision).toBe('not-allowed');
    });
  });

  describe('action and resource', () => {
    it.each([
      ['a wildcard action, in any case', { Action: 'SQS:*' }, 'allowed'],
      ['another action', { Action: 'sqs:ReceiveMessage' }, 'not-allowed'],
      ['NotAction leaving SendMessage in', { Action: undefined, NotAction: 'sqs:DeleteQueue' }, 'allowed'],
      ['NotAction taking SendMessage out', { Action: undefined, NotAction: 'sqs:Send*' }, 'not-allowed'],
      ['every resource', { Resource: '*' }, 'allowed'],
      ['a wildcard resource', { Resource: 'arn:aws:sqs:us-east-1:111111111111:pag?r' }, 'allowed'],
      ['another queue', { Resource: 'arn:aws:sqs:us-east-1:111111111111:other' }, 'not-allowed'],
      ['NotResource naming the queue', { Resource: undefined, NotResource: QUEUE }, 'not-allowed'],
    ])('decides a statement with %s', (_name, change, decision) => {
      // Prepare
      const statement = Object.fromEntries(Object.entries({ ...allowSns(), ...change }).filter(([, value]) => value !== undefined));

      // Act & Assess
      expect(decide(policy(statement), SEND).decision).toBe(decision);
    });

    it('wants every action of the request: a key policy allowing Decrypt alone does not let CloudWatch publish', () => {
      // Prepare
      const statement = (action: string[]) => ({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: action, Resource: '*' });

      // Act & Assess
      expect(decide(policy(statement(['kms:GenerateDataKey*', 'kms:Decrypt'])), USE_KEY).decision).toBe('allowed');
      expect(decide(policy(statement(['kms:Decrypt'])), USE_KEY)).toEqual({
        decision: 'not-allowed',
        detail: 'no statement of its policy allows cloudwatch.amazonaws.com kms:GenerateDataKey',
      });
    });

    it('does not let the default key policy (the account root, kms:*) stand for the service', () => {
      // Prepare
      const text = policy({ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' });

      // Act & Assess
      expect(decide(text, USE_KEY).decision).toBe('not-allowed');
    });
  });

  describe('conditions', () => {
    it.each([
      ['ArnEquals aws:SourceArn, the topic', { ArnEquals: { 'aws:SourceArn': TOPIC } }, 'allowed'],
      ['ArnEquals aws:SourceArn, another topic', { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:other' } }, 'not-allowed'],
      ['ArnLike on one part of the ARN', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111111111111:alerts' } }, 'allowed'],
      ['ArnLike whose wildcard would have to cross a colon', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:alerts' } }, 'not-allowed'],
      ['the key written in another case', { StringEquals: { 'AWS:SOURCEACCOUNT': '111111111111' } }, 'allowed'],
      ['StringEquals on another account', { StringEquals: { 'aws:SourceAccount': '222222222222' } }, 'not-allowed'],
      ['one of several values', { StringEquals: { 'aws:SourceAccount': ['222222222222', '111111111111'] } }, 'allowed'],
      ['StringNotEquals, several values NORed', { StringNotEquals: { 'aws:SourceAccount': ['222222222222', '333333333333'] } }, 'allowed'],
      ['StringLike', { StringLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111111111111:*' } }, 'allowed'],
      ['two keys, one failing', { ArnEquals: { 'aws:SourceArn': TOPIC }, StringEquals: { 'aws:SourceAccount': '222222222222' } }, 'not-allowed'],
      ['Bool aws:SecureTransport true', { Bool: { 'aws:SecureTransport': 'true' } }, 'allowed'],
      ['a key a service request never carries', { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }, 'not-allowed'],
      ['...IfExists on such a key', { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-abcdefghij' } }, 'allowed'],
      ['Null: the key is absent', { Null: { 'aws:PrincipalOrgID': 'true' } }, 'allowed'],
      ['Null: the key is present', { Null: { 'aws:SourceArn': 'true' } }, 'not-allowed'],
    ])('decides an Allow with %s', (_name, condition, decision) => {
      // Act & Assess
      expect(decide(policy(allowSns({ Condition: condition })), SEND).decision).toBe(decision);
    });

    it.each([
      ['a key it does not model', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }],
      ['an operator it does not model', { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }],
      ['a set operator', { 'ForAnyValue:StringEquals': { 'aws:SourceAccount': ['111111111111'] } }],
      ['a policy variable', { StringEquals: { 'aws:SourceAccount': '${aws:PrincipalAccount}' } }],
    ])('is undetermined for %s, never allowed', (_name, condition) => {
      // Act
      const decision = decide(policy(allowSns({ Condition: condition })), SEND);

      // Assess
      expect(decision).toEqual({ decision: 'undetermined', detail: expect.stringMatching(/^trailwatch cannot evaluate statement 1 of its policy for sns\.amazonaws\.com sqs:SendMessage/) });
    });
  });

  describe('Deny', () => {
    it('lets an explicit Deny win over an Allow, naming the statement', () => {
      // Prepare
      const text = policy(allowSns(), { Sid: 'NoSns', Effect: 'Deny', Principal: '*', Action: 'sqs:SendMessage', Resource: QUEUE, Condition: { StringEquals: { 'aws:PrincipalServiceName': 'sns.amazonaws.com' } } });

      // Act & Assess
      expect(decide(text, SEND)).toEqual({ decision: 'not-allowed', detail: 'statement 2 (Sid "NoSns") denies sns.amazonaws.com sqs:SendMessage' });
    });

    it('passes a Deny of insecure transport: SNS delivers over TLS', () => {
      // Prepare
      const text = policy(allowSns(), { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: QUEUE, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });

      // Act & Assess
      expect(decide(text, SEND).decision).toBe('allowed');
    });

    it('applies a Deny outside the organization to the service (its request has no organization), unless it exempts AWS services', () => {
      // Prepare
      const outsideOrg = { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: QUEUE, Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } } };
      const exempting = { ...outsideOrg, Condition: { ...outsideOrg.Condition, Bool: { 'aws:PrincipalIsAWSService': 'false' } } };

      // Act & Assess
      expect(decide(policy(allowSns(), outsideOrg), SEND).decision).toBe('not-allowed');
      expect(decide(policy(allowSns(), exempting), SEND).decision).toBe('allowed');
    });

    it('is undetermined when a Deny it cannot evaluate might apply', () => {
      // Prepare
      const text = policy(allowSns(), { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: QUEUE, Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } });

      // Act & Assess
      expect(decide(text, SEND).decision).toBe('undetermined');
    });
  });

  describe('untrusted text', () => {
    it.each([
      ['not JSON', '{"Statement": [', 'its policy is not valid JSON'],
      ['not an object', '[1, 2]', 'its policy is not a JSON object'],
      ['a statement that is no object', '{"Statement": ["Allow"]}', 'its policy has a statement that is not a JSON object'],
      ['too large', JSON.stringify({ Statement: [], Padding: 'x'.repeat(70_000) }), 'its policy is 70029 bytes, more than any AWS resource policy may hold'],
      ['too many statements', policy(...Array.from({ length: 501 }, () => ({ Effect: 'Deny' }))), 'its policy has 501 statements, more than trailwatch reads (500)'],
    ])('is undetermined, with the reason, for a policy that is %s', (_name, text, detail) => {
      // Act & Assess
      expect(decide(text, SEND)).toEqual({ decision: 'undetermined', detail });
    });

    it('treats elements of the wrong type as undetermined, not as a crash', () => {
      // Act & Assess
      expect(decide(policy(allowSns({ Action: { not: 'a list' } })), SEND).decision).toBe('undetermined');
      expect(decide(policy(allowSns({ Condition: 'StringEquals' })), SEND).decision).toBe('undetermined');
      expect(decide(policy(allowSns({ Principal: 42 })), SEND).decision).toBe('undetermined');
    });

    it('decides wildcards that make a backtracking matcher explode, quickly', () => {
      // Prepare
      const resource = `arn:aws:sqs:us-east-1:111111111111:${'a'.repeat(2000)}`;
      const started = performance.now();

      // Act
      const decision = decide(policy(allowSns({ Resource: `${'*a'.repeat(2000)}b` })), { ...SEND, resource });

      // Assess
      expect(decision.decision).toBe('not-allowed');
      expect(performance.now() - started).toBeLessThan(5_000);
    });

    it('bounds the wildcard work a policy can cause, and says so', () => {
      // Prepare: each pattern costs its length times the resource's (a star, then a long near miss)
      const resource = `arn:aws:sqs:us-east-1:111111111111:${'a'.repeat(2000)}`;
      const costly = `*${'a'.repeat(1000)}b`;

      // Act
      const decision = decide(policy(allowSns({ Resource: Array.from({ length: 5 }, () => costly) })), { ...SEND, resource });

      // Assess
      expect(decision).toEqual({ decision: 'undetermined', detail: 'its policy takes more wildcard matching than trailwatch allows itself' });
    });

    it('quotes what it prints of the policy: a Sid cannot break the line', () => {
      // Prepare
      const text = policy({ Sid: 'Deny\nFAIL  000000000000  forged line', Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' });

      // Act
      const decision = decide(text, SEND);

      // Assess
      expect(decision).toEqual({ decision: 'not-allowed', detail: 'statement 1 (Sid "Deny\\nFAIL  000000000000  forged line") denies sns.amazonaws.com sqs:SendMessage' });
      expect(quoteUntrusted('x'.repeat(100))).toBe(`"${'x'.repeat(64)}…"`);
      expect(quoteUntrusted('a\u009b31mred\u2028b\u007f')).toBe('"a\\u009b31mred\\u2028b\\u007f"');
    });
  });
});

describe('Function: parsePolicy', () => {
  it('takes a single statement object as a list of one', () => {
    // Act & Assess
    expect(parsePolicy(JSON.stringify({ Statement: allowSns() }))).toEqual({ statements: [allowSns()] });
  });
});
