/** Checking what a person configures for remediation: the alert topic and who it notifies. */
import { UsageError } from '../errors';
import { parseArn } from '../arn';
import { SUBSCRIPTION_PROTOCOLS, type AlertSubscription, type SubscriptionProtocol } from './types';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

function isProtocol(value: string): value is SubscriptionProtocol {
  return (SUBSCRIPTION_PROTOCOLS as readonly string[]).includes(value);
}

/** Refuses an endpoint its protocol cannot deliver to, naming what was expected. */
export function validateAlertSubscription(subscription: AlertSubscription): AlertSubscription {
  const { protocol, endpoint } = subscription;
  const wrong = (expected: string) => new UsageError(`alert endpoint '${endpoint}' is not ${expected} (protocol ${protocol})`);
  switch (protocol) {
    case 'email':
      if (!EMAIL.test(endpoint)) throw wrong('an email address');
      break;
    case 'https':
      if (!/^https:\/\/[^\s/]+/.test(endpoint)) throw wrong('an https:// URL');
      break;
    case 'sqs':
      if (parseArn(endpoint)?.service !== 'sqs') throw wrong('an SQS queue ARN');
      break;
    case 'lambda':
      if (parseArn(endpoint)?.service !== 'lambda') throw wrong('a Lambda function ARN');
      break;
  }
  return subscription;
}

/**
 * Reads `email:ops@example.com`, `https://hooks.example.com/x`, an SQS queue ARN or a Lambda
 * function ARN; the protocol prefix may be left out where the endpoint says it.
 */
export function parseAlertSubscription(text: string): AlertSubscription {
  const value = text.trim();
  const prefix = /^([a-z]+):(?!\/\/)(.+)$/.exec(value);
  if (prefix && prefix[1] !== 'arn') {
    const [, protocol, endpoint] = prefix as unknown as [string, string, string];
    if (!isProtocol(protocol)) {
      throw new UsageError(`alert endpoint protocol '${protocol}' is not one of ${SUBSCRIPTION_PROTOCOLS.join(', ')}`);
    }
    return validateAlertSubscription({ protocol, endpoint });
  }
  if (value.startsWith('https://')) return validateAlertSubscription({ protocol: 'https', endpoint: value });
  const service = parseArn(value)?.service;
  if (service === 'sqs' || service === 'lambda') return validateAlertSubscription({ protocol: service, endpoint: value });
  if (EMAIL.test(value)) return { protocol: 'email', endpoint: value };
  throw new UsageError(
    `alert endpoint '${text}' is not an email address, an https:// URL, an SQS queue ARN or a Lambda function ARN`,
  );
}

export function validateTopicArn(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sns' || parsed.region === '' || !/^\d{12}$/.test(parsed.accountId) || !TOPIC_NAME.test(parsed.resource)) {
    throw new UsageError(`alert topic '${arn}' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
  }
  return arn;
}

export function validateTopicName(name: string): string {
  if (!TOPIC_NAME.test(name)) {
    throw new UsageError(`topic name '${name}' must be 1-256 letters, digits, '-' or '_'`);
  }
  return name;
}
