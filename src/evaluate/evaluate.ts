/**
 * The chain evaluator: inventories in, one finding per account and check out. Pure: no AWS, no
 * I/O; the only clock is the one `evaluateWithinDeadline` is given. A rule that throws gives an
 * ERROR finding for that account and check, never a PASS.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AccountInventory, OrganizationContext } from '../collect/inventory';
import { controlsFor } from '../controls';
import type { BenchmarkControl, BenchmarkId, CheckSlug } from '../controls/types';
import { UsageError } from '../errors';
import { EvaluationContext, EvaluationInterrupted, EvaluationPaused, type DecisionPacing } from './context';
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
  /** Take the reference patterns' text at its word, without CloudTrail knowledge (default: CloudTrail-aware). */
  readonly strictPatterns?: boolean;
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

/** The reason of a finding the evaluation had no time left for. */
export const EVALUATION_UNFINISHED = 'not judged: the scan reached its deadline while evaluating (the account was read; scan it again, alone or with a later deadline)';

/**
 * One finding per account and check, accounts in the order given (failed accounts after the
 * scanned ones), checks in control order. An account both scanned and failed counts as failed.
 */
export function evaluate(inventories: readonly AccountInventory[], options: EvaluateOptions): Finding[] {
  const steps = evaluation(inventories, options, { stopped: () => false, beforeDecision: () => undefined });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export interface EvaluationDeadline {
  /** Epoch milliseconds: the findings not judged by then are ERROR with EVALUATION_UNFINISHED. */
  readonly deadline?: number;
  /** Aborting it has the same effect. */
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

/** How long evaluation runs before giving timers and I/O a turn, between two judgements. */
const SLICE_MS = 50;
/**
 * How long one judgement may run before it pauses between two of its coverage decisions (and is
 * judged again afterwards, on its memoised decisions): only a judgement with many costly decisions
 * (many hostile filters) gets there, and the re-run costs little next to it.
 */
const JUDGEMENT_SLICE_MS = 500;

/**
 * `evaluate`, in slices that give the event loop a turn, stopping at the deadline: every account
 * and check still gets its finding, those not judged in time ERROR with the reason. Every coverage
 * decision is bounded by its work budget, so neither the deadline nor a slice is overrun by more
 * than one decision.
 */
export async function evaluateWithinDeadline(inventories: readonly AccountInventory[], options: EvaluateOptions & EvaluationDeadline): Promise<Finding[]> {
  return paced((pacing) => evaluation(inventories, options, pacing), options);
}

/** Runs an evaluation's steps in slices that give the event loop a turn, its decisions paced by the deadline. */
async function paced(start: (pacing: DecisionPacing) => Generator<'pause' | undefined, Finding[], void>, options: EvaluationDeadline): Promise<Finding[]> {
  const now = options.now ?? Date.now;
  let sliceStart = now();
  let decisions = 0;
  const pacing: DecisionPacing = {
    stopped: () => options.signal?.aborted === true || (options.deadline !== undefined && now() >= options.deadline),
    beforeDecision() {
      if (pacing.stopped()) throw new EvaluationInterrupted('the evaluation reached its deadline');
      // At least one decision per slice, so every slice makes progress.
      if (decisions > 0 && now() - sliceStart >= JUDGEMENT_SLICE_MS) throw new EvaluationPaused('time for the event loop');
      decisions += 1;
    },
  };
  const steps = start(pacing);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (step.value === 'pause' || now() - sliceStart >= SLICE_MS) {
      await nextTurn();
      sliceStart = now();
      decisions = 0;
    }
  }
}

/** The evaluation, one (account, check) at a time: yields after each, and 'pause' where a judgement paused for the event loop; returns the findings. */
function* evaluation(inventories: readonly AccountInventory[], options: EvaluateOptions, pacing: DecisionPacing): Generator<'pause' | undefined, Finding[], void> {
  const failedAccounts = options.failedAccounts ?? [];
  const seen = new Set<string>();
  for (const inventory of inventories) {
    if (seen.has(inventory.accountId)) throw new UsageError(`account ${inventory.accountId} has two inventories: give each account once`);
    seen.add(inventory.accountId);
  }
  const ctx = new EvaluationContext(inventories, failedAccounts, options.organization, pacing, options.strictPatterns === true);
  return yield* judging(ctx, inventories, failedAccounts, controlsFor(options.benchmark, options.checks), pacing);
}

/** The findings of `inventories` (in that order), then of the failed accounts without one, judged in `ctx`. */
function* judging(
  ctx: EvaluationContext,
  inventories: readonly AccountInventory[],
  failedAccounts: readonly { readonly accountId: string; readonly error: string }[],
  controls: readonly BenchmarkControl[],
  pacing: DecisionPacing,
): Generator<'pause' | undefined, Finding[], void> {
  const findings: Finding[] = [];
  let interrupted = false;
  for (const inventory of inventories) {
    const failure = ctx.failure(inventory.accountId);
    // Regions asked for but not enabled here: every finding of the account says its scope is smaller.
    const notScanned = inventory.regionsNotEnabled?.length ? regionsNotScannedWarning(inventory.accountId, inventory.regionsNotEnabled) : undefined;
    for (const control of controls) {
      if (failure !== undefined) {
        findings.push(errorFinding(inventory.accountId, control, `account ${inventory.accountId} could not be scanned: ${failure}`));
        continue;
      }
      interrupted ||= pacing.stopped();
      if (interrupted) {
        findings.push(errorFinding(inventory.accountId, control, EVALUATION_UNFINISHED));
        continue;
      }
      for (;;) {
        try {
          const finding = judge(inventory, control, ctx);
          findings.push(notScanned ? { ...finding, warnings: [...(finding.warnings ?? []), notScanned] } : finding);
        } catch (error) {
          // Judging is pure and its decisions are memoised: after the pause it runs again from the start, quickly up to where it stopped.
          if (error instanceof EvaluationPaused) {
            yield 'pause';
            continue;
          }
          if (error instanceof EvaluationInterrupted) {
            interrupted = true;
            findings.push(errorFinding(inventory.accountId, control, EVALUATION_UNFINISHED));
          } else {
            const message = error instanceof Error ? error.message : String(error);
            findings.push(errorFinding(inventory.accountId, control, `trailwatch failed while evaluating this check (${message}); this is a bug, please report it`));
          }
        }
        break;
      }
      yield undefined;
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

/**
 * An evaluation in parts, for a scan that judges each account as soon as what it depends on is
 * read and then keeps only its findings (and what other accounts may still look up). One context
 * serves every part, so coverage decisions and the organization's chains are judged once, as in
 * one evaluation; judged with the same inventories known, an account gets the findings `evaluate`
 * gives it.
 */
export class PartialEvaluation {
  private readonly ctx: EvaluationContext;
  private readonly controls: readonly BenchmarkControl[];

  constructor(options: Omit<EvaluateOptions, 'failedAccounts'>) {
    this.controls = controlsFor(options.benchmark, options.checks);
    this.ctx = new EvaluationContext([], [], options.organization, undefined, options.strictPatterns === true);
  }

  /** An inventory other accounts' judgements may look into, replacing what the account had; `member` of the organization or not. */
  know(inventory: AccountInventory, member = false): void {
    this.ctx.know(inventory, member);
  }

  /** An account that could not be read: judgements that need it say so. */
  failed(accountId: string, error: string): void {
    this.ctx.knowFailure(accountId, error);
  }

  /** The findings of these accounts (made known first), then ERROR findings of the failed accounts given, within the deadline. */
  async judge(
    inventories: readonly AccountInventory[],
    options: EvaluationDeadline & { readonly failedAccounts?: readonly { readonly accountId: string; readonly error: string }[] } = {},
  ): Promise<Finding[]> {
    for (const inventory of inventories) this.ctx.know(inventory);
    return paced((pacing) => {
      this.ctx.pacedBy(pacing);
      return judging(this.ctx, inventories, options.failedAccounts ?? [], this.controls, pacing);
    }, options);
  }
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
