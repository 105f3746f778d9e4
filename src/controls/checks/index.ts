/** One file per check, like cdk-nag's rules: what the check is, and its control in every benchmark version. */
export { unauthorizedApiCalls } from './unauthorized-api-calls';
export { consoleSigninWithoutMfa } from './console-signin-without-mfa';
export { rootUsage } from './root-usage';
export { iamPolicyChanges } from './iam-policy-changes';
export { cloudtrailConfigChanges } from './cloudtrail-config-changes';
export { consoleAuthFailures } from './console-auth-failures';
export { cmkDisableOrScheduledDeletion } from './cmk-disable-or-scheduled-deletion';
export { s3BucketPolicyChanges } from './s3-bucket-policy-changes';
export { awsConfigChanges } from './aws-config-changes';
export { securityGroupChanges } from './security-group-changes';
export { naclChanges } from './nacl-changes';
export { networkGatewayChanges } from './network-gateway-changes';
export { routeTableChanges } from './route-table-changes';
export { vpcChanges } from './vpc-changes';
export { organizationsChanges } from './organizations-changes';
