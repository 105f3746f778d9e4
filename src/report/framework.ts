/**
 * The findings grouped by one framework's requirements (`scan --framework nist-800-53`): for each
 * requirement the crosswalk maps, the checks behind it and how their findings stand. Pure.
 */
import { CROSSWALK, FRAMEWORKS, type FrameworkId } from '../controls/crosswalk';
import type { CheckSlug } from '../controls/types';
import type { Finding } from '../evaluate/types';
import { compareControlNumbers } from './controls';
import type { ScanReport } from './types';

export interface RequirementGroup {
  readonly requirement: string;
  readonly checks: CheckSlug[];
  readonly findings: Finding[];
}

/** One group per requirement (in the order the crosswalk gives them), and the checks it maps to nothing. */
export function groupByRequirement(findings: readonly Finding[], framework: FrameworkId): { groups: RequirementGroup[]; unmapped: CheckSlug[] } {
  const groups = new Map<string, RequirementGroup>();
  const unmapped = new Set<CheckSlug>();
  for (const finding of findings) {
    const requirements = CROSSWALK[finding.check][framework]?.requirements ?? [];
    if (requirements.length === 0) unmapped.add(finding.check);
    for (const requirement of requirements) {
      const group = groups.get(requirement) ?? { requirement, checks: [], findings: [] };
      if (!group.checks.includes(finding.check)) group.checks.push(finding.check);
      group.findings.push(finding);
      groups.set(requirement, group);
    }
  }
  return { groups: [...groups.values()].sort((a, b) => compareControlNumbers(a.requirement, b.requirement) || a.requirement.localeCompare(b.requirement)), unmapped: [...unmapped] };
}

/** The section table and email print: a line per requirement with its counts, the accounts failing it, the checks it does not cover. */
export function frameworkSectionLines(report: ScanReport, framework: FrameworkId): string[] {
  const info = FRAMEWORKS[framework];
  const { groups, unmapped } = groupByRequirement(report.findings, framework);
  const lines = [`BY ${info.name.toUpperCase()} REQUIREMENT`];
  if (groups.length === 0) lines.push(`  no check of this report maps to ${info.name}${info.unmapped ? `: ${info.unmapped}` : ''}`);
  for (const group of groups) {
    const count = (test: (f: Finding) => boolean) => group.findings.filter(test).length;
    const failing = group.findings.filter((f) => f.status !== 'PASS' && !f.exception);
    const excepted = count((f) => f.exception !== undefined);
    lines.push(
      `  ${group.requirement}  (${group.checks.join(', ')}): ${count((f) => f.status === 'PASS')} pass, ${count((f) => f.status === 'FAIL' && !f.exception)} fail, ` +
        `${count((f) => f.status === 'ERROR' && !f.exception)} error${excepted > 0 ? `, ${excepted} excepted` : ''}`,
    );
    const accounts = [...new Set(failing.map((f) => f.accountId))];
    if (accounts.length > 0) lines.push(`      not met in: ${accounts.join(', ')}`);
  }
  if (unmapped.length > 0) lines.push(`  checks ${info.name} is not mapped to: ${unmapped.join(', ')}`);
  return lines;
}
