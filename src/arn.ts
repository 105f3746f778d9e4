/**
 * ARNs taken apart by their fields, never by searching the text. Pure; shared by collect,
 * evaluate and remediate so every layer reads an ARN the same way.
 */

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the account field. */
  readonly resource: string;
}

export function parseArn(text: string): Arn | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', accountId = ''] = parts;
  return { partition, service, region, accountId, resource: parts.slice(5).join(':') };
}

export interface LogGroupLocation {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  /** Without the ':*' suffix DescribeTrails may give: the log group's key. */
  readonly arn: string;
}

/** A CloudWatch Logs log group ARN as trails give it (`...:log-group:NAME:*`), with or without the ':*'. */
export function parseLogGroupArn(text: string): LogGroupLocation | undefined {
  const parsed = parseArn(text);
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

/** A log group ARN without the trailing `:*` trails add. */
export function logGroupKey(arn: string): string {
  return arn.endsWith(':*') ? arn.slice(0, -2) : arn;
}

/** The log group name of a log group ARN (`arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*]`). */
export function logGroupName(arn: string): string | undefined {
  return parseLogGroupArn(arn)?.name;
}

/** The parsed ARN of an SNS topic, or undefined for any other alarm action (Auto Scaling, Lambda, SSM...). */
export function snsTopicArn(text: string): Arn | undefined {
  const parsed = parseArn(text);
  return parsed && parsed.service === 'sns' && parsed.resource.length > 0 && !parsed.resource.includes(':') ? parsed : undefined;
}

/** An SNS topic ARN with its region and account, or undefined for anything else. */
export function parseTopicArn(text: string): { arn: string; region: string; accountId: string } | undefined {
  const topic = snsTopicArn(text);
  return topic ? { arn: text, region: topic.region, accountId: topic.accountId } : undefined;
}

export function topicArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:sns:${region}:${accountId}:${name}`;
}

/** The last segment of an ARN: a topic's name, a trail's name. */
export function arnName(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return arn;
  const slash = parsed.resource.lastIndexOf('/');
  return slash >= 0 ? parsed.resource.slice(slash + 1) : parsed.resource;
}

/**
 * A KMS key as an ARN, whichever way it was given (`KmsMasterKeyId` takes a key ID, a key ARN,
 * an alias name or an alias ARN): IDs and alias names belong to the account and region of the
 * resource that names them. Undefined for text that is none of these.
 */
export function kmsKeyArn(keyId: string, ownerArn: string): string | undefined {
  if (keyId.startsWith('arn:')) {
    const key = parseArn(keyId);
    return key?.service === 'kms' && /^(key|alias)\/./.test(key.resource) ? keyId : undefined;
  }
  const owner = parseArn(ownerArn);
  if (!owner || !/^(alias\/)?[\w/:+=,.@-]+$/.test(keyId)) return undefined;
  const resource = keyId.startsWith('alias/') ? keyId : `key/${keyId}`;
  return `arn:${owner.partition}:kms:${owner.region}:${owner.accountId}:${resource}`;
}

/** The URL of an SQS queue from its ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME`), as AWS writes it. */
export function sqsQueueUrl(queueArn: string): string {
  const queue = parseArn(queueArn);
  if (!queue) return queueArn;
  const domain = queue.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${queue.region}.${domain}/${queue.accountId}/${queue.resource}`;
}
