/**
 * Counter-examples are CloudTrail events: they start from this skeleton (an IAM user's API call),
 * the search sets or removes the fields its decision needs, then a few touch-ups make the event
 * read like the real thing (each kept only if the verdict still holds on the touched event).
 */
import { isPlainObject } from './util';

export function cloudTrailSkeleton(): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEPRINCIPAL',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'alice',
    },
    eventTime: '2024-05-01T12:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'ListUsers',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6',
    requestParameters: null,
    responseElements: null,
    requestID: 'f1f2f3f4-0000-4000-8000-000000000001',
    eventID: 'e1e2e3e4-0000-4000-8000-000000000002',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

/** Realistic values for fields the skeleton does not have, tried first when a field must be set. */
export const FIELD_HINTS: Readonly<Record<string, readonly string[]>> = {
  'additionalEventData.MFAUsed': ['No'],
  'responseElements.ConsoleLogin': ['Success'],
  'userIdentity.invokedBy': ['signin.amazonaws.com'],
  'userIdentity.type': ['Root', 'AssumedRole'],
  errorCode: ['AccessDenied'],
  errorMessage: ['Failed authentication'],
  eventType: ['AwsConsoleSignIn'],
};

const SOURCES: Readonly<Record<string, readonly string[]>> = {
  'iam.amazonaws.com': [
    'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
    'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
    'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy', 'CreateAccessKey', 'GetRole',
  ],
  'cloudtrail.amazonaws.com': ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'],
  'signin.amazonaws.com': ['ConsoleLogin'],
  'kms.amazonaws.com': ['DisableKey', 'ScheduleKeyDeletion'],
  's3.amazonaws.com': [
    'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication',
    'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication',
  ],
  'config.amazonaws.com': ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'],
  'ec2.amazonaws.com': [
    'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress',
    'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules', 'CreateNetworkAcl', 'CreateNetworkAclEntry',
    'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation',
    'CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway',
    'DeleteInternetGateway', 'DetachInternetGateway', 'CreateRoute', 'CreateRouteTable', 'ReplaceRoute',
    'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable', 'CreateVpc', 'DeleteVpc',
    'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection',
    'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink',
  ],
  'organizations.amazonaws.com': [
    'AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'DeclineHandshake', 'DeleteOrganization',
    'DeleteOrganizationalUnit', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization',
    'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit',
  ],
};

const SOURCE_OF_EVENT = new Map(Object.entries(SOURCES).flatMap(([source, names]) => names.map((name) => [name, source] as const)));

/**
 * Edits that make an event read like CloudTrail: each returns an edited copy, or undefined when it
 * does not apply. The search keeps an edit only if the verdict still holds on the edited event.
 */
export const TOUCH_UPS: readonly ((event: Record<string, unknown>) => Record<string, unknown> | undefined)[] = [
  (event) => {
    const source = typeof event.eventName === 'string' ? SOURCE_OF_EVENT.get(event.eventName) : undefined;
    return source && event.eventSource !== source ? { ...event, eventSource: source } : undefined;
  },
  (event) =>
    event.eventName === 'ConsoleLogin' && event.eventType !== 'AwsConsoleSignIn'
      ? { ...event, eventType: 'AwsConsoleSignIn', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)' }
      : undefined,
  (event) => {
    const identity = event.userIdentity;
    if (!isPlainObject(identity) || identity.type !== 'Root' || identity.arn === 'arn:aws:iam::111122223333:root') return undefined;
    const { userName: _userName, ...rest } = identity;
    return { ...event, userIdentity: { ...rest, principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root' } };
  },
];
