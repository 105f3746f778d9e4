/**
 * Findings as OCSF 1.7.0 Compliance Finding events (class_uid 2003), one per finding, for a SIEM
 * or data lake that reads OCSF. Pure. Attribute names and enums follow the OCSF schema's
 * compliance_finding class (base event + finding + compliance finding) and its objects.
 */
import { relatedRequirements } from '../controls/crosswalk';
import type { Finding, FindingEvidence, StatusValue } from '../evaluate/types';
import { benchmarkInWords, catalogueTitle, type ControlTitleLookup, linkInWords, sortFindings } from './controls';
import type { ScanReport } from './types';

export const OCSF_VERSION = '1.7.0';
export const OCSF_CATEGORY_UID = 2; // Findings
export const OCSF_CLASS_UID = 2003; // Compliance Finding
const ACTIVITY_CREATE = 1;

/** severity_id: PASS Informational, FAIL Medium, ERROR Low (as in ASFF). */
const SEVERITY_ID: Record<StatusValue, number> = { PASS: 1, FAIL: 3, ERROR: 2 };
/** compliance.status_id: 1 Pass, 3 Fail, 2 Warning ("did not yield a result due to missing information"). */
const COMPLIANCE_STATUS: Record<StatusValue, { id: number; name: string }> = {
  PASS: { id: 1, name: 'Pass' },
  FAIL: { id: 3, name: 'Fail' },
  ERROR: { id: 2, name: 'Warning' },
};
/** The finding's own status_id: 1 New, 3 Suppressed (an exception covers it), 4 Resolved (it passes). */
const FINDING_STATUS = { NEW: { id: 1, name: 'New' }, SUPPRESSED: { id: 3, name: 'Suppressed' }, RESOLVED: { id: 4, name: 'Resolved' } } as const;

const RESOURCE_TYPES: Record<Exclude<keyof FindingEvidence, 'metricFilter' | 'organizationTrailOwner'>, string> = {
  trail: 'AWS::CloudTrail::Trail',
  logGroup: 'AWS::Logs::LogGroup',
  alarm: 'AWS::CloudWatch::Alarm',
  topic: 'AWS::SNS::Topic',
};

export interface OcsfOptions {
  readonly productVersion: string;
  readonly titleOf?: ControlTitleLookup;
}

export type OcsfComplianceFinding = Record<string, unknown> & {
  readonly class_uid: number;
  readonly finding_info: Record<string, unknown> & { readonly uid: string };
};

/** One Compliance Finding event per finding, in control then account order. */
export function renderOcsf(report: ScanReport, options: OcsfOptions): OcsfComplianceFinding[] {
  return sortFindings(report.findings).map((finding) => ocsfFinding(finding, report, options));
}

function ocsfFinding(finding: Finding, report: ScanReport, options: OcsfOptions): OcsfComplianceFinding {
  const title = (options.titleOf ?? catalogueTitle)(finding.check, report.benchmark) ?? finding.check;
  const time = Date.parse(report.finishedAt);
  const compliance = COMPLIANCE_STATUS[finding.status];
  const status = finding.exception ? FINDING_STATUS.SUPPRESSED : finding.status === 'PASS' ? FINDING_STATUS.RESOLVED : FINDING_STATUS.NEW;
  const partition = partitionOf(finding.evidence.trail ?? finding.evidence.logGroup ?? '') ?? 'aws';
  return {
    activity_id: ACTIVITY_CREATE,
    activity_name: 'Create',
    category_uid: OCSF_CATEGORY_UID,
    category_name: 'Findings',
    class_uid: OCSF_CLASS_UID,
    class_name: 'Compliance Finding',
    type_uid: OCSF_CLASS_UID * 100 + ACTIVITY_CREATE,
    type_name: 'Compliance Finding: Create',
    time,
    start_time: Date.parse(report.startedAt),
    end_time: time,
    severity_id: SEVERITY_ID[finding.status],
    severity: { 1: 'Informational', 2: 'Low', 3: 'Medium' }[SEVERITY_ID[finding.status]],
    status_id: status.id,
    status: status.name,
    ...(finding.exception ? { comment: `accepted risk until ${finding.exception.expires}, approved by ${finding.exception.approvedBy}: ${finding.exception.reason}` } : {}),
    message: `${finding.status}: ${finding.reason}`,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'trailwatch', vendor_name: 'trailwatch', version: options.productVersion },
      log_name: 'trailwatch scan',
    },
    finding_info: {
      uid: `trailwatch/${report.benchmark}/${finding.accountId}/${finding.check}`,
      title: `CIS ${finding.control} ${title}`,
      desc: finding.reason,
      types: ['CIS AWS Foundations Benchmark'],
      created_time: Date.parse(report.startedAt),
      modified_time: time,
    },
    compliance: {
      standards: [`${benchmarkInWords(report.benchmark)}`],
      control: finding.control,
      requirements: [`${benchmarkInWords(report.benchmark)}/${finding.control}`, ...relatedRequirements(finding.check)],
      status_id: compliance.id,
      status: compliance.name,
      status_code: finding.status,
      status_detail: finding.brokenLink ? `${linkInWords(finding.brokenLink)}: ${finding.reason}` : finding.reason,
    },
    ...(finding.status !== 'PASS' ? { remediation: { desc: finding.fix ?? finding.reason } } : {}),
    resources: resources(finding, partition),
    cloud: { provider: 'AWS', account: { uid: finding.accountId, type_id: 10, type: 'AWS Account' } },
    // Not in the class's attributes: what trailwatch knows beside them, kept whole rather than dropped.
    unmapped: {
      check: finding.check,
      broken_link: finding.brokenLink,
      covered_regions: finding.coveredRegions,
      uncovered_regions: finding.uncoveredRegions,
      ...(finding.evidence.metricFilter ? { metric_filter: finding.evidence.metricFilter } : {}),
      ...(finding.evidence.organizationTrailOwner ? { organization_trail_owner: finding.evidence.organizationTrailOwner } : {}),
      ...(finding.warnings?.length ? { warnings: finding.warnings } : {}),
      ...(finding.exception ? { exception: finding.exception } : {}),
    },
  };
}

/** The broken link's resource first, then the rest of the chain, then the account. */
function resources(finding: Finding, partition: string): Record<string, unknown>[] {
  const order = (Object.keys(RESOURCE_TYPES) as (keyof typeof RESOURCE_TYPES)[]).sort(
    (a, b) => Number(b === brokenKey(finding)) - Number(a === brokenKey(finding)),
  );
  const list: Record<string, unknown>[] = [];
  for (const key of order) {
    const arn = finding.evidence[key];
    if (!arn) continue;
    const region = arn.split(':')[3];
    list.push({ uid: arn, type: RESOURCE_TYPES[key], cloud_partition: partitionOf(arn) ?? partition, ...(region ? { region } : {}), name: nameOf(arn) });
  }
  list.push({ uid: finding.accountId, type: 'AWS::::Account', cloud_partition: partition, name: finding.accountId });
  return list;
}

/** The evidence that names the broken link's resource: a filter has no ARN of its own (its log group's), a subscription its topic's. */
function brokenKey(finding: Finding): string | undefined {
  if (finding.brokenLink === 'subscription') return 'topic';
  if (finding.brokenLink === 'metricFilter') return 'logGroup';
  return finding.brokenLink ?? undefined;
}

function nameOf(arn: string): string {
  const tail = arn.split(':').slice(5).join(':');
  return tail.replace(/^(trail|log-group|alarm)[/:]/, '') || arn;
}

function partitionOf(arn: string): string | undefined {
  const partition = arn.split(':')[1];
  return partition === 'aws' || partition === 'aws-cn' || partition === 'aws-us-gov' ? partition : undefined;
}
