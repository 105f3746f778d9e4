/** ARNs taken apart by their fields, never by searching the text. */

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the fifth colon. */
  readonly resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

/** A log group ARN as CloudTrail gives it ("...:log-group:NAME:*") -> its key (no ':*'), name, region and account. */
export function parseLogGroupArn(text: string): { arn: string; name: string; region: string; accountId: string } | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'logs' || !arn.resource.startsWith('log-group:')) return undefined;
  const name = arn.resource.slice('log-group:'.length).replace(/:\*$/, '');
  if (!name) return undefined;
  return {
    arn: `arn:${arn.partition}:logs:${arn.region}:${arn.accountId}:log-group:${name}`,
    name,
    region: arn.region,
    accountId: arn.accountId,
  };
}

/** An SNS topic ARN's region and account, or undefined for anything else (an EC2 or Lambda action). */
export function parseTopicArn(text: string): { arn: string; region: string; accountId: string } | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'sns' || !arn.resource || arn.resource.includes(':')) return undefined;
  return { arn: text, region: arn.region, accountId: arn.accountId };
}
