/**
 * Routine CloudTrail events: read-only calls, services assuming their roles, a sign-in with MFA.
 * Every busy account logs such events all day, so a filter that matches one keeps its alarm in
 * ALARM, and an alarm notifies only when its state changes: the check's own events then never
 * notify. Concrete sample events (shaped like the CloudTrail User Guide's examples), so the pattern
 * engine's matcher decides, as for any event.
 */

export interface RoutineEvent {
  /** How a warning names it: "ec2.amazonaws.com DescribeInstances by an IAM user". */
  readonly label: string;
  readonly event: Readonly<Record<string, unknown>>;
}

const ACCOUNT = '111122223333';

function apiCall(
  eventSource: string,
  eventName: string,
  userIdentity: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity,
    eventTime: '2024-05-01T12:00:00Z',
    eventSource,
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6',
    requestParameters: null,
    responseElements: null,
    requestID: 'f1f2f3f4-0000-4000-8000-000000000101',
    eventID: 'e1e2e3e4-0000-4000-8000-000000000102',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...extra,
  };
}

const IAM_USER = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLEPRINCIPAL',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  userName: 'alice',
};

const ASSUMED_ROLE = {
  type: 'AssumedRole',
  principalId: 'AROAEXAMPLEROLEID:deploy',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/deploy`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIAEXAMPLEACCESSKEY',
  sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEROLEID', arn: `arn:aws:iam::${ACCOUNT}:role/deploy`, accountId: ACCOUNT, userName: 'deploy' },
    attributes: { creationDate: '2024-05-01T11:00:00Z', mfaAuthenticated: 'false' },
  },
};

export const ROUTINE_EVENTS: readonly RoutineEvent[] = [
  { label: 'ec2.amazonaws.com DescribeInstances by an IAM user', event: apiCall('ec2.amazonaws.com', 'DescribeInstances', IAM_USER) },
  { label: 's3.amazonaws.com ListBuckets by an assumed role', event: apiCall('s3.amazonaws.com', 'ListBuckets', ASSUMED_ROLE) },
  { label: 'iam.amazonaws.com GetRole by an assumed role', event: apiCall('iam.amazonaws.com', 'GetRole', ASSUMED_ROLE) },
  {
    label: 'sts.amazonaws.com AssumeRole by lambda.amazonaws.com',
    event: apiCall(
      'sts.amazonaws.com',
      'AssumeRole',
      { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
      { sourceIPAddress: 'lambda.amazonaws.com', userAgent: 'lambda.amazonaws.com', readOnly: true, sharedEventID: 'a1b2c3d4-0000-4000-8000-000000000103' },
    ),
  },
  {
    label: 'kms.amazonaws.com Decrypt by an assumed role',
    event: apiCall('kms.amazonaws.com', 'Decrypt', ASSUMED_ROLE, { requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } }),
  },
  { label: 'logs.amazonaws.com DescribeLogGroups by an IAM user', event: apiCall('logs.amazonaws.com', 'DescribeLogGroups', IAM_USER) },
  {
    label: 'signin.amazonaws.com ConsoleLogin with MFA by an IAM user',
    event: {
      eventVersion: '1.09',
      userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEPRINCIPAL', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice' },
      eventTime: '2024-05-01T08:00:00Z',
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: '203.0.113.10',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)',
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'Yes', MFAIdentifier: `arn:aws:iam::${ACCOUNT}:mfa/alice` },
      eventID: 'e1e2e3e4-0000-4000-8000-000000000104',
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    },
  },
];
