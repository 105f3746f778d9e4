/**
 * Findings in the AWS Security Finding Format, ready for Security Hub BatchImportFindings
 * (at most 100 per call). The Id is stable per benchmark, account and check, so a later scan
 * updates the same Security Hub finding instead of adding one. Limits follow the
 * AwsSecurityFinding API reference: Title <= 256 characters, Description <= 1024,
 * Recommendation.Text <= 512, <= 32 resources, <= 50 ProductFields of <= 2048 characters.
 */
import { relatedRequirements } from '../controls/crosswalk';
import type { BenchmarkId } from '../controls/types';
import type { Finding, StatusValue } from '../evaluate/types';
import { benchmarkInWords, catalogueTitle, type ControlTitleLookup, linkInWords, sortFindings } from './controls';
import { exceptionInWords } from './exceptions';
import type { ScanReport } from './types';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const ASFF_FINDING_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';
/** How many findings one BatchImportFindings call takes. */
export const ASFF_BATCH_LIMIT = 100;

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type AsffComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';
export type AsffResourceType = 'AwsAccount' | 'AwsCloudTrailTrail' | 'AwsLogsLogGroup' | 'AwsCloudWatchAlarm' | 'AwsSnsTopic';

export interface AsffResource {
  readonly Type: AsffResourceType;
  readonly Id: string;
  readonly Partition?: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly Region?: string;
}

/** The subset of AwsSecurityFinding that trailwatch fills. */
export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: AsffSeverityLabel };
  readonly Title: string;
  readonly Description: string;
  readonly Remediation?: { readonly Recommendation: { readonly Text: string } };
  readonly ProductFields: Record<string, string>;
  readonly Resources: AsffResource[];
  readonly Compliance: { readonly Status: AsffComplianceStatus; readonly RelatedRequirements: string[] };
  /** SUPPRESSED, with a Note, for a finding an exception covers (accepted risk). */
  readonly Workflow?: { readonly Status: 'NEW' | 'SUPPRESSED' };
  readonly Note?: { readonly Text: string; readonly UpdatedBy: string; readonly UpdatedAt: string };
  /** ARCHIVED for a finding trailwatch no longer produces (src/notify/security-hub). */
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
}

export interface AsffOptions {
  /** The account that imports the findings (its default product ARN is used). */
  readonly awsAccountId: string;
  /** The Security Hub region the findings are imported into. */
  readonly region: string;
  /** Another product ARN; default `arn:aws:securityhub:<region>:<account>:product/<account>/default`. */
  readonly productArn?: string;
  /** Titles of checks (default: the catalogue's). */
  readonly titleOf?: ControlTitleLookup;
  /**
   * For BatchImportFindings by the scanner: AwsAccountId is then `awsAccountId` (Security Hub takes
   * a provider's findings only for the calling account); the account a finding is about stays its
   * first resource and its Id. Default: the finding's own account.
   */
  readonly importedByScanner?: boolean;
}

export const ASFF_SEVERITY: Record<StatusValue, AsffSeverityLabel> = { PASS: 'INFORMATIONAL', FAIL: 'MEDIUM', ERROR: 'LOW' };
export const ASFF_COMPLIANCE: Record<StatusValue, AsffComplianceStatus> = { PASS: 'PASSED', FAIL: 'FAILED', ERROR: 'NOT_AVAILABLE' };

export function defaultProductArn(region: string, awsAccountId: string): string {
  return `arn:aws:securityhub:${region}:${awsAccountId}:product/${awsAccountId}/default`;
}

/** One AwsSecurityFinding per finding, in control then account order. */
export function renderAsff(report: ScanReport, options: AsffOptions): AsffFinding[] {
  const productArn = options.productArn ?? defaultProductArn(options.region, options.awsAccountId);
  const partition = partitionOf(productArn);
  return sortFindings(report.findings).map((finding) => asffFinding(finding, report, options, productArn, partition));
}

function asffFinding(
  finding: Finding,
  report: ScanReport,
  options: AsffOptions,
  productArn: string,
  partition: AsffResource['Partition'],
): AsffFinding {
  const benchmark = report.benchmark;
  const title = (options.titleOf ?? catalogueTitle)(finding.check, benchmark) ?? finding.check;
  const recommendation = finding.status === 'PASS' ? undefined : recommendationText(finding);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `trailwatch/${benchmark}/${finding.accountId}/${finding.check}`,
    ProductArn: productArn,
    GeneratorId: `trailwatch/${benchmark}/${finding.check}`,
    AwsAccountId: options.importedByScanner ? options.awsAccountId : finding.accountId,
    Types: [ASFF_FINDING_TYPE],
    CreatedAt: report.startedAt,
    UpdatedAt: report.finishedAt,
    Severity: { Label: ASFF_SEVERITY[finding.status] },
    Title: truncate(`CIS ${finding.control} ${title}`, 256),
    Description: cutAtWord(describe(finding), 1024),
    ...(recommendation ? { Remediation: { Recommendation: { Text: recommendation } } } : {}),
    ProductFields: productFields(finding, benchmark),
    Resources: resources(finding, partition),
    Compliance: {
      Status: ASFF_COMPLIANCE[finding.status],
      // The benchmark's control, then the crosswalk's requirements (src/controls/crosswalk.ts); ASFF takes at most 32.
      RelatedRequirements: [`${benchmarkInWords(benchmark)}/${finding.control}`, ...relatedRequirements(finding.check)].slice(0, 32),
    },
    ...(finding.exception
      ? {
          Workflow: { Status: 'SUPPRESSED' as const },
          Note: { Text: truncate(exceptionInWords(finding.exception), 512), UpdatedBy: 'trailwatch', UpdatedAt: report.finishedAt },
        }
      : {}),
    RecordState: 'ACTIVE',
  };
}

/** Where the whole fix is: ProductFields 'trailwatch/fix' (then 'trailwatch/fix/2'... when longer than one field). */
export const FIX_FIELD = 'trailwatch/fix';
const FIELD_MAX = 2048;

/**
 * A short instruction that never stops inside a command: the reason with each `command` replaced
 * by a pointer to the ProductFields that hold it whole, cut at a word when still too long.
 */
function recommendationText(finding: Finding): string {
  const withoutCommands = finding.reason.replace(/`[^`]*`/g, `the command in ProductFields ${FIX_FIELD}`);
  const text = finding.fix && !finding.reason.includes('`') ? `${withoutCommands}: run the command in ProductFields ${FIX_FIELD}` : withoutCommands;
  return cutAtWord(text, 512);
}

/** The whole fix over as many 2,048-character ProductFields as it takes. */
function fixFields(fix: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0, part = 1; i < fix.length; i += FIELD_MAX, part += 1) fields[part === 1 ? FIX_FIELD : `${FIX_FIELD}/${part}`] = fix.slice(i, i + FIELD_MAX);
  return fields;
}

function describe(finding: Finding): string {
  const link = finding.brokenLink ? ` Broken link: ${linkInWords(finding.brokenLink)}.` : '';
  const regions = finding.uncoveredRegions.length > 0 ? ` Regions not covered: ${finding.uncoveredRegions.join(', ')}.` : '';
  const reason = finding.reason.replace(/`[^`]*`/g, `the command in ProductFields ${FIX_FIELD}`);
  const warnings = (finding.warnings ?? []).map((warning) => ` Warning: ${warning}`).join('');
  return `${finding.status}: ${reason}${link}${regions}${warnings}`;
}

function productFields(finding: Finding, benchmark: BenchmarkId): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    'trailwatch/benchmark': benchmark,
    'trailwatch/check': finding.check,
    'trailwatch/control': finding.control,
    'trailwatch/status': finding.status,
    'trailwatch/brokenLink': finding.brokenLink ?? 'none',
    'trailwatch/coveredRegions': finding.coveredRegions.join(',') || undefined,
    'trailwatch/uncoveredRegions': finding.uncoveredRegions.join(',') || undefined,
    'trailwatch/metricFilter': finding.evidence.metricFilter,
    'trailwatch/organizationTrailOwner': finding.evidence.organizationTrailOwner,
    // The Description may be cut at 1,024 characters; the warnings are whole here (up to 2,048).
    'trailwatch/warnings': (finding.warnings ?? []).join(' | ') || undefined,
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value && value.trim()) out[key] = truncate(value, FIELD_MAX);
  const fix = finding.fix ?? /`([^`]*)`/.exec(finding.reason)?.[1];
  return fix && finding.status !== 'PASS' ? { ...out, ...fixFields(fix) } : out;
}

function resources(finding: Finding, partition: AsffResource['Partition']): AsffResource[] {
  const chain: [AsffResourceType, string | undefined][] = [
    ['AwsCloudTrailTrail', finding.evidence.trail],
    ['AwsLogsLogGroup', finding.evidence.logGroup],
    ['AwsCloudWatchAlarm', finding.evidence.alarm],
    ['AwsSnsTopic', finding.evidence.topic],
  ];
  // The account is always there, so a finding with no chain at all still names its resource.
  const list: AsffResource[] = [{ Type: 'AwsAccount', Id: `AWS::::Account:${finding.accountId}`, ...(partition ? { Partition: partition } : {}) }];
  for (const [type, arn] of chain) {
    if (!arn) continue;
    const region = arn.split(':')[3];
    list.push({
      Type: type,
      Id: arn,
      ...(partitionOf(arn) ? { Partition: partitionOf(arn) } : {}),
      ...(region ? { Region: region } : {}),
    });
  }
  return list;
}

function partitionOf(arn: string): AsffResource['Partition'] {
  const partition = arn.split(':')[1];
  return partition === 'aws' || partition === 'aws-cn' || partition === 'aws-us-gov' ? partition : undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Prose cut at the last space that fits, with an ellipsis. */
function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
