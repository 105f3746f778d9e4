/**
 * Runs a list of changes account by account, in order: each change reads before it writes, a
 * run writes at most `maxChanges` times, and the first failure in an account stops that account
 * (the others go on). A change whose target is a look-alike is left alone, reported for a person,
 * and does not stop the account. What was not done is reported as such; since every step reads first, the
 * next run picks up exactly where this one stopped.
 */
import type { AccountSession, AwsClients } from '../aws/clients';
import { TrailwatchError } from '../errors';
import { ChangeStatus, type ApplyOptions, type ApplyResult, type ChangeOutcome, type ManualItem, type PendingSubscription } from './types';

export interface StepContext {
  readonly clients: AwsClients;
  readonly session: AccountSession;
  /** Call right before the first write of a step: throws once the run's bound is reached. */
  readonly beforeWrite: () => void;
}

export type StepResult =
  | {
      readonly status: typeof ChangeStatus.APPLIED | typeof ChangeStatus.UNCHANGED;
      readonly detail?: string;
      readonly pending?: Omit<PendingSubscription, 'checks'>;
    }
  | {
      readonly status: typeof ChangeStatus.LEFT_ALONE;
      readonly detail: string;
      /** The look-alike, for a person; absent when the change only depends on one already reported. */
      readonly manual?: Omit<ManualItem, 'checks' | 'forAccounts'>;
    };

/** Thrown by `beforeWrite` when the run may write no more. */
class WriteBoundReached extends TrailwatchError {}

interface Located {
  readonly id: string;
  readonly accountId: string;
  readonly checks?: readonly string[];
  readonly forAccounts?: readonly string[];
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { name?: string }).name;
    return code && code !== 'Error' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export async function runChanges<C extends Located>(
  changes: readonly C[],
  options: ApplyOptions,
  step: (change: C, context: StepContext) => Promise<StepResult>,
): Promise<ApplyResult<C>> {
  const { clients, maxChanges, signal } = options;
  const outcomes: ChangeOutcome<C>[] = [];
  const pending = new Map<string, PendingSubscription>();
  const manual = new Map<string, ManualItem>();
  let writes = 0;

  const record = (outcome: ChangeOutcome<C>) => {
    outcomes.push(outcome);
    options.onOutcome?.(outcome as never);
  };

  const accounts = [...new Set(changes.map((c) => c.accountId))];
  for (const accountId of accounts) {
    const own = changes.filter((c) => c.accountId === accountId);
    let stoppedBy: string | undefined;
    let session: AccountSession | undefined;
    try {
      session = await options.sessionFor(accountId);
    } catch (error) {
      stoppedBy = `no credentials for account ${accountId}: ${messageOf(error)}`;
    }

    for (const change of own) {
      if (signal?.aborted) {
        record({ change, status: ChangeStatus.NOT_ATTEMPTED, detail: 'the run was cancelled before this change' });
        continue;
      }
      if (stoppedBy !== undefined || session === undefined) {
        record({ change, status: ChangeStatus.NOT_ATTEMPTED, detail: stoppedBy ?? 'no session' });
        continue;
      }
      let wrote = false;
      const beforeWrite = () => {
        if (wrote) return;
        if (maxChanges !== undefined && writes >= maxChanges) throw new WriteBoundReached(`--max-changes ${maxChanges} reached`);
        wrote = true;
        writes += 1;
      };
      try {
        const result = await step(change, { clients, session, beforeWrite });
        record({ change, status: result.status, ...(result.detail ? { detail: result.detail } : {}) });
        if (result.status === ChangeStatus.LEFT_ALONE) {
          if (result.manual) {
            const item = manual.get(result.manual.id) ?? { ...result.manual, checks: [], forAccounts: [] };
            for (const check of change.checks ?? []) if (!item.checks.includes(check as never)) item.checks.push(check as never);
            for (const account of change.forAccounts ?? [change.accountId]) if (!item.forAccounts.includes(account)) item.forAccounts.push(account);
            manual.set(item.id, item);
          }
        } else if (result.pending) {
          const key = `${result.pending.topicArn}|${result.pending.protocol}|${result.pending.endpoint}`;
          const entry = pending.get(key) ?? { ...result.pending, checks: [] };
          for (const check of change.checks ?? []) if (!entry.checks.includes(check as never)) entry.checks.push(check as never);
          pending.set(key, entry);
        }
      } catch (error) {
        if (error instanceof WriteBoundReached) {
          record({ change, status: ChangeStatus.NOT_ATTEMPTED, detail: error.message });
          continue;
        }
        record({ change, status: ChangeStatus.FAILED, detail: messageOf(error) });
        stoppedBy = `not attempted: ${change.id} failed before it (${messageOf(error)})`;
      }
    }
  }

  const count = (status: ChangeOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return {
    outcomes,
    applied: count(ChangeStatus.APPLIED),
    failed: count(ChangeStatus.FAILED),
    notAttempted: count(ChangeStatus.NOT_ATTEMPTED),
    leftAlone: count(ChangeStatus.LEFT_ALONE),
    complete: outcomes.every((o) => o.status === ChangeStatus.APPLIED || o.status === ChangeStatus.UNCHANGED),
    pending: [...pending.values()],
    manual: [...manual.values()],
  };
}
