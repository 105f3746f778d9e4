/**
 * What a scan tells CloudWatch besides SNS: one structured log line per account, embedded
 * metrics per check (pass, fail and error counts) so people can graph compliance, and the
 * heartbeat of scheduled scans that the stack's heartbeat alarm watches.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { CheckSlug } from '../controls/types';
import type { Finding } from '../evaluate/types';
import type { ScanReport } from '../report/types';

/** The part of a logger this module uses (Powertools' Logger has it). */
export interface StructuredLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface StatusCounts {
  pass: number;
  fail: number;
  error: number;
}

/** Pass, fail and error counts per check, in the order checks first appear. */
export function countsByCheck(report: ScanReport): Map<CheckSlug, StatusCounts> {
  const counts = new Map<CheckSlug, StatusCounts>();
  for (const finding of report.findings) {
    const c = counts.get(finding.check) ?? { pass: 0, fail: 0, error: 0 };
    if (finding.status === 'PASS') c.pass += 1;
    else if (finding.status === 'FAIL') c.fail += 1;
    else c.error += 1;
    counts.set(finding.check, c);
  }
  return counts;
}

/** One line per account (status, counts, the checks it fails), then one for the run. */
export function logReport(logger: StructuredLogger, report: ScanReport): void {
  // Grouped once: a filter per account was accounts x findings, minutes at 10,000 accounts.
  const byAccount = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const list = byAccount.get(finding.accountId);
    if (list) list.push(finding);
    else byAccount.set(finding.accountId, [finding]);
  }
  for (const account of report.accounts) {
    const findings = byAccount.get(account.accountId) ?? [];
    const entry = {
      accountId: account.accountId,
      ...(account.name ? { accountName: account.name } : {}),
      accountStatus: account.status,
      ...(account.error ? { accountError: account.error } : {}),
      regions: account.regions ?? [],
      ...(account.apiCalls !== undefined ? { apiCalls: account.apiCalls } : {}),
      pass: findings.filter((f) => f.status === 'PASS').length,
      fail: findings.filter((f) => f.status === 'FAIL').length,
      error: findings.filter((f) => f.status === 'ERROR').length,
      failing: findings.filter((f) => f.status !== 'PASS').map((f) => ({ check: f.check, status: f.status, brokenLink: f.brokenLink, reason: f.reason })),
      ...(account.notes?.length ? { notes: account.notes } : {}),
      ...(account.organizationTrail ? { organizationTrailOwner: account.organizationTrail.owner } : {}),
    };
    if (account.status === 'ERROR') logger.warn('account not scanned', entry);
    else if (account.status === 'SKIPPED') logger.info('account skipped', entry);
    else if (account.status === 'ORGANIZATION_TRAIL') logger.info('account judged through the organization trail', entry);
    else logger.info('account scanned', entry);
  }
  logger.info('scan finished', {
    benchmark: report.benchmark,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    accounts: report.accounts.length,
    summary: report.summary,
    ...(report.stats ? { apiCalls: report.stats.apiCalls, ...(report.stats.notes?.length ? { notes: report.stats.notes } : {}) } : {}),
  });
}

/** One EMF record per check, dimensioned by benchmark and check: Pass, Fail and Error counts. */
export function publishCheckMetrics(metrics: Metrics, report: ScanReport): void {
  for (const [check, counts] of countsByCheck(report)) {
    metrics.addDimensions({ benchmark: report.benchmark, check });
    metrics.addMetric('Pass', MetricUnit.Count, counts.pass);
    metrics.addMetric('Fail', MetricUnit.Count, counts.fail);
    metrics.addMetric('Error', MetricUnit.Count, counts.error);
    metrics.publishStoredMetrics();
  }
  const scanned = report.accounts.filter((a) => a.status === 'SCANNED').length;
  metrics.addDimensions({ benchmark: report.benchmark });
  metrics.addMetric('AccountsScanned', MetricUnit.Count, scanned);
  metrics.addMetric('AccountsNotScanned', MetricUnit.Count, report.accounts.filter((a) => a.status === 'ERROR').length);
  metrics.addMetric('AccountsJudgedThroughOrganizationTrail', MetricUnit.Count, report.accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL').length);
  metrics.publishStoredMetrics();
}

/** The metric the heartbeat alarm (serverless.yml ScanHeartbeatAlarm) watches: 1 per scheduled scan that completed. */
export const HEARTBEAT_METRIC = 'ScheduledScanCompleted';

/**
 * One heartbeat, dimensioned by the service (Powertools' default) and the function, so two stages
 * in one account keep apart. The alarm names exactly these dimensions.
 */
export function publishHeartbeat(metrics: Metrics, functionName: string): void {
  metrics.addDimension('function', functionName);
  metrics.addMetric(HEARTBEAT_METRIC, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
