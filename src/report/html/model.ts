/**
 * What the page shows, worked out from the report before any markup is written: columns in
 * control order, accounts grouped by organizational unit, findings grouped by cause (so 1,000
 * accounts failing the same way are one block of text, not 1,000), organization trails and the
 * worst checks. Pure.
 */
import type { CheckSlug } from '../../controls/types';
import type { BrokenLink, Finding } from '../../evaluate/types';
import { catalogueTitle, compareControlNumbers, type ControlTitleLookup } from '../controls';
import type { AccountResult, AccountStatus, ScanReport } from '../types';
import { countFindings, type StatusCounts } from './history';
import { cellStatus, type CellStatusValue } from './status';

export interface PageColumn {
  readonly check: CheckSlug;
  readonly control: string;
  readonly title?: string;
  readonly counts: StatusCounts;
}

/** Findings that say exactly the same thing (status, link, reason, regions, fix, notes, exception) for one check. */
export interface PageCause {
  readonly id: string;
  readonly status: CellStatusValue;
  /** The first of them: every field but the account is the same in all. */
  readonly finding: Finding;
  readonly accountIds: string[];
}

export interface PageCell {
  readonly status: CellStatusValue;
  readonly brokenLink: BrokenLink | null;
  readonly causeId: string;
}

export interface PageRow {
  readonly accountId: string;
  readonly name?: string;
  readonly status: AccountStatus;
  readonly error?: string;
  /** One per column; undefined where the account has no finding for the check. */
  readonly cells: (PageCell | undefined)[];
  /** Cells not PASS. */
  readonly notPassing: number;
  readonly has: ReadonlySet<CellStatusValue>;
}

export interface PageGroup {
  /** The OU id, or '' when not known. */
  readonly id: string;
  readonly label: string;
  readonly rows: PageRow[];
}

export interface OrganizationTrailView {
  readonly ownerAccountId: string;
  readonly trail?: string;
  readonly logGroup?: string;
  /** The owner and every member whose findings its chains settle. */
  readonly accountIds: string[];
  readonly checks: { readonly check: CheckSlug; readonly control: string; readonly counts: StatusCounts; readonly brokenLinks: BrokenLink[] }[];
}

export interface PageModel {
  readonly report: ScanReport;
  readonly columns: PageColumn[];
  readonly groups: PageGroup[];
  /** False when no account carries its OU: the page says so. */
  readonly ouKnown: boolean;
  readonly causes: PageCause[];
  readonly counts: StatusCounts;
  /** judged: read and judged; throughOrganizationTrail: members not read, judged by their organization trail's chain. */
  readonly accounts: { readonly judged: number; readonly throughOrganizationTrail: number; readonly skipped: number; readonly error: number; readonly total: number };
  /** Checks with FAIL or ERROR findings, the most first. */
  readonly worstChecks: PageColumn[];
  readonly organizationTrails: OrganizationTrailView[];
  readonly names: ReadonlyMap<string, string>;
}

export const OU_UNKNOWN = 'OU not known';

export interface ModelOptions {
  readonly titles?: ControlTitleLookup;
}

/** "Root / Workloads / Prod" from the report's OU path. */
function ouLabel(account: AccountResult | undefined): { id: string; label: string } {
  const ou = account?.ou;
  if (!ou) return { id: '', label: OU_UNKNOWN };
  return { id: ou.id, label: ou.path.length > 0 ? ou.path.join(' / ') : ou.id };
}

function causeKey(finding: Finding): string {
  const exception = cellStatus(finding) === 'EXCEPTED' ? (finding as { exception?: unknown }).exception : undefined;
  return JSON.stringify([
    finding.check,
    finding.control,
    finding.status,
    finding.brokenLink,
    finding.reason,
    finding.fix ?? null,
    finding.uncoveredRegions,
    finding.coveredRegions,
    finding.warnings ?? [],
    exception ?? null,
  ]);
}

const STATUS_ORDER: Record<CellStatusValue, number> = { FAIL: 0, ERROR: 1, EXCEPTED: 2, PASS: 3 };

export function buildModel(report: ScanReport, options: ModelOptions = {}): PageModel {
  const titles = options.titles ?? catalogueTitle;
  const findings = report.findings;

  // Columns: every check that has a finding, in control order.
  const byCheck = new Map<CheckSlug, Finding[]>();
  for (const finding of findings) {
    const list = byCheck.get(finding.check) ?? [];
    list.push(finding);
    byCheck.set(finding.check, list);
  }
  const columns: PageColumn[] = [...byCheck]
    .map(([check, list]) => ({
      check,
      control: list[0]?.control ?? '',
      ...lookupTitle(titles, check, report),
      counts: countFindings(list),
    }))
    .sort((a, b) => compareControlNumbers(a.control, b.control) || a.check.localeCompare(b.check));
  const columnOf = new Map(columns.map((column, index) => [column.check, index]));

  // Causes, most urgent first (then control order, then the most accounts).
  const causeByKey = new Map<string, { finding: Finding; status: CellStatusValue; accountIds: string[] }>();
  for (const finding of findings) {
    const key = causeKey(finding);
    const cause = causeByKey.get(key);
    if (cause) cause.accountIds.push(finding.accountId);
    else causeByKey.set(key, { finding, status: cellStatus(finding), accountIds: [finding.accountId] });
  }
  const ordered = [...causeByKey.entries()].sort(
    ([, a], [, b]) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      (columnOf.get(a.finding.check) ?? 0) - (columnOf.get(b.finding.check) ?? 0) ||
      b.accountIds.length - a.accountIds.length,
  );
  const causeIdOf = new Map<string, string>();
  const causes: PageCause[] = ordered.map(([key, cause], index) => {
    const id = `c${index + 1}`;
    causeIdOf.set(key, id);
    return { id, ...cause };
  });

  // Rows: every account of the report, and any account a finding names that the list lacks.
  const accounts = [...report.accounts];
  const listed = new Set(accounts.map((a) => a.accountId));
  for (const finding of findings) {
    if (!listed.has(finding.accountId)) {
      listed.add(finding.accountId);
      accounts.push({ accountId: finding.accountId, status: 'SCANNED' });
    }
  }
  const cellsOf = new Map<string, (PageCell | undefined)[]>();
  for (const finding of findings) {
    const cells = cellsOf.get(finding.accountId) ?? new Array<PageCell | undefined>(columns.length).fill(undefined);
    cells[columnOf.get(finding.check) as number] = {
      status: cellStatus(finding),
      brokenLink: finding.brokenLink,
      causeId: causeIdOf.get(causeKey(finding)) as string,
    };
    cellsOf.set(finding.accountId, cells);
  }
  const names = new Map(accounts.filter((a) => a.name).map((a) => [a.accountId, a.name as string]));
  const groupsById = new Map<string, PageGroup>();
  for (const account of accounts) {
    const cells = cellsOf.get(account.accountId) ?? new Array<PageCell | undefined>(columns.length).fill(undefined);
    const has = new Set(cells.filter((c): c is PageCell => c !== undefined).map((c) => c.status));
    const row: PageRow = {
      accountId: account.accountId,
      ...(account.name ? { name: account.name } : {}),
      status: account.status,
      ...(account.error ? { error: account.error } : {}),
      cells,
      notPassing: cells.filter((c) => c && c.status !== 'PASS').length,
      has,
    };
    const { id, label } = ouLabel(account);
    const group = groupsById.get(id) ?? { id, label, rows: [] };
    group.rows.push(row);
    groupsById.set(id, group);
  }
  for (const group of groupsById.values()) {
    group.rows.sort(
      (a, b) =>
        Number(a.status === 'SKIPPED') - Number(b.status === 'SKIPPED') ||
        b.notPassing - a.notPassing ||
        (a.name ?? '').localeCompare(b.name ?? '') ||
        a.accountId.localeCompare(b.accountId),
    );
  }
  const groups = [...groupsById.values()].sort((a, b) => Number(a.id === '') - Number(b.id === '') || a.label.localeCompare(b.label));

  const counts = countFindings(findings);
  const worstChecks = columns
    .filter((c) => c.counts.fail + c.counts.error > 0)
    .sort((a, b) => b.counts.fail + b.counts.error - (a.counts.fail + a.counts.error) || compareControlNumbers(a.control, b.control));

  return {
    report,
    columns,
    groups,
    ouKnown: accounts.some((a) => a.ou !== undefined),
    causes,
    counts,
    accounts: {
      judged: accounts.filter((a) => a.status === 'SCANNED').length,
      throughOrganizationTrail: accounts.filter((a) => a.status === 'ORGANIZATION_TRAIL').length,
      skipped: accounts.filter((a) => a.status === 'SKIPPED').length,
      error: accounts.filter((a) => a.status === 'ERROR').length,
      total: accounts.length,
    },
    worstChecks,
    organizationTrails: organizationTrails(findings, columns),
    names,
  };
}

function lookupTitle(titles: ControlTitleLookup, check: CheckSlug, report: ScanReport): { title?: string } {
  try {
    const title = titles(check, report.benchmark);
    return title ? { title } : {};
  } catch {
    return {};
  }
}

/**
 * Each organization trail whose chains members are credited with: the accounts it serves (its
 * owner and those members) and, per check, how the findings it settles came out.
 */
function organizationTrails(findings: readonly Finding[], columns: readonly PageColumn[]): OrganizationTrailView[] {
  const credited = findings.filter((f) => f.evidence.organizationTrailOwner);
  const trails = new Map<string, { owner: string; trail?: string; logGroup?: string; findings: Finding[] }>();
  for (const finding of credited) {
    const owner = finding.evidence.organizationTrailOwner as string;
    const key = `${owner} ${finding.evidence.trail ?? ''}`;
    const entry = trails.get(key) ?? {
      owner,
      ...(finding.evidence.trail ? { trail: finding.evidence.trail } : {}),
      ...(finding.evidence.logGroup ? { logGroup: finding.evidence.logGroup } : {}),
      findings: [],
    };
    entry.findings.push(finding);
    trails.set(key, entry);
  }
  const order = new Map(columns.map((c, i) => [c.check, i]));
  return [...trails.values()].map((entry) => {
    // The owner's own findings through the same trail are settled by the same chains.
    const owned = entry.trail ? findings.filter((f) => f.accountId === entry.owner && f.evidence.trail === entry.trail) : [];
    const settled = [...owned, ...entry.findings];
    const byCheck = new Map<CheckSlug, Finding[]>();
    for (const finding of settled) {
      const list = byCheck.get(finding.check) ?? [];
      list.push(finding);
      byCheck.set(finding.check, list);
    }
    return {
      ownerAccountId: entry.owner,
      ...(entry.trail ? { trail: entry.trail } : {}),
      ...(entry.logGroup ? { logGroup: entry.logGroup } : {}),
      accountIds: [...new Set(settled.map((f) => f.accountId))].sort((a, b) => Number(b === entry.owner) - Number(a === entry.owner) || a.localeCompare(b)),
      checks: [...byCheck]
        .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
        .map(([check, list]) => ({
          check,
          control: list[0]?.control ?? '',
          counts: countFindings(list),
          brokenLinks: [...new Set(list.map((f) => f.brokenLink).filter((l): l is BrokenLink => l !== null))],
        })),
    };
  });
}
