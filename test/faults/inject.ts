/**
 * Failures injected into the real SDK clients (AwsClients attempt hooks run inside the retry
 * loop, once per HTTP attempt): what AWS does under load and moto never does. Each injector
 * decides from the call itself and how many attempts that call has had, never from timing, so
 * a run is the same whatever order concurrent calls happen in.
 */
import { createHash } from 'node:crypto';
import type { AttemptHook, CallInfo } from '../../src/aws/clients';
import { awsError } from '../discover/faults';

const keyOf = (info: CallInfo) => `${info.accountId}|${info.region}|${info.service}:${info.operation}`;

/** A number in [0, 1) fixed by the text. */
function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** Every attempt, in order: what the bounds on retries are checked against. */
export class AttemptLog {
  readonly attempts: CallInfo[] = [];
  readonly hook: AttemptHook = (info) => {
    this.attempts.push(info);
  };

  /** Attempts per "account|region|Service:Operation". */
  byCall(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const info of this.attempts) counts.set(keyOf(info), (counts.get(keyOf(info)) ?? 0) + 1);
    return counts;
  }

  count(where: (info: CallInfo) => boolean = () => true): number {
    return this.attempts.filter(where).length;
  }
}

/** Injects `error()` on the attempts `fails(info, attemptOfThisCall)` selects; counts what it injected. */
export class FaultInjector {
  private readonly attemptsSoFar = new Map<string, number>();
  injected = 0;

  constructor(
    private readonly fails: (info: CallInfo, attempt: number) => boolean,
    private readonly error: (info: CallInfo) => Error,
  ) {}

  readonly hook: AttemptHook = (info) => {
    const key = keyOf(info);
    const attempt = (this.attemptsSoFar.get(key) ?? 0) + 1;
    this.attemptsSoFar.set(key, attempt);
    if (this.fails(info, attempt)) {
      this.injected += 1;
      throw this.error(info);
    }
  };
}

/** ThrottlingException on about `rate` of the attempts made for these accounts (fixed per call and attempt). */
export function throttlingStorm(accounts: readonly string[], rate: number): FaultInjector {
  const selected = new Set(accounts);
  return new FaultInjector(
    (info, attempt) => selected.has(info.accountId) && unitHash(`${keyOf(info)}#${attempt}`) < rate,
    () => awsError('ThrottlingException', 400, 'Rate exceeded'),
  );
}

/** 5xx answers: the first `attempts` attempts of each selected call fail (Infinity: every attempt). */
export function serverErrors(when: (info: CallInfo) => boolean, attempts: number, status: 500 | 503 = 503): FaultInjector {
  const name = status === 503 ? 'ServiceUnavailable' : 'InternalFailure';
  return new FaultInjector(
    (info, attempt) => when(info) && attempt <= attempts,
    () => awsError(name, status, status === 503 ? 'Service Unavailable' : 'We encountered an internal error. Please try again.'),
  );
}

/** AssumeRole into these accounts is refused, as a missing or untrusting member role is. */
export function assumeRoleDenied(accounts: readonly string[]): FaultInjector {
  const denied = new Set(accounts);
  return new FaultInjector(
    (info) => info.operation === 'AssumeRole' && denied.has(info.accountId),
    (info) =>
      awsError(
        'AccessDenied',
        403,
        `User: arn:aws:sts::123456789012:assumed-role/trailwatch/scan is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${info.accountId}:role/OrganizationAccountAccessRole`,
      ),
  );
}

/**
 * Every attempt for these accounts waits `delayMs` first, as an account behind a slow or saturated
 * endpoint. `release()` drops the waits still pending: the scan has given up on those calls, and a
 * wait that ended after the test file would run SDK code in a torn-down jest environment.
 */
export function slowAccounts(accounts: readonly string[], delayMs: number): { hook: AttemptHook; release(): void } {
  const slow = new Set(accounts);
  const timers = new Set<NodeJS.Timeout>();
  return {
    hook: (info) =>
      slow.has(info.accountId)
        ? new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, delayMs);
            timer.unref();
            timers.add(timer);
          })
        : undefined,
    release: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** Calls into these regions fail as AWS fails them in a region the account has not enabled; they are also logged. */
export function disabledRegions(regions: readonly string[]): FaultInjector {
  const disabled = new Set(regions);
  return new FaultInjector(
    (info) => disabled.has(info.region),
    () => awsError('UnrecognizedClientException', 400, 'The security token included in the request is invalid.'),
  );
}
