/**
 * Filter patterns the demo seeds: the CIS v4.0.0 reference patterns (from the catalogue),
 * equivalent rewrites that text-matching tools reject (whitespace removed, alternatives
 * reordered, quotes changed), and patterns that silently miss an event.
 */
import { CHECK_SLUGS, checkDefinition, controlsFor, type CheckSlug } from '../controls';

/** The metric each check's filter publishes: the catalogue's (what remediation creates too). */
export const DEMO_METRIC_NAMES = Object.fromEntries(CHECK_SLUGS.map((check) => [check, checkDefinition(check).metric.name])) as Record<
  CheckSlug,
  string
>;

/** The event names of the checks that are lists of event names (CIS v4.0.0). */
export const EVENT_NAMES = {
  iam_policy_changes: [
    'DeleteGroupPolicy',
    'DeleteRolePolicy',
    'DeleteUserPolicy',
    'PutGroupPolicy',
    'PutRolePolicy',
    'PutUserPolicy',
    'CreatePolicy',
    'DeletePolicy',
    'CreatePolicyVersion',
    'DeletePolicyVersion',
    'AttachRolePolicy',
    'DetachRolePolicy',
    'AttachUserPolicy',
    'DetachUserPolicy',
    'AttachGroupPolicy',
    'DetachGroupPolicy',
  ],
  cloudtrail_config_changes: ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'],
  cmk_disable_or_scheduled_deletion: ['DisableKey', 'ScheduleKeyDeletion'],
  s3_bucket_policy_changes: [
    'PutBucketAcl',
    'PutBucketPolicy',
    'PutBucketCors',
    'PutBucketLifecycle',
    'PutBucketReplication',
    'DeleteBucketPolicy',
    'DeleteBucketCors',
    'DeleteBucketLifecycle',
    'DeleteBucketReplication',
  ],
  aws_config_changes: ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'],
  security_group_changes: [
    'AuthorizeSecurityGroupIngress',
    'AuthorizeSecurityGroupEgress',
    'RevokeSecurityGroupIngress',
    'RevokeSecurityGroupEgress',
    'CreateSecurityGroup',
    'DeleteSecurityGroup',
  ],
  nacl_changes: [
    'CreateNetworkAcl',
    'CreateNetworkAclEntry',
    'DeleteNetworkAcl',
    'DeleteNetworkAclEntry',
    'ReplaceNetworkAclEntry',
    'ReplaceNetworkAclAssociation',
  ],
  network_gateway_changes: [
    'CreateCustomerGateway',
    'DeleteCustomerGateway',
    'AttachInternetGateway',
    'CreateInternetGateway',
    'DeleteInternetGateway',
    'DetachInternetGateway',
  ],
  route_table_changes: [
    'CreateRoute',
    'CreateRouteTable',
    'ReplaceRoute',
    'ReplaceRouteTableAssociation',
    'DeleteRouteTable',
    'DeleteRoute',
    'DisassociateRouteTable',
  ],
  vpc_changes: [
    'CreateVpc',
    'DeleteVpc',
    'ModifyVpcAttribute',
    'AcceptVpcPeeringConnection',
    'CreateVpcPeeringConnection',
    'DeleteVpcPeeringConnection',
    'RejectVpcPeeringConnection',
    'AttachClassicLinkVpc',
    'DetachClassicLinkVpc',
    'DisableVpcClassicLink',
    'EnableVpcClassicLink',
  ],
  organizations_changes: [
    'AcceptHandshake',
    'AttachPolicy',
    'CreateAccount',
    'CreateOrganizationalUnit',
    'CreatePolicy',
    'DeclineHandshake',
    'DeleteOrganization',
    'DeleteOrganizationalUnit',
    'DeletePolicy',
    'DetachPolicy',
    'DisablePolicyType',
    'EnablePolicyType',
    'InviteAccountToOrganization',
    'LeaveOrganization',
    'MoveAccount',
    'RemoveAccountFromOrganization',
    'UpdatePolicy',
    'UpdateOrganizationalUnit',
  ],
} as const satisfies Partial<Record<CheckSlug, readonly string[]>>;

/** `($.eventName = A) || ($.eventName = B)` in the benchmark's layout. */
function spacedAlternatives(names: readonly string[], quoted = false): string {
  return names.map((n) => `($.eventName = ${quoted ? `"${n}"` : n})`).join(' || ');
}

/** `($.eventName="B")||($.eventName="A")`: reversed, quotes swapped, no whitespace. */
function compactAlternatives(names: readonly string[], quoted: boolean): string {
  return [...names]
    .reverse()
    .map((n) => `($.eventName=${quoted ? `"${n}"` : n})`)
    .join('||');
}

/** CIS AWS Foundations Benchmark v4.0.0, section 4 (4.1-4.15): the catalogue's reference patterns. */
export const REFERENCE_PATTERNS_V4 = Object.fromEntries(
  controlsFor('cis-aws-v4.0.0').map((control) => [control.check, control.referencePattern]),
) as Record<CheckSlug, string>;

/**
 * The same events as the reference patterns, written differently: whitespace removed,
 * alternatives and conjuncts reordered, quotes added or dropped, parentheses changed. A tool
 * that compares text fails every one of them; a tool that compares what they match passes them.
 */
export const REFORMATTED_PATTERNS_V4: Record<CheckSlug, string> = {
  // A || (B && C && D), with the two sides swapped; && binds tighter, so no parentheses needed.
  unauthorized_api_calls:
    '{$.errorCode="AccessDenied*"&&$.eventName!=HeadBucket&&$.sourceIPAddress!="delivery.logs.amazonaws.com"||$.errorCode="*UnauthorizedOperation"}',
  console_signin_without_mfa: '{$.additionalEventData.MFAUsed!="Yes"&&$.eventName=ConsoleLogin}',
  root_usage: '{($.eventType!="AwsServiceEvent")&&($.userIdentity.invokedBy NOT EXISTS)&&($.userIdentity.type=Root)}',
  iam_policy_changes: `{${compactAlternatives(EVENT_NAMES.iam_policy_changes, true)}}`,
  cloudtrail_config_changes: `{${[...EVENT_NAMES.cloudtrail_config_changes]
    .reverse()
    .map((n) => `$.eventName="${n}"`)
    .join('||')}}`,
  console_auth_failures: '{($.errorMessage="Failed authentication")&&($.eventName="ConsoleLogin")}',
  cmk_disable_or_scheduled_deletion: '{(($.eventName="ScheduleKeyDeletion")||($.eventName="DisableKey"))&&($.eventSource="kms.amazonaws.com")}',
  s3_bucket_policy_changes: `{(${compactAlternatives(EVENT_NAMES.s3_bucket_policy_changes, false)})&&($.eventSource="s3.amazonaws.com")}`,
  aws_config_changes: `{(${compactAlternatives(EVENT_NAMES.aws_config_changes, true)})&&($.eventSource="config.amazonaws.com")}`,
  security_group_changes: `{${compactAlternatives(EVENT_NAMES.security_group_changes, true)}}`,
  nacl_changes: `{${compactAlternatives(EVENT_NAMES.nacl_changes, true)}}`,
  network_gateway_changes: `{${compactAlternatives(EVENT_NAMES.network_gateway_changes, true)}}`,
  route_table_changes: `{${compactAlternatives(EVENT_NAMES.route_table_changes, true)}}`,
  vpc_changes: `{${compactAlternatives(EVENT_NAMES.vpc_changes, true)}}`,
  organizations_changes: `{(${compactAlternatives(EVENT_NAMES.organizations_changes, false)})&&$.eventSource="organizations.amazonaws.com"}`,
};

/** The reference pattern of a list-of-event-names check without some of its events: looks complete, silently misses them. */
export function patternMissing(check: keyof typeof EVENT_NAMES, missing: readonly string[]): string {
  const names = EVENT_NAMES[check].filter((n) => !missing.includes(n));
  const alternatives = spacedAlternatives(names);
  switch (check) {
    case 'cmk_disable_or_scheduled_deletion':
      return `{ ($.eventSource = kms.amazonaws.com) && (${alternatives}) }`;
    case 's3_bucket_policy_changes':
      return `{ ($.eventSource = s3.amazonaws.com) && (${alternatives}) }`;
    case 'aws_config_changes':
      return `{ ($.eventSource = config.amazonaws.com) && (${alternatives}) }`;
    case 'organizations_changes':
      return `{ ($.eventSource = organizations.amazonaws.com) && (${alternatives}) }`;
    default:
      return `{ ${alternatives} }`;
  }
}
