/** A small scan report: two checks over three accounts, one account that could not be scanned. */
import type { Finding } from '../../src/evaluate/types';
import type { ScanReport } from '../../src/report/types';

const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';
const LOG_GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:org-trail-logs';
const ROOT_ALARM = 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:root-usage';
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:security-alerts';

export function finding(overrides: Partial<Finding> & Pick<Finding, 'accountId' | 'check' | 'control' | 'status'>): Finding {
  return {
    coveredRegions: ['us-east-1', 'eu-west-1'],
    uncoveredRegions: [],
    brokenLink: null,
    reason: 'every in-scope region reaches a working chain',
    evidence: {},
    ...overrides,
  };
}

export const ROOT_USAGE_FAIL = finding({
  accountId: '222222222222',
  check: 'root_usage',
  control: '4.3',
  status: 'FAIL',
  coveredRegions: [],
  uncoveredRegions: ['us-east-1', 'eu-west-1'],
  brokenLink: 'metricFilter',
  reason: "filter 'root-usage' misses events where userIdentity.invokedBy is set",
  fix: "aws logs put-metric-filter --log-group-name org-trail-logs --filter-name root-usage --filter-pattern '{ $.userIdentity.type = \"Root\" }'",
  evidence: { trail: ORG_TRAIL, logGroup: LOG_GROUP, metricFilter: 'root-usage' },
  warnings: ['the KMS key policy of the trail could not be read'],
});

export const IAM_ERROR = finding({
  accountId: '222222222222',
  check: 'iam_policy_changes',
  control: '4.4',
  status: 'ERROR',
  coveredRegions: [],
  uncoveredRegions: [],
  reason: 'could not read the alarms of us-east-1: AccessDenied',
});

export function sampleReport(): ScanReport {
  return {
    benchmark: 'cis-aws-v4.0.0',
    startedAt: '2025-03-01T10:00:00.000Z',
    finishedAt: '2025-03-01T10:00:42.000Z',
    accounts: [
      { accountId: '111111111111', name: 'management', status: 'SCANNED', regions: ['us-east-1', 'eu-west-1'], apiCalls: 31 },
      { accountId: '222222222222', name: 'workloads', status: 'SCANNED', regions: ['us-east-1', 'eu-west-1'], apiCalls: 29 },
      { accountId: '333333333333', status: 'ERROR', error: 'AssumeRole failed: AccessDenied' },
    ],
    // Deliberately out of order: formatters sort by control number, then account.
    findings: [
      IAM_ERROR,
      finding({
        accountId: '111111111111',
        check: 'iam_policy_changes',
        control: '4.4',
        status: 'PASS',
        evidence: { trail: ORG_TRAIL, logGroup: LOG_GROUP, metricFilter: 'iam-changes', alarm: 'arn:aws:cloudwatch:us-east-1:111111111111:alarm:iam', topic: TOPIC },
      }),
      ROOT_USAGE_FAIL,
      finding({
        accountId: '111111111111',
        check: 'root_usage',
        control: '4.3',
        status: 'PASS',
        evidence: { trail: ORG_TRAIL, logGroup: LOG_GROUP, metricFilter: 'root', alarm: ROOT_ALARM, topic: TOPIC },
      }),
    ],
    summary: { pass: 2, fail: 1, error: 1 },
    stats: { apiCalls: 60, apiCallsPerAccount: { '111111111111': 31, '222222222222': 29 }, notes: ['1 account skipped: suspended'] },
  };
}

export const TITLES: Record<string, string> = {
  root_usage: 'Ensure usage of the "root" account is monitored',
  iam_policy_changes: 'Ensure IAM policy changes are monitored',
};
