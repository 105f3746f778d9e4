/**
 * Subscription endpoints carry secrets: an https URL often holds a token, an email address or a
 * phone number is personal. They are redacted once, where they enter trailwatch (read from SNS
 * or loaded from an inventory file), so no finding, report format, email, log line or remediation
 * text can quote them whole:
 *
 * - http / https: the scheme and host (`https://hooks.example.com`), no user, path or query;
 * - email / email-json: the first letter and the domain (`s***@example.com`);
 * - sms: the last two digits (`***67`);
 * - ARNs (sqs, lambda, firehose, application): kept; they name resources, not secrets, and
 *   judging whether the chain delivers needs them;
 * - anything else: `(redacted)`.
 *
 * Redaction is idempotent. Where it changed the endpoint, the record keeps a SHA-256 digest of
 * the original, so trailwatch can still tell whether a given endpoint is subscribed.
 */
import { createHash } from 'node:crypto';
import { parseArn } from '../arn';
import type { SubscriptionRecord } from './inventory';

const ARN_PROTOCOLS = new Set(['sqs', 'lambda', 'firehose', 'application']);

function redactUrl(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.protocol === 'https:' || url.protocol === 'http:') return `${url.protocol}//${url.host}`;
  } catch {
    // not a URL: nothing of it is shown
  }
  return '(redacted URL)';
}

function redactEmail(endpoint: string): string {
  const at = endpoint.lastIndexOf('@');
  if (at <= 0) return '(redacted address)';
  const first = Array.from(endpoint)[0] ?? '';
  return `${first}***@${endpoint.slice(at + 1)}`;
}

function redactPhone(endpoint: string): string {
  const digits = endpoint.replace(/\D/g, '');
  return `***${digits.slice(-2)}`;
}

/** What of a subscription endpoint may be shown; see the module comment. */
export function redactEndpoint(protocol: string, endpoint: string): string {
  switch (protocol.toLowerCase()) {
    case 'http':
    case 'https':
      return redactUrl(endpoint);
    case 'email':
    case 'email-json':
      return redactEmail(endpoint);
    case 'sms':
      return redactPhone(endpoint);
    default:
      return ARN_PROTOCOLS.has(protocol.toLowerCase()) && parseArn(endpoint) ? endpoint : '(redacted)';
  }
}

/** `sha256:<hex>` of an endpoint as SNS holds it. */
export function endpointDigest(endpoint: string): string {
  return `sha256:${createHash('sha256').update(endpoint, 'utf8').digest('hex')}`;
}

/**
 * A subscription as trailwatch keeps it: endpoint redacted, with the digest of the original when
 * redaction changed it (a record already redacted keeps the digest it has). Other fields stay.
 */
export function redactedSubscription<T extends SubscriptionRecord>(subscription: T): T & Pick<SubscriptionRecord, 'endpointSha256'> {
  const endpoint = redactEndpoint(subscription.protocol, subscription.endpoint);
  if (endpoint === subscription.endpoint) return subscription;
  return { ...subscription, endpoint, endpointSha256: endpointDigest(subscription.endpoint) };
}

/** True when the kept subscription is this protocol and endpoint (compared by digest where it was redacted). */
export function isSubscriptionTo(subscription: SubscriptionRecord, protocol: string, endpoint: string): boolean {
  if (subscription.protocol !== protocol) return false;
  return subscription.endpointSha256 !== undefined ? subscription.endpointSha256 === endpointDigest(endpoint) : subscription.endpoint === endpoint;
}
