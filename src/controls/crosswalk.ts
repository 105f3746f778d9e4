/**
 * The compliance crosswalk: for each check, the requirements of other frameworks it helps to
 * meet, each mapping with its source. Only what a published mapping says is here; where no
 * source maps a check (or a whole framework), the entry says so instead of guessing.
 */
import type { CheckSlug } from './types';

export const FRAMEWORK_IDS = ['nist-800-53', 'pci-dss-3.2.1', 'pci-dss-4.0', 'iso-27001-2022', 'cis-controls-v8', 'apra-cps-234', 'mas-trm'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

export interface FrameworkInfo {
  readonly id: FrameworkId;
  /** As reports name it, e.g. in ASFF Compliance.RelatedRequirements ("NIST SP 800-53 Rev. 5/AU-6(1)"). */
  readonly name: string;
  /** Why nothing is mapped, for a framework no source maps any check to. */
  readonly unmapped?: string;
}

export const FRAMEWORKS: Readonly<Record<FrameworkId, FrameworkInfo>> = {
  'nist-800-53': { id: 'nist-800-53', name: 'NIST SP 800-53 Rev. 5' },
  'pci-dss-3.2.1': { id: 'pci-dss-3.2.1', name: 'PCI DSS v3.2.1' },
  'pci-dss-4.0': {
    id: 'pci-dss-4.0',
    name: 'PCI DSS v4.0',
    unmapped: "no published mapping found: Prowler's PCI DSS v4.0 mapping (prowler/compliance/aws/pci_4.0_aws.json) lists none of these checks",
  },
  'iso-27001-2022': { id: 'iso-27001-2022', name: 'ISO/IEC 27001:2022 Annex A' },
  'cis-controls-v8': {
    id: 'cis-controls-v8',
    name: 'CIS Controls v8',
    unmapped:
      "not mapped here: the CIS benchmark document maps each recommendation to CIS Controls v8 safeguards, but that text is not among this project's sources, and no other published mapping was found",
  },
  'apra-cps-234': { id: 'apra-cps-234', name: 'APRA CPS 234' },
  'mas-trm': {
    id: 'mas-trm',
    name: 'MAS TRM Guidelines',
    unmapped: 'no published check-level mapping found (vendor rule pages cite MAS TRM without naming sections a source can be checked against)',
  },
};

/** Where a mapping comes from, in words a reader can follow. */
export const CROSSWALK_SOURCES = {
  'securityhub-cloudwatch':
    'AWS Security Hub CSPM user guide, "Security Hub CSPM controls for Amazon CloudWatch": the related requirements of CloudWatch.1 (root user metric filter and alarm)',
  'prowler-pci-3.2.1': 'Prowler compliance mapping prowler/compliance/aws/pci_3.2.1_aws.json (prowler-cloud/prowler, commit 3e000faa)',
  'prowler-nist-800-53-r5':
    'Prowler compliance mapping prowler/compliance/aws/nist_800_53_revision_5_aws.json (prowler-cloud/prowler, commit 3e000faa); of its requirements for these checks, those about review, monitoring and alerting (its AU-14, CA-2(2), PM-14, PM-31, SC-36(1)(a), SI-2(a) and SI-5(b) are left out)',
  'prowler-iso-27001-2022': 'Prowler compliance mapping prowler/compliance/aws/iso27001_2022_aws.json (prowler-cloud/prowler, commit 3e000faa)',
  'prowler-apra-cps-234':
    'Prowler compliance mapping prowler/compliance/aws/apra_cps_234_aws.json (prowler-cloud/prowler, commit 7014df5e), requirement cps234-23-incident-detection',
} as const;
export type CrosswalkSourceId = keyof typeof CROSSWALK_SOURCES;

export interface CrosswalkMapping {
  readonly requirements: readonly string[];
  readonly sources: readonly CrosswalkSourceId[];
}

const NETWORK_NIST: CrosswalkMapping = { requirements: ['AU-6(1)', 'AU-6(5)', 'AU-12(3)', 'CA-7', 'SI-4(12)', 'SI-5(1)'], sources: ['prowler-nist-800-53-r5'] };
const ISO_LOGGING_MONITORING: CrosswalkMapping = { requirements: ['A.8.15', 'A.8.16'], sources: ['prowler-iso-27001-2022'] };
const APRA_DETECTION: CrosswalkMapping = { requirements: ['CPS 234 para 23'], sources: ['prowler-apra-cps-234'] };

/** Per check, the frameworks a source maps it to; a framework absent here maps nothing for that check. */
export const CROSSWALK: Readonly<Record<CheckSlug, Partial<Record<FrameworkId, CrosswalkMapping>>>> = {
  unauthorized_api_calls: { 'iso-27001-2022': ISO_LOGGING_MONITORING, 'apra-cps-234': APRA_DETECTION },
  console_signin_without_mfa: { 'iso-27001-2022': ISO_LOGGING_MONITORING, 'apra-cps-234': APRA_DETECTION },
  root_usage: {
    'pci-dss-3.2.1': { requirements: ['7.2.1'], sources: ['securityhub-cloudwatch', 'prowler-pci-3.2.1'] },
    'iso-27001-2022': ISO_LOGGING_MONITORING,
    'apra-cps-234': APRA_DETECTION,
  },
  iam_policy_changes: {
    'pci-dss-3.2.1': { requirements: ['8.1.2'], sources: ['prowler-pci-3.2.1'] },
    'iso-27001-2022': ISO_LOGGING_MONITORING,
  },
  cloudtrail_config_changes: { 'iso-27001-2022': ISO_LOGGING_MONITORING },
  console_auth_failures: { 'iso-27001-2022': ISO_LOGGING_MONITORING, 'apra-cps-234': APRA_DETECTION },
  cmk_disable_or_scheduled_deletion: { 'iso-27001-2022': ISO_LOGGING_MONITORING },
  s3_bucket_policy_changes: { 'iso-27001-2022': ISO_LOGGING_MONITORING },
  aws_config_changes: { 'iso-27001-2022': ISO_LOGGING_MONITORING },
  security_group_changes: { 'iso-27001-2022': ISO_LOGGING_MONITORING },
  nacl_changes: { 'nist-800-53': NETWORK_NIST, 'iso-27001-2022': ISO_LOGGING_MONITORING },
  network_gateway_changes: { 'nist-800-53': NETWORK_NIST, 'iso-27001-2022': ISO_LOGGING_MONITORING },
  // Prowler's ISO/IEC 27001:2022 mapping leaves route table changes out; nothing is added here.
  route_table_changes: { 'nist-800-53': NETWORK_NIST },
  vpc_changes: {
    'nist-800-53': NETWORK_NIST,
    'iso-27001-2022': { requirements: ['A.8.15', 'A.8.16', 'A.8.20', 'A.8.21', 'A.8.22'], sources: ['prowler-iso-27001-2022'] },
  },
  organizations_changes: { 'iso-27001-2022': ISO_LOGGING_MONITORING },
};

/** One framework's answer for one check: its requirements with their sources, or why there are none. */
export interface CrosswalkEntry {
  readonly framework: FrameworkId;
  readonly name: string;
  readonly requirements: readonly string[];
  /** The sources of the requirements, in words. */
  readonly sources: readonly string[];
  /** Set when nothing is mapped: why. */
  readonly note?: string;
}

/** Every framework for a check, in FRAMEWORK_IDS order, mapped or saying why not. */
export function crosswalkFor(check: CheckSlug): CrosswalkEntry[] {
  return FRAMEWORK_IDS.map((framework) => {
    const info = FRAMEWORKS[framework];
    const mapping = CROSSWALK[check][framework];
    if (mapping) return { framework, name: info.name, requirements: mapping.requirements, sources: mapping.sources.map((s) => CROSSWALK_SOURCES[s]) };
    return { framework, name: info.name, requirements: [], sources: [], note: info.unmapped ?? 'no source found that maps this check' };
  });
}

/** "NIST SP 800-53 Rev. 5/AU-6(1)", ... for every mapped requirement of a check (ASFF, OCSF). */
export function relatedRequirements(check: CheckSlug): string[] {
  return crosswalkFor(check).flatMap((entry) => entry.requirements.map((requirement) => `${entry.name}/${requirement}`));
}

/** Accepts the ids and a few spellings people use ("nist-800-53", "NIST 800-53", "pci-4.0"). */
export function frameworkFrom(text: string): FrameworkId | undefined {
  const key = text.trim().toLowerCase().replace(/[\s_/:]+/g, '-').replace(/^iso-iec-/, 'iso-').replace(/^pci-(?!dss)/, 'pci-dss-');
  return (FRAMEWORK_IDS as readonly string[]).includes(key) ? (key as FrameworkId) : undefined;
}
