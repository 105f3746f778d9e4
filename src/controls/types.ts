/** The stable check slugs; a check keeps its slug across benchmark versions, its control number changes. */
export const CHECK_SLUGS = [
  'unauthorized_api_calls',
  'console_signin_without_mfa',
  'root_usage',
  'iam_policy_changes',
  'cloudtrail_config_changes',
  'console_auth_failures',
  'cmk_disable_or_scheduled_deletion',
  's3_bucket_policy_changes',
  'aws_config_changes',
  'security_group_changes',
  'nacl_changes',
  'network_gateway_changes',
  'route_table_changes',
  'vpc_changes',
  'organizations_changes',
] as const;
export type CheckSlug = (typeof CHECK_SLUGS)[number];

export const BENCHMARK_IDS = [
  'cis-aws-v1.2.0',
  'cis-aws-v1.3.0',
  'cis-aws-v1.4.0',
  'cis-aws-v1.5.0',
  'cis-aws-v2.0.0',
  'cis-aws-v3.0.0',
  'cis-aws-v4.0.0',
  'cis-aws-v5.0.0',
  'cis-aws-v6.0.0',
] as const;
export type BenchmarkId = (typeof BENCHMARK_IDS)[number];

export const DEFAULT_BENCHMARK: BenchmarkId = 'cis-aws-v4.0.0';
