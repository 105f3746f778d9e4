/**
 * Security Hub import (`scan --security-hub`, SECURITY_HUB=true): the report's findings as ASFF
 * into the scanner's own account and home region with BatchImportFindings, at most 100 a call.
 *
 * - Findings Security Hub refuses are tried again, then reported one by one, never dropped.
 * - A trailwatch finding of this benchmark that the scan no longer produces (an account left the
 *   organization, a check was dropped) is sent again with RecordState ARCHIVED.
 * - Exceptions: BatchImportFindings sets Workflow and Note only when it creates a finding; after
 *   that Security Hub ignores them (only BatchUpdateFindings changes them), and nothing ever lifts
 *   a SUPPRESSED status by itself. So the workflow of findings Security Hub already holds is kept
 *   in step with BatchUpdateFindings: an excepted finding is SUPPRESSED with the exception as its
 *   Note; a finding trailwatch suppressed whose exception expired or was removed is set back to NEW
 *   (RESOLVED when it now passes). A finding a person suppressed (a Note not by trailwatch) is left
 *   alone.
 */
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { AwsClients } from '../aws/clients';
import { ASFF_BATCH_LIMIT, defaultProductArn, renderAsff, type AsffFinding } from '../report/asff';
import type { ScanReport } from '../report/types';

/** Who trailwatch's Notes are by: how it tells its own suppressions from a person's. */
export const NOTE_AUTHOR = 'trailwatch';

export interface SecurityHubImportOptions {
  /** The scanner's account: the findings are imported there, under its default product. */
  readonly accountId: string;
  readonly region: string;
  /**
   * Archive the findings of account/check pairs this scan did not produce. Only for a scan of
   * the whole scope: a scan narrowed to some accounts or checks must not archive the others.
   */
  readonly archiveMissing: boolean;
  /** Attempts for a finding Security Hub refuses (the SDK retries throttling by itself). */
  readonly attempts?: number;
  readonly signal?: AbortSignal;
}

export interface SecurityHubFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

export interface SecurityHubImportResult {
  /** Findings of this scan Security Hub accepted. */
  readonly imported: number;
  /** Findings of pairs no longer produced, now ARCHIVED. */
  readonly archived: number;
  /** Excepted findings Security Hub already held, set SUPPRESSED with the exception as Note. */
  readonly suppressed: number;
  /** Findings trailwatch had suppressed that no exception covers any more, set NEW (RESOLVED when passing). */
  readonly reopened: number;
  /** What Security Hub still refused after the last attempt, or all of a call that failed outright. */
  readonly failed: SecurityHubFailure[];
  readonly calls: number;
}

/** What Security Hub holds of a finding's workflow, read before the import. */
export interface HeldWorkflow {
  readonly status?: string;
  readonly noteBy?: string;
  readonly noteText?: string;
}

/** One BatchUpdateFindings request's worth: the same workflow status and note for up to 100 findings. */
export interface WorkflowUpdate {
  readonly status: 'NEW' | 'RESOLVED' | 'SUPPRESSED';
  readonly note: string;
  readonly ids: string[];
  readonly kind: 'suppress' | 'reopen';
}

/**
 * The workflow changes the import itself cannot make (pure). A finding Security Hub does not hold
 * yet is created with the Workflow and Note it is imported with, so it needs none.
 */
export function workflowUpdates(current: readonly AsffFinding[], held: ReadonlyMap<string, HeldWorkflow>, finishedAt: string): WorkflowUpdate[] {
  const groups = new Map<string, WorkflowUpdate>();
  const add = (kind: WorkflowUpdate['kind'], status: WorkflowUpdate['status'], note: string, id: string): void => {
    const key = `${status}\n${note}`;
    const group = groups.get(key) ?? { kind, status, note, ids: [] };
    group.ids.push(id);
    groups.set(key, group);
  };
  for (const finding of current) {
    const before = held.get(finding.Id);
    if (!before) continue;
    const suppressedByUs = before.status === 'SUPPRESSED' && before.noteBy === NOTE_AUTHOR;
    const suppressedByPerson = before.status === 'SUPPRESSED' && !suppressedByUs;
    if (finding.Workflow?.Status === 'SUPPRESSED' && finding.Note) {
      if (suppressedByPerson || (suppressedByUs && before.noteText === finding.Note.Text)) continue;
      add('suppress', 'SUPPRESSED', finding.Note.Text, finding.Id);
    } else if (suppressedByUs) {
      const passes = finding.Compliance.Status === 'PASSED';
      add('reopen', passes ? 'RESOLVED' : 'NEW', `trailwatch: no exception in force covers this finding as of ${finishedAt}${passes ? '; it passes' : ': it counts again'}`, finding.Id);
    }
  }
  // BatchUpdateFindings takes at most 100 findings a call.
  return [...groups.values()].flatMap((group) => chunks(group.ids, ASFF_BATCH_LIMIT).map((ids) => ({ ...group, ids })));
}

/**
 * A held finding sent back as ARCHIVED: only the attributes BatchImportFindings requires (and the
 * compliance it had), not what Security Hub added to it when it read it back.
 */
export function archivedCopy(finding: AwsSecurityFinding, updatedAt: string): AwsSecurityFinding {
  return {
    SchemaVersion: finding.SchemaVersion,
    Id: finding.Id,
    ProductArn: finding.ProductArn,
    GeneratorId: finding.GeneratorId,
    AwsAccountId: finding.AwsAccountId,
    Types: finding.Types,
    CreatedAt: finding.CreatedAt,
    UpdatedAt: updatedAt,
    Severity: finding.Severity,
    Title: finding.Title,
    Description: finding.Description,
    Resources: finding.Resources,
    ...(finding.Compliance ? { Compliance: finding.Compliance } : {}),
    RecordState: 'ARCHIVED',
  };
}

/**
 * The pairs to archive (pure): held ACTIVE findings this scan did not produce whose account is
 * gone from the scan or whose check the scan no longer has. An account the report lists as in
 * ERROR keeps its findings: not being able to look is no reason to close them.
 */
export function findingsToArchive(held: readonly AwsSecurityFinding[], produced: ReadonlySet<string>, report: ScanReport, prefix: string): AwsSecurityFinding[] {
  const judged = new Set(report.accounts.filter((a) => a.status === 'SCANNED' || a.status === 'ORGANIZATION_TRAIL' || a.status === 'ERROR').map((a) => a.accountId));
  const checks = new Set(report.findings.map((f) => f.check as string));
  return held.filter((f) => {
    if (!f.Id || produced.has(f.Id) || !f.Id.startsWith(prefix)) return false;
    const [accountId, check] = f.Id.slice(prefix.length).split('/');
    if (accountId === undefined || check === undefined) return false;
    const accountInError = report.accounts.some((a) => a.accountId === accountId && a.status === 'ERROR');
    return !judged.has(accountId) || (!accountInError && !checks.has(check));
  });
}

/** The findings of this trailwatch benchmark that Security Hub holds as ACTIVE. */
async function activeFindings(hub: SecurityHubClient, options: SecurityHubImportOptions, productArn: string, generatorPrefix: string): Promise<{ findings: AwsSecurityFinding[]; calls: number }> {
  const found: AwsSecurityFinding[] = [];
  let token: string | undefined;
  let calls = 0;
  do {
    const page = await hub.send(
      new GetFindingsCommand({
        Filters: {
          ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
          GeneratorId: [{ Value: generatorPrefix, Comparison: 'PREFIX' }],
          RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
        },
        MaxResults: 100,
        NextToken: token,
      }),
      { abortSignal: options.signal },
    );
    calls += 1;
    found.push(...(page.Findings ?? []));
    token = page.NextToken || undefined;
  } while (token);
  // The filters again, here: an emulator (or a future API change) may not apply them.
  const findings = found.filter(
    (f) => f.ProductArn === productArn && (f.GeneratorId ?? '').startsWith(generatorPrefix) && (f.RecordState ?? 'ACTIVE') === 'ACTIVE',
  );
  return { findings, calls };
}

export async function importToSecurityHub(report: ScanReport, clients: AwsClients, options: SecurityHubImportOptions): Promise<SecurityHubImportResult> {
  const hub = clients.securityHub({ accountId: options.accountId }, options.region);
  const productArn = defaultProductArn(options.region, options.accountId);
  const current = renderAsff(report, { awsAccountId: options.accountId, region: options.region, productArn, importedByScanner: true });
  const idPrefix = `trailwatch/${report.benchmark}/`;
  const attempts = Math.max(1, options.attempts ?? 3);
  const failed: SecurityHubFailure[] = [];
  let calls = 0;

  // What Security Hub holds already: for archiving and for the workflow of excepted findings.
  let held: AwsSecurityFinding[] | undefined;
  try {
    const read = await activeFindings(hub, options, productArn, idPrefix);
    calls += read.calls;
    held = read.findings;
  } catch (error) {
    calls += 1;
    failed.push({
      id: '(reading the findings Security Hub holds)',
      code: errorCode(error),
      message: `${(error as Error).message}: nothing archived, and exceptions reach only findings Security Hub did not hold yet`,
    });
  }

  const produced = new Set(current.map((f) => f.Id));
  const archived = options.archiveMissing && held ? findingsToArchive(held, produced, report, idPrefix).map((f) => archivedCopy(f, report.finishedAt)) : [];
  const sent = await sendInBatches([...(current as unknown as AwsSecurityFinding[]), ...archived], attempts, async (batch) => {
    const answer = await hub.send(new BatchImportFindingsCommand({ Findings: batch }), { abortSignal: options.signal });
    return (answer.FailedFindings ?? []).map((r) => ({ id: r.Id ?? '', code: r.ErrorCode ?? 'Unknown', message: r.ErrorMessage ?? '' }));
  }, (f) => f.Id ?? '');
  calls += sent.calls;
  failed.push(...sent.failed);
  const archivedIds = new Set(archived.map((f) => f.Id ?? ''));

  // Only for findings the import took: their workflow is what is left to set.
  const heldWorkflow = new Map((held ?? []).map((f) => [f.Id ?? '', { status: f.Workflow?.Status ?? f.WorkflowState, noteBy: f.Note?.UpdatedBy, noteText: f.Note?.Text }]));
  const updates = workflowUpdates(current.filter((f) => sent.accepted.has(f.Id)), heldWorkflow, report.finishedAt);
  let suppressed = 0;
  let reopened = 0;
  for (const update of updates) {
    const done = await sendInBatches(update.ids, attempts, async (ids) => {
      const answer = await hub.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: ids.map((Id) => ({ Id, ProductArn: productArn })),
          Workflow: { Status: update.status },
          Note: { Text: update.note, UpdatedBy: NOTE_AUTHOR },
        }),
        { abortSignal: options.signal },
      );
      return (answer.UnprocessedFindings ?? []).map((u) => ({ id: u.FindingIdentifier?.Id ?? '', code: u.ErrorCode ?? 'Unknown', message: u.ErrorMessage ?? '' }));
    }, (id) => id);
    calls += done.calls;
    failed.push(...done.failed.map((f) => ({ ...f, message: `setting workflow ${update.status}: ${f.message}` })));
    if (update.kind === 'suppress') suppressed += done.accepted.size;
    else reopened += done.accepted.size;
  }

  return {
    imported: [...sent.accepted].filter((id) => !archivedIds.has(id)).length,
    archived: [...sent.accepted].filter((id) => archivedIds.has(id)).length,
    suppressed,
    reopened,
    failed,
    calls,
  };
}

/**
 * Sends items 100 a call; what the answer refuses is sent again (up to `attempts` times), then
 * reported. A call that fails outright (the SDK has already retried what is worth retrying)
 * reports its whole batch.
 */
async function sendInBatches<T>(
  items: readonly T[],
  attempts: number,
  send: (batch: T[]) => Promise<SecurityHubFailure[]>,
  idOf: (item: T) => string,
): Promise<{ accepted: Set<string>; failed: SecurityHubFailure[]; calls: number }> {
  const accepted = new Set<string>();
  const failed: SecurityHubFailure[] = [];
  let calls = 0;
  for (const first of chunks(items, ASFF_BATCH_LIMIT)) {
    let batch = first;
    for (let attempt = 1; batch.length > 0; attempt += 1) {
      let refused: SecurityHubFailure[];
      calls += 1;
      try {
        refused = await send(batch);
      } catch (error) {
        failed.push(...batch.map((item) => ({ id: idOf(item), code: errorCode(error), message: (error as Error).message })));
        break;
      }
      const again = new Set(refused.map((r) => r.id));
      for (const item of batch) if (!again.has(idOf(item))) accepted.add(idOf(item));
      if (refused.length === 0) break;
      if (attempt >= attempts) {
        failed.push(...refused);
        break;
      }
      batch = batch.filter((item) => again.has(idOf(item)));
    }
  }
  return { accepted, failed, calls };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function errorCode(error: unknown): string {
  const name = (error as Error)?.name;
  return name && name !== 'Error' ? name : 'Error';
}

/** Lines for a person: what was imported, archived and changed, and each failure (at most `maxFailures`). */
export function describeImport(result: SecurityHubImportResult, maxFailures = 20): string[] {
  const changed = [result.suppressed > 0 ? `${result.suppressed} suppressed (excepted)` : '', result.reopened > 0 ? `${result.reopened} reopened (exception no longer in force)` : '']
    .filter(Boolean)
    .map((s) => `, ${s}`)
    .join('');
  const head = `Security Hub: ${result.imported} finding(s) imported, ${result.archived} archived${changed}, ${result.failed.length} failed`;
  const shown = result.failed.slice(0, maxFailures).map((f) => `  failed ${f.id}: ${f.code}: ${f.message}`);
  const more = result.failed.length > maxFailures ? [`  ... and ${result.failed.length - maxFailures} more failure(s)`] : [];
  return [head, ...shown, ...more];
}
