/**
 * What CloudTrail really writes, as the checks rely on it: each check's subject (the events it is
 * about) and a few routine events every busy account logs. Pure data and text; the pattern engine
 * decides with it (src/evaluate/control-coverage.ts).
 *
 * A check's events come from its own service(s) (`eventSources` in its record), with one eventType
 * and, where a reference constrains it, one of the userIdentity.type values CloudTrail writes. A
 * filter is then asked to catch every event of `reference AND subject`: a filter that adds the
 * check's true `$.eventSource` passes, and a counter-example is always an event CloudTrail can emit.
 *
 * Sources. eventType and userIdentity.type values: the AWS CloudTrail User Guide ("CloudTrail record
 * contents", "CloudTrail userIdentity element", "Non-API events captured by CloudTrail"). Event
 * names shared with other services: the AWS service models (botocore 1.x `data/<service>/<version>/
 * service-2.json`: the operation names, and `metadata.endpointPrefix`, which CloudTrail writes as
 * the eventSource `<prefix>.amazonaws.com`), compared with every event name of every reference.
 */
import type { BenchmarkControl, CheckSlug } from './types';

/** Every CloudTrail eventType value. */
export const EVENT_TYPES = ['AwsApiCall', 'AwsServiceEvent', 'AwsConsoleAction', 'AwsConsoleSignIn', 'AwsCloudTrailInsight', 'AwsVpceEvent'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Every CloudTrail userIdentity.type value (SAMLUser and WebIdentityUser: AssumeRoleWithSAML / WithWebIdentity). */
export const USER_IDENTITY_TYPES = [
  'Root',
  'IAMUser',
  'AssumedRole',
  'Role',
  'FederatedUser',
  'Directory',
  'AWSAccount',
  'AWSService',
  'IdentityCenterUser',
  'Unknown',
  'SAMLUser',
  'WebIdentityUser',
] as const;
export type UserIdentityType = (typeof USER_IDENTITY_TYPES)[number];

/** What a check's events are, besides what its reference and event sources (in its record) say. */
export interface CloudTrailSubject {
  /** The eventType of every event of the check; absent when any may be. */
  readonly eventTypes?: readonly EventType[];
  /** The userIdentity.type of every event of the check; absent where some of its events may lack one. */
  readonly userIdentityTypes?: readonly UserIdentityType[];
}

/** API calls of the check's service: management changes are always AwsApiCall. */
const API_CALLS: CloudTrailSubject = { eventTypes: ['AwsApiCall'] };
/** ConsoleLogin is a sign-in event, by a caller of a known type (the SSO variant of the MFA check names one). */
const SIGN_IN: CloudTrailSubject = { eventTypes: ['AwsConsoleSignIn'], userIdentityTypes: USER_IDENTITY_TYPES };

export const CLOUDTRAIL_SUBJECTS: Readonly<Record<CheckSlug, CloudTrailSubject>> = {
  // Any service's calls, of any kind: no fact beyond the reference.
  unauthorized_api_calls: {},
  console_signin_without_mfa: SIGN_IN,
  // The reference excludes AwsServiceEvent: the event types CloudTrail writes besides it are the ones it means.
  root_usage: { eventTypes: EVENT_TYPES },
  iam_policy_changes: API_CALLS,
  cloudtrail_config_changes: API_CALLS,
  console_auth_failures: SIGN_IN,
  cmk_disable_or_scheduled_deletion: API_CALLS,
  s3_bucket_policy_changes: API_CALLS,
  aws_config_changes: API_CALLS,
  security_group_changes: API_CALLS,
  nacl_changes: API_CALLS,
  network_gateway_changes: API_CALLS,
  route_table_changes: API_CALLS,
  vpc_changes: API_CALLS,
  organizations_changes: API_CALLS,
};

/**
 * Reference event names other services emit too, with those services' CloudTrail event sources:
 * their events are not the check's subject (an IoT policy is not an IAM policy change).
 */
export const SHARED_EVENT_NAMES: Readonly<Record<string, readonly string[]>> = {
  CreatePolicy: ['organizations.amazonaws.com', 'iot.amazonaws.com', 'verifiedpermissions.amazonaws.com', 'bedrock-agentcore-control.amazonaws.com'],
  DeletePolicy: [
    'organizations.amazonaws.com',
    'iot.amazonaws.com',
    'verifiedpermissions.amazonaws.com',
    'bedrock-agentcore-control.amazonaws.com',
    'autoscaling.amazonaws.com',
    'fms.amazonaws.com',
    'acm-pca.amazonaws.com',
    'mediaconvert.amazonaws.com',
  ],
  CreatePolicyVersion: ['iot.amazonaws.com'],
  DeletePolicyVersion: ['iot.amazonaws.com'],
  AttachPolicy: ['iot.amazonaws.com', 'clouddirectory.amazonaws.com'],
  DetachPolicy: ['iot.amazonaws.com', 'clouddirectory.amazonaws.com'],
  UpdatePolicy: ['verifiedpermissions.amazonaws.com', 'bedrock-agentcore-control.amazonaws.com'],
  CreateAccount: ['chime.amazonaws.com'],
  DeleteOrganization: ['workmail.amazonaws.com'],
  CreateRoute: ['appmesh.amazonaws.com', 'refactor-spaces.amazonaws.com', 'apigateway.amazonaws.com'],
  DeleteRoute: ['appmesh.amazonaws.com', 'refactor-spaces.amazonaws.com', 'apigateway.amazonaws.com'],
  CreateVpcPeeringConnection: ['gamelift.amazonaws.com'],
  DeleteVpcPeeringConnection: ['gamelift.amazonaws.com'],
};

function quoted(value: string): string {
  return `"${value}"`;
}

function anyOf(selector: string, values: readonly string[]): string {
  return `(${values.map((value) => `${selector} = ${quoted(value)}`).join(' || ')})`;
}

/**
 * The check's subject as the body of a JSON filter pattern ('' when it adds nothing): its event
 * sources (unless any service's), event types and userIdentity types. Catalogue values only.
 */
export function subjectCondition(control: BenchmarkControl): string {
  const subject = CLOUDTRAIL_SUBJECTS[control.check];
  const sources = control.definition.eventSources;
  return [
    ...(sources === 'any' ? [] : [anyOf('$.eventSource', sources)]),
    ...(subject.eventTypes ? [anyOf('$.eventType', subject.eventTypes)] : []),
    ...(subject.userIdentityTypes ? [anyOf('$.userIdentity.type', subject.userIdentityTypes)] : []),
  ].join(' && ');
}

/**
 * A reference narrowed to the check's subject: `{ (reference) && subject }`. References are the
 * catalogue's JSON patterns (`{ ... }`); the result is text the engine parses.
 */
export function inScope(reference: string, control: BenchmarkControl): string {
  const text = reference.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw new Error(`${control.check}: reference is not a JSON pattern: ${reference}`);
  const subject = subjectCondition(control);
  return subject === '' ? text : `{ (${text.slice(1, -1).trim()}) && ${subject} }`;
}

/**
 * Why a filter narrower than the reference's text still catches the check's events: "only
 * ec2.amazonaws.com AwsApiCall events are in scope of 4.13 (route table changes); CreateRoute and
 * DeleteRoute are also names of other services' events (appmesh.amazonaws.com, ...)". `names`: the
 * reference's event names.
 */
export function scopeSentence(control: BenchmarkControl, names: readonly string[]): string {
  const subject = CLOUDTRAIL_SUBJECTS[control.check];
  const sources = control.definition.eventSources;
  const what = [
    ...(sources === 'any' ? [] : [sources.join(' or ')]),
    ...(subject.eventTypes ? [subject.eventTypes.join(' or ')] : []),
  ].join(' ');
  const who = subject.userIdentityTypes ? ' by a known userIdentity.type' : '';
  const shared = names.filter((name) => SHARED_EVENT_NAMES[name] !== undefined);
  const others = [...new Set(shared.flatMap((name) => SHARED_EVENT_NAMES[name] ?? []))];
  const named = others.length > SERVICES_NAMED ? [...others.slice(0, SERVICES_NAMED), `${others.length - SERVICES_NAMED} more`] : others;
  const also = shared.length > 0 ? `; ${andList(shared)} ${shared.length > 1 ? 'are' : 'is'} also emitted by ${andList(named)}, not its subject` : '';
  return `only ${what} events${who} are in scope of ${control.control} (${control.definition.subject})${also}`;
}

/** Other services named in a scope sentence before "and N more". */
const SERVICES_NAMED = 3;

function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
