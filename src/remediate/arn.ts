/** ARNs taken apart by their fields, never by searching the text. */

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the account field. */
  readonly resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

export interface LogGroupLocation {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  /** Without the ':*' suffix DescribeTrails may give. */
  readonly arn: string;
}

/** A CloudWatch Logs log group ARN (with or without ':*') taken apart. */
export function parseLogGroupArn(arn: string): LogGroupLocation | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'logs' || !parsed.resource.startsWith('log-group:')) return undefined;
  const name = parsed.resource.slice('log-group:'.length).replace(/:\*$/, '');
  if (name === '') return undefined;
  return {
    partition: parsed.partition,
    accountId: parsed.accountId,
    region: parsed.region,
    name,
    arn: `arn:${parsed.partition}:logs:${parsed.region}:${parsed.accountId}:log-group:${name}`,
  };
}

export function topicArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:sns:${region}:${accountId}:${name}`;
}
