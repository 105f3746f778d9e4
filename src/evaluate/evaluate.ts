/**
 * The chain evaluator: inventories in, one finding per account and check out. Pure: no AWS, no
 * clock, no I/O. A rule that throws gives an ERROR finding for that account and check, never a PASS.
 */
import type { AccountInventory, OrganizationContext } from '../collect/inventory';
import { controlsFor } from '../controls';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import { UsageError } from '../errors';
import { EvaluationContext } from './context';
import { errorFinding, judge } from './judge';
import { regionsNotScannedWarning } from './scope';
import type { Finding, StatusValue } from './types';

export interface EvaluateOptions {
  readonly benchmark: BenchmarkId;
  /** Every check of the benchmark when absent; a check the benchmark lacks is a UsageError. */
  readonly checks?: readonly CheckSlug[];
  /** Lets organization trails owned by the management account be credited to members that cannot see them. */
  readonly organization?: OrganizationContext;
  /** Accounts that could not be scanned at all (AssumeRole denied...): one ERROR finding per check, with the reason. */
  readonly failedAccounts?: readonly { readonly accountId: string; readonly error: string }[];
}

export interface FindingSummary {
  readonly pass: number;
  /** FAIL findings no exception covers. */
  readonly fail: number;
  /** ERROR findings no exception covers. */
  readonly error: number;
  /** FAIL and ERROR findings an exception covers (accepted risk); present when there are any. */
  readonly excepted?: number;
}

/**
 * One finding per account and check, accounts in the order given (failed accounts after the
 * scanned ones), checks in control order. An account both scanned and failed counts as failed.
 */
export function evaluate(inventories: readonly AccountInventory[], options: EvaluateOptions): Finding[] {
  const controls = controlsFor(options.benchmark, options.checks);
  const failedAccounts = options.failedAccounts ?? [];
  const seen = new Set<string>();
  for (const inventory of inventories) {
    if (seen.has(inventory.accountId)) throw new UsageError(`account ${inventory.accountId} has two inventories: give each account once`);
    seen.add(inventory.accountId);
  }
  const ctx = new EvaluationContext(inventories, failedAccounts, options.organization);
  const findings: Finding[] = [];
  for (const inventory of inventories) {
    const failure = ctx.failure(inventory.accountId);
    // Regions asked for but not enabled here: every finding of the account says its scope is smaller.
    const notScanned = inventory.regionsNotEnabled?.length ? regionsNotScannedWarning(inventory.accountId, inventory.regionsNotEnabled) : undefined;
    for (const control of controls) {
      if (failure !== undefined) {
        findings.push(errorFinding(inventory.accountId, control, `account ${inventory.accountId} could not be scanned: ${failure}`));
        continue;
      }
      let finding: Finding;
      try {
        finding = judge(inventory, control, ctx);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        finding = errorFinding(inventory.accountId, control, `trailwatch failed while evaluating this check (${message}); this is a bug, please report it`);
      }
      findings.push(notScanned ? { ...finding, warnings: [...(finding.warnings ?? []), notScanned] } : finding);
    }
  }
  const reported = new Set(inventories.map((inventory) => inventory.accountId));
  for (const failed of failedAccounts) {
    if (reported.has(failed.accountId)) continue;
    reported.add(failed.accountId);
    for (const control of controls) findings.push(errorFinding(failed.accountId, control, `account ${failed.accountId} could not be scanned: ${failed.error}`));
  }
  return findings;
}

/** How many findings of each status; excepted FAIL and ERROR findings are counted apart, as EXCEPTED. */
export function summarize(findings: readonly { readonly status: StatusValue; readonly exception?: unknown }[]): FindingSummary {
  const summary = { pass: 0, fail: 0, error: 0 };
  let excepted = 0;
  for (const finding of findings) {
    if (finding.status === 'PASS') summary.pass += 1;
    else if (finding.exception) excepted += 1;
    else if (finding.status === 'FAIL') summary.fail += 1;
    else summary.error += 1;
  }
  return excepted > 0 ? { ...summary, excepted } : summary;
}
