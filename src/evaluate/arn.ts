/** ARN parsing, done once and properly (never by indexOf). */

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

/** A CloudWatch Logs log group ARN as trails give it (`...:log-group:NAME:*`) without the trailing `:*`. */
export function logGroupKey(arn: string): string {
  return arn.endsWith(':*') ? arn.slice(0, -2) : arn;
}

/** The log group name of a log group ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]`). */
export function logGroupName(arn: string): string | undefined {
  const parsed = parseArn(logGroupKey(arn));
  if (!parsed || parsed.service !== 'logs' || !parsed.resource.startsWith('log-group:')) return undefined;
  return parsed.resource.slice('log-group:'.length);
}

/** The parsed ARN of an SNS topic, or undefined for any other alarm action (Auto Scaling, Lambda, SSM...). */
export function snsTopicArn(action: string): Arn | undefined {
  const parsed = parseArn(action);
  return parsed && parsed.service === 'sns' && parsed.resource.length > 0 && !parsed.resource.includes(':') ? parsed : undefined;
}

/** The last segment of an ARN: a topic's name, a trail's name. */
export function arnName(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return arn;
  const slash = parsed.resource.lastIndexOf('/');
  return slash >= 0 ? parsed.resource.slice(slash + 1) : parsed.resource;
}
