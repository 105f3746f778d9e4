/**
 * The catalogue: the fifteen checks as data and the benchmark versions that hold them. The
 * benchmark texts were re-created from the CIS AWS Foundations Benchmark v1.2.0 to v7.0.0; where
 * the text is wrong the check's control holds the corrected reference and a note. v7.0.0's
 * metric-filter controls, 5.1 to 5.15, repeat v6.0.0's (the copies of both that were available
 * are identical in title, level, status, audit and remediation text).
 */
import * as checks from './checks';
import type { BenchmarkId, BenchmarkInfo, CheckRecord, CheckSlug } from './types';

/** Every check, in slug order of CHECK_SLUGS. */
export const CHECKS: readonly CheckRecord[] = [
  checks.unauthorizedApiCalls,
  checks.consoleSigninWithoutMfa,
  checks.rootUsage,
  checks.iamPolicyChanges,
  checks.cloudtrailConfigChanges,
  checks.consoleAuthFailures,
  checks.cmkDisableOrScheduledDeletion,
  checks.s3BucketPolicyChanges,
  checks.awsConfigChanges,
  checks.securityGroupChanges,
  checks.naclChanges,
  checks.networkGatewayChanges,
  checks.routeTableChanges,
  checks.vpcChanges,
  checks.organizationsChanges,
];

export const CHECKS_BY_SLUG: ReadonlyMap<CheckSlug, CheckRecord> = new Map(CHECKS.map((check) => [check.slug, check]));

export const BENCHMARKS: readonly BenchmarkInfo[] = [
  { id: 'cis-aws-v1.2.0', version: '1.2.0', section: '3 Monitoring' },
  { id: 'cis-aws-v1.3.0', version: '1.3.0', section: '4 Monitoring' },
  { id: 'cis-aws-v1.4.0', version: '1.4.0', section: '4 Monitoring' },
  { id: 'cis-aws-v1.5.0', version: '1.5.0', section: '4 Monitoring' },
  { id: 'cis-aws-v2.0.0', version: '2.0.0', section: '4 Monitoring' },
  { id: 'cis-aws-v3.0.0', version: '3.0.0', section: '4 Monitoring' },
  { id: 'cis-aws-v4.0.0', version: '4.0.0', section: '4 Monitoring' },
  { id: 'cis-aws-v5.0.0', version: '5.0.0', section: '4 Monitoring' },
  { id: 'cis-aws-v6.0.0', version: '6.0.0', section: '5 Monitoring' },
  { id: 'cis-aws-v7.0.0', version: '7.0.0', section: '5 Monitoring' },
];

export function benchmarkInfo(id: BenchmarkId): BenchmarkInfo {
  const info = BENCHMARKS.find((benchmark) => benchmark.id === id);
  if (!info) throw new Error(`benchmark ${id} is missing from the catalogue`);
  return info;
}
