/**
 * The alert topic's policy: does it let CloudWatch alarms publish, and the one statement
 * trailwatch adds (and on rollback removes, by its Sid) when it does not.
 */
import { parseArn } from '../arn';
import { POLICY_STATEMENT_SID } from './naming';

interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: unknown;
}

interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement?: PolicyStatement | PolicyStatement[];
}

const CLOUDWATCH_PRINCIPAL = 'cloudwatch.amazonaws.com';

function parsePolicy(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PolicyDocument) : undefined;
  } catch {
    return undefined;
  }
}

function statementsOf(document: PolicyDocument | undefined): PolicyStatement[] {
  const statement = document?.Statement;
  if (statement === undefined) return [];
  return Array.isArray(statement) ? statement : [statement];
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function namesCloudWatch(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal === null || typeof principal !== 'object') return false;
  const service = (principal as { Service?: unknown }).Service;
  return asList(service).some((name) => typeof name === 'string' && name.toLowerCase() === CLOUDWATCH_PRINCIPAL);
}

function allowsPublishAction(action: PolicyStatement['Action']): boolean {
  return asList(action).some((name) => typeof name === 'string' && ['sns:publish', 'sns:*', '*'].includes(name.toLowerCase()));
}

function coversTopic(resource: PolicyStatement['Resource'], topicArn: string): boolean {
  if (resource === undefined) return true;
  return asList(resource).some((arn) => arn === '*' || arn === topicArn);
}

/**
 * True when an Allow statement names the CloudWatch service principal (or everyone) for sns:Publish
 * on the topic. Conditions are taken as written by someone who meant them to match; an AWS-account
 * principal (the default policy's) is not counted, so trailwatch adds its explicit statement there.
 */
export function allowsCloudWatchPublish(policyText: string | undefined, topicArn: string): boolean {
  return statementsOf(parsePolicy(policyText)).some(
    (s) => s.Effect === 'Allow' && namesCloudWatch(s.Principal) && allowsPublishAction(s.Action) && coversTopic(s.Resource, topicArn),
  );
}

/** The statement trailwatch adds: CloudWatch may publish for this account's alarms in the topic's region only. */
export function cloudWatchPublishStatement(topicArn: string): PolicyStatement {
  const arn = parseArn(topicArn);
  const partition = arn?.partition ?? 'aws';
  const region = arn?.region ?? '*';
  const accountId = arn?.accountId ?? '*';
  return {
    Sid: POLICY_STATEMENT_SID,
    Effect: 'Allow',
    Principal: { Service: CLOUDWATCH_PRINCIPAL },
    Action: 'sns:Publish',
    Resource: topicArn,
    Condition: {
      StringEquals: { 'aws:SourceAccount': accountId },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*` },
    },
  };
}

/** The default policy SNS gives a new topic: the owner account may do everything. */
export function defaultTopicPolicy(topicArn: string): string {
  const accountId = parseArn(topicArn)?.accountId ?? '*';
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  });
}

/** The policy with trailwatch's statement added (replacing an older one of the same Sid); every other statement kept as it was. */
export function withCloudWatchPublish(policyText: string | undefined, topicArn: string): string {
  const document = parsePolicy(policyText) ?? (JSON.parse(defaultTopicPolicy(topicArn)) as PolicyDocument);
  const kept = statementsOf(document).filter((s) => s.Sid !== POLICY_STATEMENT_SID);
  return JSON.stringify({ ...document, Version: document.Version ?? '2012-10-17', Statement: [...kept, cloudWatchPublishStatement(topicArn)] });
}

export function hasTrailwatchStatement(policyText: string | undefined): boolean {
  return statementsOf(parsePolicy(policyText)).some((s) => s.Sid === POLICY_STATEMENT_SID);
}

/**
 * The policy without trailwatch's statement; undefined when it has none (nothing to write). A policy
 * left with no statement at all goes back to the default one, as SNS refuses an empty policy.
 */
export function withoutTrailwatchStatement(policyText: string | undefined, topicArn: string): string | undefined {
  const document = parsePolicy(policyText);
  if (!document || !hasTrailwatchStatement(policyText)) return undefined;
  const kept = statementsOf(document).filter((s) => s.Sid !== POLICY_STATEMENT_SID);
  return kept.length === 0 ? defaultTopicPolicy(topicArn) : JSON.stringify({ ...document, Statement: kept });
}
