/**
 * Security Hub import (`scan --security-hub`, SECURITY_HUB=true): the report's findings as ASFF
 * into the scanner's own account and home region with BatchImportFindings, at most 100 a call.
 * Findings Security Hub refuses are tried again, then reported one by one, never dropped; a
 * trailwatch finding of this benchmark that the scan no longer produces (an account left the
 * organization, a check was dropped) is sent again with RecordState ARCHIVED.
 */
import { BatchImportFindingsCommand, GetFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsClients } from '../aws/clients';
import { ASFF_BATCH_LIMIT, defaultProductArn, renderAsff, type AsffFinding } from '../report/asff';
import type { ScanReport } from '../report/types';

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
  readonly imported: number;
  readonly archived: number;
  /** Findings still refused after the last attempt, or all of them when a call failed outright. */
  readonly failed: SecurityHubFailure[];
  readonly calls: number;
}

/** The findings of this trailwatch benchmark that Security Hub holds as ACTIVE. */
async function activeFindings(
  clients: AwsClients,
  session: { accountId: string },
  options: SecurityHubImportOptions,
  productArn: string,
  generatorPrefix: string,
): Promise<{ findings: AwsSecurityFinding[]; calls: number }> {
  const hub = clients.securityHub(session, options.region);
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
  const session = { accountId: options.accountId };
  const productArn = defaultProductArn(options.region, options.accountId);
  const current = renderAsff(report, { awsAccountId: options.accountId, region: options.region, productArn, importedByScanner: true });
  let calls = 0;
  const failed: SecurityHubFailure[] = [];

  let archived: AwsSecurityFinding[] = [];
  if (options.archiveMissing) {
    try {
      const existing = await activeFindings(clients, session, options, productArn, `trailwatch/${report.benchmark}/`);
      calls += existing.calls;
      const produced = new Set(current.map((f) => f.Id));
      archived = existing.findings
        .filter((f) => f.Id && !produced.has(f.Id))
        .map((f) => ({ ...f, RecordState: 'ARCHIVED', UpdatedAt: report.finishedAt }));
    } catch (error) {
      failed.push({ id: '(archiving)', code: errorCode(error), message: `cannot read the findings to archive: ${(error as Error).message}` });
    }
  }

  const toSend = [...(current as unknown as AwsSecurityFinding[]), ...archived];
  const hub = clients.securityHub(session, options.region);
  const attempts = Math.max(1, options.attempts ?? 3);
  let imported = 0;
  for (let start = 0; start < toSend.length; start += ASFF_BATCH_LIMIT) {
    let batch = toSend.slice(start, start + ASFF_BATCH_LIMIT);
    for (let attempt = 1; batch.length > 0; attempt += 1) {
      let refused: { Id?: string; ErrorCode?: string; ErrorMessage?: string }[];
      try {
        const answer = await hub.send(new BatchImportFindingsCommand({ Findings: batch }), { abortSignal: options.signal });
        calls += 1;
        refused = answer.FailedFindings ?? [];
        imported += batch.length - refused.length;
      } catch (error) {
        calls += 1;
        // The SDK has already retried what is worth retrying: the whole batch is reported.
        failed.push(...batch.map((f) => ({ id: f.Id ?? '', code: errorCode(error), message: (error as Error).message })));
        break;
      }
      if (refused.length === 0) break;
      if (attempt >= attempts) {
        failed.push(...refused.map((r) => ({ id: r.Id ?? '', code: r.ErrorCode ?? 'Unknown', message: r.ErrorMessage ?? '' })));
        break;
      }
      const again = new Set(refused.map((r) => r.Id));
      batch = batch.filter((f) => again.has(f.Id));
    }
  }
  const archivedIds = new Set(archived.map((f) => f.Id));
  const failedIds = new Set(failed.map((f) => f.id));
  return {
    imported: imported - [...archivedIds].filter((id) => !failedIds.has(id ?? '')).length,
    archived: [...archivedIds].filter((id) => !failedIds.has(id ?? '')).length,
    failed,
    calls,
  };
}

function errorCode(error: unknown): string {
  const name = (error as Error)?.name;
  return name && name !== 'Error' ? name : 'Error';
}

/** One line for a person: what was imported and archived, and each failure. */
export function describeImport(result: SecurityHubImportResult): string[] {
  const head = `Security Hub: ${result.imported} finding(s) imported, ${result.archived} archived, ${result.failed.length} failed`;
  return [head, ...result.failed.map((f) => `  failed ${f.id}: ${f.code}: ${f.message}`)];
}

export type { AsffFinding };
