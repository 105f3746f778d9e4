/**
 * The one orchestrator: discover -> collect (bounded concurrency, deadline aware) -> read topics
 * owned by other scanned accounts -> read the queues, functions and keys those topics depend on
 * -> evaluate -> report -> remediate (when asked; before notify, so the email carries the plan or
 * what was repaired) -> notify. The CLI and the Lambda handlers
 * both call `runScan`; neither re-implements any of it.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import type { AwsClients } from './aws/clients';
import type { AccountInventory, OrganizationContext, ReadError, ResourcePolicyRecord, TopicRecord } from './collect/inventory';
import { readTopics, topicsOwnedElsewhere, withTopics, type TopicToRead } from './collect/cross-account-topics';
import { readResourcePolicies, resourcePoliciesWanted, withResourcePolicies, type ResourceToRead } from './collect/resource-policies';
import type { BenchmarkId, CheckSlug } from './controls/types';
import type { Finding } from './evaluate/types';
import { exceptReport } from './exceptions/apply';
import type { ExceptionRules } from './exceptions/types';
import { publishReport } from './notify/publish';
import { importToSecurityHub, type SecurityHubImportResult } from './notify/security-hub';
import type { NotifySettings, PublishResult } from './notify/types';
import type { AccountResult, ScanReport } from './report/types';
import { TrailwatchError } from './errors';
import { readAccount } from './collect';
import { AccountCredentials, DISCOVERY_SESSION, listAccounts, refuseUnknownRegions, type DiscoveredAccount } from './discover';
import { evaluateWithinDeadline, PartialEvaluation, regionsEnabledNowhere, RegionsEnabledNowhereError, summarize } from './evaluate';
import { accountsReferenced, lookupsOnly, ownsOrganizationTrail } from './collect/references';
import { memberJudgedThroughOrganization, organizationCoverage, type OrganizationCoverage } from './evaluate/organization-coverage';

export interface ScanProgress {
  readonly kind: 'discovered' | 'account-started' | 'account-finished' | 'account-skipped';
  readonly accountId?: string;
  readonly message?: string;
  readonly done?: number;
  readonly total?: number;
}

export interface ScanOptions {
  readonly benchmark: BenchmarkId;
  /** All checks of the benchmark when absent. */
  readonly checks?: readonly CheckSlug[];
  readonly accounts?: readonly string[];
  readonly excludeAccounts?: readonly string[];
  readonly ous?: readonly string[];
  /** Every enabled region when absent. */
  readonly regions?: readonly string[];
  /** The role assumed in every account but the scanner's own. */
  readonly roleName: string;
  readonly externalId?: string;
  /** Accounts collected at once. */
  readonly concurrency: number;
  /**
   * Read every member even when the organization trail settles every check (by default such a
   * member is judged through it without a call: ORGANIZATION_TRAIL). For comparisons.
   */
  readonly readEveryAccount?: boolean;
  /**
   * Judge each account as soon as what it depends on is read, then keep only its findings and what
   * other accounts may still look up in it (its topics, queues, functions and keys): memory does
   * not grow with the accounts already judged. `inventories` then holds what was kept. Not with
   * `remediate` (which plans from whole inventories); for callers that need only the report.
   */
  readonly releaseInventories?: boolean;
  /** Epoch milliseconds after which no new account is started and unfinished ones are given up. */
  readonly deadline?: number;
  /**
   * Epoch milliseconds by which evaluation stops (findings not judged by then are ERROR with the
   * reason). Default: the deadline, or EVALUATION_GRACE_MS after collection ends when that is later.
   */
  readonly evaluationDeadline?: number;
  readonly signal?: AbortSignal;
  /** The region for account-wide calls (STS, Organizations). */
  readonly homeRegion: string;
  /** The SDK client factory (endpoint, credentials, retries, call counting). */
  readonly clients: AwsClients;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Accepted risk (src/exceptions), applied to the findings after evaluation, before any report. */
  readonly exceptions?: ExceptionRules;
  /**
   * Read each account's root and OUs (for exceptions naming OUs, an inventory saved for later, and
   * the HTML page's grouping: each account's `ou`). Implied by such exceptions.
   */
  readonly organizationalUnits?: boolean;
  /** The clock exceptions expire by; the system's when absent. */
  readonly now?: () => Date;
  /**
   * Import the findings into Security Hub in the scanner's account (src/notify/security-hub);
   * archiveMissing only for a scan of the whole scope.
   */
  readonly securityHub?: { readonly region?: string; readonly archiveMissing: boolean };
  /** Decide filters on the reference patterns' text alone, without CloudTrail knowledge (default: CloudTrail-aware). */
  readonly strictPatterns?: boolean;
  /** Publish the report to SNS (src/notify publishReport) once it is built; nothing is published when absent. */
  readonly notify?: NotifySettings;
  /**
   * Remediation (REMEDIATE=plan|apply|approve), run on the evaluated scan before it is published: returns
   * the report to publish and return, with its `remediation` section (src/remediate remediationStep).
   */
  readonly remediate?: (scan: ScanResult) => Promise<ScanReport>;
}

export interface ScanResult {
  readonly report: ScanReport;
  /** The inventories collected, for --save-inventory and remediation. */
  readonly inventories: AccountInventory[];
  /** What publishReport did, when `notify` was set. */
  readonly notification?: PublishResult;
  /** The organization as discovered (to credit organization trails when re-evaluating offline). */
  readonly organization?: OrganizationContext;
  /** The account whose credentials ran the scan. */
  readonly callerAccountId?: string;
  /** What the Security Hub import did, when asked. */
  readonly securityHub?: SecurityHubImportResult;
}

/** An account the scan should read. */
export interface AccountToScan {
  readonly accountId: string;
  readonly name?: string;
  readonly ou?: AccountResult['ou'];
}

/** What discovery found: the accounts in scope, those listed but not scanned, the organization. */
export interface Discovery {
  readonly accounts: AccountToScan[];
  /** Listed for the record but not scanned (e.g. suspended accounts). */
  readonly skipped: AccountResult[];
  readonly organization?: OrganizationContext;
  readonly callerAccountId?: string;
  readonly notes: string[];
}

/**
 * Accounts as discovery finds them, so collection starts before discovery ends. An account handed
 * to `account` is a member of the organization unless it is the management account named first.
 */
export interface DiscoveryListener {
  /** Once, before any account: who the scanner is, and the organization's management account, whose organization trail is read first. */
  organization(facts: { readonly callerAccountId?: string; readonly managementAccountId?: string }): void;
  account(account: AccountToScan): void;
}

/** The steps runScan composes; the defaults talk to AWS, tests inject their own. */
export interface ScanSteps {
  /**
   * The accounts in scope. Handing accounts to `listener` as they are found is optional: the
   * resolved Discovery is the whole answer, and accounts it holds that were not handed out are
   * collected then. Collected accounts it does not hold are left out of the report.
   */
  discover(options: ScanOptions, listener?: DiscoveryListener): Promise<Discovery>;
  collect(account: AccountToScan, options: ScanOptions, signal: AbortSignal): Promise<AccountInventory>;
  /** Reads topics of an account that other accounts' alarms notify (optional second pass). */
  readTopics?(
    accountId: string,
    topics: readonly TopicToRead[],
    options: ScanOptions,
    signal: AbortSignal,
  ): Promise<{ topics: TopicRecord[]; readErrors: ReadError[] }>;
  /** Reads the queues, functions and keys of an account that the scan's topics depend on (optional last pass). */
  readResourcePolicies?(
    accountId: string,
    resources: readonly ResourceToRead[],
    options: ScanOptions,
    signal: AbortSignal,
  ): Promise<{ records: ResourcePolicyRecord[]; readErrors: ReadError[] }>;
  /** Evaluation in parts, for `releaseInventories` (without it the scan evaluates once, with `evaluate`). */
  partialEvaluation?(context: { benchmark: BenchmarkId; checks?: readonly CheckSlug[]; organization?: OrganizationContext; strictPatterns?: boolean }): PartialEvaluation;
  evaluate(
    inventories: AccountInventory[],
    context: {
      benchmark: BenchmarkId;
      checks?: readonly CheckSlug[];
      organization?: OrganizationContext;
      failedAccounts: { accountId: string; error: string }[];
      strictPatterns?: boolean;
      /** Stop judging then (or on abort): the rest ERROR with the reason. */
      deadline?: number;
      signal?: AbortSignal;
    },
  ): Finding[] | Promise<Finding[]>;
}

/** An account that could not be finished before the deadline. */
export class DeadlineReachedError extends TrailwatchError {}

export type AccountOutcome<T> =
  | { readonly kind: 'collected'; readonly accountId: string; readonly value: T }
  | { readonly kind: 'failed'; readonly accountId: string; readonly error: string }
  | { readonly kind: 'skipped'; readonly accountId: string; readonly error: string };

export const DEADLINE_SKIPPED = 'not scanned: deadline reached';
export const DEADLINE_UNFINISHED = 'not scanned: deadline reached before the account was finished';
/** A collection that ran up to the deadline still gets this long to judge what it read. */
export const EVALUATION_GRACE_MS = 5000;

/**
 * Runs `collectOne` for every account, `concurrency` at a time, as the accounts come (an array, or
 * an async iterable that discovery feeds). At the deadline (or on abort) it starts nothing new and
 * gives up on the accounts in flight, so the scan always ends in time and every account comes back
 * exactly once, in the order given. A source that throws stops the accounts in flight, then throws.
 */
export async function collectWithinDeadline<T>(
  accountIds: readonly string[] | AsyncIterable<string>,
  collectOne: (accountId: string, signal: AbortSignal) => Promise<T>,
  options: {
    concurrency: number;
    deadline?: number;
    signal?: AbortSignal;
    now?: () => number;
    onStart?: (accountId: string) => void;
    onFinish?: (outcome: AccountOutcome<T>) => void;
  },
): Promise<AccountOutcome<T>[]> {
  const now = options.now ?? Date.now;
  const stop = new AbortController();
  // Every SDK call of every account listens on this one signal.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort(new DeadlineReachedError('the scan was cancelled'));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();
  const timer =
    options.deadline === undefined
      ? undefined
      : setTimeout(() => stop.abort(new DeadlineReachedError(DEADLINE_UNFINISHED)), Math.max(0, options.deadline - now()));

  const stopped = new Promise<never>((_, reject) => {
    stop.signal.addEventListener('abort', () => reject(stop.signal.reason), { once: true });
  });
  stopped.catch(() => undefined);

  const limit = pLimit(Math.max(1, options.concurrency));
  const one = async (accountId: string): Promise<AccountOutcome<T>> => {
    if (stop.signal.aborted || (options.deadline !== undefined && now() >= options.deadline)) {
      return { kind: 'skipped', accountId, error: DEADLINE_SKIPPED };
    }
    options.onStart?.(accountId);
    try {
      const value = await Promise.race([collectOne(accountId, stop.signal), stopped]);
      return { kind: 'collected', accountId, value };
    } catch (error) {
      if (error instanceof DeadlineReachedError) return { kind: 'skipped', accountId, error: error.message };
      return { kind: 'failed', accountId, error: describeError(error) };
    }
  };
  const outcomes: Promise<AccountOutcome<T>>[] = [];
  const schedule = (id: string) =>
    outcomes.push(
      limit(async () => {
        const outcome = await one(id);
        options.onFinish?.(outcome);
        return outcome;
      }),
    );
  try {
    if (Symbol.asyncIterator in accountIds) {
      try {
        for await (const id of accountIds) schedule(id);
      } catch (error) {
        stop.abort(new DeadlineReachedError('the scan stopped: its discovery failed'));
        await Promise.allSettled(outcomes);
        throw error;
      }
    } else {
      for (const id of accountIds) schedule(id);
    }
    return await Promise.all(outcomes);
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** A queue of account ids that discovery fills and collection drains, as an async iterable. */
export class AccountFeed implements AsyncIterable<string> {
  private readonly items: string[] = [];
  private next = 0;
  private ended = false;
  private failure: { readonly error: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(accountId: string): void {
    this.items.push(accountId);
    this.notify();
  }

  /** No more accounts: the iteration ends once the queue is drained. */
  close(): void {
    this.ended = true;
    this.notify();
  }

  /** The iteration throws `error` once the queue is drained. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (;;) {
      if (this.next < this.items.length) {
        yield this.items[this.next++] as string;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/** One line for a person: the error's message, with its AWS code when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof TrailwatchError) return error.message;
  if (error instanceof Error) {
    const code = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${code}${error.message}`;
  }
  return String(error);
}

export async function runScan(options: ScanOptions, steps: ScanSteps = awsScanSteps()): Promise<ScanResult> {
  const startedAt = new Date().toISOString();
  const { discovery, ids, byId, owner, judged, outcomeOf, early } = await discoverAndCollect(options, steps);

  const collected: AccountInventory[] = [];
  const failedAccounts: { accountId: string; error: string }[] = [];
  const accounts: AccountResult[] = [];
  const counter = options.clients.callCounter;
  for (const accountId of ids) {
    const name = byId.get(accountId)?.name;
    const ou = byId.get(accountId)?.ou;
    const apiCalls = counter.totalFor(accountId);
    const coverage = owner?.coverage;
    if (judged.has(accountId) && coverage && owner.outcome.kind === 'collected') {
      collected.push(memberJudgedThroughOrganization(accountId, owner.outcome.value, coverage.trails));
      accounts.push({
        accountId,
        ...(name ? { name } : {}),
        status: 'ORGANIZATION_TRAIL',
        regions: [...coverage.regions],
        organizationTrail: { owner: coverage.owner, trails: [...coverage.trails] },
        notes: [`not read: the multi-region organization trail of account ${coverage.owner} settles every check, and a member cannot change it`],
        apiCalls,
        ...(ou ? { ou } : {}),
      });
      continue;
    }
    const outcome = outcomeOf.get(accountId);
    if (!outcome) continue;
    if (outcome.kind === 'collected') {
      collected.push(outcome.value);
      const notEnabled = outcome.value.regionsNotEnabled ?? [];
      accounts.push({
        accountId: outcome.accountId,
        ...(name ? { name } : {}),
        status: 'SCANNED',
        regions: outcome.value.regions,
        ...(notEnabled.length ? { regionsNotEnabled: notEnabled, notes: [`asked for but not enabled, not scanned: ${notEnabled.join(', ')}`] } : {}),
        apiCalls,
        ...(ou ? { ou } : {}),
      });
    } else {
      failedAccounts.push({ accountId: outcome.accountId, error: outcome.error });
      accounts.push({ accountId: outcome.accountId, ...(name ? { name } : {}), status: 'ERROR', error: outcome.error, apiCalls, ...(ou ? { ou } : {}) });
    }
  }

  // A region no account has enabled was a wrong scope from the start: a usage error, not a smaller report.
  const enabledNowhere = regionsEnabledNowhere(options.regions, collected);
  if (enabledNowhere.length > 0) throw new RegionsEnabledNowhereError(enabledNowhere, collected.length);

  const inventories = await addResourcePolicies(await addTopicsOwnedElsewhere(collected, options, steps), options, steps);

  const evaluationDeadline = evaluationDeadlineOf(options);
  const findings = early
    ? await early.finish(inventories, failedAccounts, { organization: discovery.organization, deadline: evaluationDeadline })
    : await steps.evaluate(inventories, {
    benchmark: options.benchmark,
    checks: options.checks,
    organization: discovery.organization,
    failedAccounts,
    ...(options.strictPatterns ? { strictPatterns: true } : {}),
    ...(evaluationDeadline !== undefined ? { deadline: evaluationDeadline } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });

  const apiCallsPerAccount = Object.fromEntries(counter.accounts().map((id) => [id, counter.totalFor(id)]));
  const evaluated: ScanReport = {
    benchmark: options.benchmark,
    startedAt,
    finishedAt: new Date().toISOString(),
    accounts: [...accounts, ...discovery.skipped],
    findings,
    summary: summarize(findings),
    stats: { apiCalls: counter.total(), apiCallsPerAccount, ...(discovery.notes.length ? { notes: discovery.notes } : {}) },
  };
  const scanned = options.exceptions
    ? exceptReport(evaluated, options.exceptions, {
        now: options.now?.() ?? new Date(),
        ...(discovery.organization?.accountParents ? { accountParents: discovery.organization.accountParents } : {}),
      })
    : evaluated;
  const facts = {
    inventories,
    ...(discovery.organization ? { organization: discovery.organization } : {}),
    ...(discovery.callerAccountId ? { callerAccountId: discovery.callerAccountId } : {}),
  };
  const report = options.remediate ? await options.remediate({ report: scanned, ...facts }) : scanned;
  const securityHub = options.securityHub ? await securityHubImport(report, options, discovery.callerAccountId) : undefined;
  // Notify once the report is whole; a PublishError carries the report, so the caller can log it before failing.
  const notification = options.notify ? await publishReport(report, options.notify, { clients: options.clients }) : undefined;
  return {
    report,
    inventories,
    ...(notification ? { notification } : {}),
    ...(securityHub ? { securityHub } : {}),
    ...(discovery.organization ? { organization: discovery.organization } : {}),
    ...(discovery.callerAccountId ? { callerAccountId: discovery.callerAccountId } : {}),
  };
}

function evaluationDeadlineOf(options: ScanOptions): number | undefined {
  return options.evaluationDeadline ?? (options.deadline === undefined ? undefined : Math.max(options.deadline, Date.now() + EVALUATION_GRACE_MS));
}

/**
 * The accounts judged as soon as they were read (ScanOptions.releaseInventories): their findings,
 * and the evaluation in parts that judges the rest once everything is read.
 */
class EarlyJudgement {
  private readonly findings = new Map<string, Finding[]>();
  /** False once it is known that nothing can be judged early (an owner whose chain needs other accounts). */
  private open = true;

  constructor(
    private readonly evaluation: PartialEvaluation,
    private readonly options: ScanOptions,
    private readonly steps: ScanSteps,
  ) {}

  /** The organization trail's owner, read: known to every judgement; a chain of its that needs another account closes early judgement. */
  owner(outcome: AccountOutcome<AccountInventory>): void {
    if (outcome.kind !== 'collected') {
      this.evaluation.failed(outcome.accountId, outcome.error);
      return;
    }
    this.evaluation.know(outcome.value);
    if (accountsReferenced(outcome.value).size > 0) this.open = false;
  }

  /**
   * Judges an account just read when it needs nothing of another account but the owner (read by
   * now, or outside the scan), after reading its own queues, functions and keys; returns what is
   * kept of it. An account that needs more, or owns an organization trail, is kept whole for the end.
   */
  async judge(inventory: AccountInventory, allowed: ReadonlySet<string>, member: boolean): Promise<AccountInventory> {
    if (!this.open || ownsOrganizationTrail(inventory) || [...accountsReferenced(inventory)].some((accountId) => !allowed.has(accountId))) return inventory;
    const [whole = inventory] = await addResourcePolicies([inventory], this.options, this.steps);
    this.evaluation.know(whole, member);
    const deadline = evaluationDeadlineOf(this.options);
    const findings = await this.evaluation.judge([whole], { ...(deadline !== undefined ? { deadline } : {}), ...(this.options.signal ? { signal: this.options.signal } : {}) });
    const kept = lookupsOnly(whole);
    this.evaluation.know(kept, member);
    this.findings.set(whole.accountId, findings);
    return kept;
  }

  /**
   * Every finding, in the order one evaluation gives them (accounts in the order given, the failed
   * ones after): the accounts judged early keep their findings, the others are judged now with
   * everything known.
   */
  async finish(
    inventories: readonly AccountInventory[],
    failedAccounts: readonly { accountId: string; error: string }[],
    context: { organization?: OrganizationContext; deadline?: number },
  ): Promise<Finding[]> {
    const members = new Set(context.organization?.memberAccountIds ?? []);
    for (const failed of failedAccounts) {
      // Judged before the deadline stopped its account: its findings are the failure's.
      this.findings.delete(failed.accountId);
      this.evaluation.failed(failed.accountId, failed.error);
    }
    for (const inventory of inventories) this.evaluation.know(inventory, members.has(inventory.accountId));
    const rest = inventories.filter((inventory) => !this.findings.has(inventory.accountId));
    const judged = await this.evaluation.judge(rest, {
      failedAccounts,
      ...(context.deadline !== undefined ? { deadline: context.deadline } : {}),
      ...(this.options.signal ? { signal: this.options.signal } : {}),
    });
    const byAccount = new Map<string, Finding[]>();
    for (const finding of judged) byAccount.set(finding.accountId, [...(byAccount.get(finding.accountId) ?? []), finding]);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const accountId of [...inventories.map((inventory) => inventory.accountId), ...failedAccounts.map((failed) => failed.accountId)]) {
      if (seen.has(accountId)) continue;
      seen.add(accountId);
      findings.push(...(this.findings.get(accountId) ?? byAccount.get(accountId) ?? []));
    }
    return findings;
  }
}

/** The organization trail's owner, collected (and its own queues, functions and keys read) before any member, and what its chain settles. */
interface OwnerFirst {
  readonly outcome: AccountOutcome<AccountInventory>;
  /** Undefined when the owner could not be read, or its chain settles nothing it can tell. */
  readonly coverage?: OrganizationCoverage;
}

interface Collection {
  readonly discovery: Discovery;
  /** The accounts in scope, in the discovery's order: the report's. */
  readonly ids: readonly string[];
  readonly byId: ReadonlyMap<string, AccountToScan>;
  readonly owner?: OwnerFirst;
  /** Members judged through the organization trail without being read. */
  readonly judged: ReadonlySet<string>;
  readonly outcomeOf: ReadonlyMap<string, AccountOutcome<AccountInventory>>;
  /** Set with ScanOptions.releaseInventories (and steps that evaluate in parts). */
  readonly early?: EarlyJudgement;
}

/**
 * Discovery and collection at once: each account discovery hands out is collected as soon as a
 * slot is free, while discovery goes on. The organization trail's owner (the management account)
 * comes first: members wait until its chain is read and judged on its inventory alone
 * (src/evaluate/organization-coverage.ts); then a member whose every check that chain settles is
 * judged through it without a call, and the others are read. Members wait for the owner only while
 * it may still come: until discovery ends without it.
 */
async function discoverAndCollect(options: ScanOptions, steps: ScanSteps): Promise<Collection> {
  const feed = new AccountFeed();
  const found = new Map<string, AccountToScan>();
  /** Handed out by discovery as found: members of the organization, the owner aside. */
  const handedOut = new Set<string>();
  const held: string[] = [];
  const judged = new Set<string>();
  let ownerId: string | undefined;
  let ownerState: 'none' | 'awaited' | 'reading' | 'read' = 'none';
  let owner: OwnerFirst | undefined;
  let members: ReadonlySet<string> = new Set();
  const discoveryDone: { discovery?: Discovery } = {};
  let done = 0;
  const total = () => discoveryDone.discovery?.accounts.length ?? found.size;
  // Judging accounts as they are read (ScanOptions.releaseInventories) starts once the organization's management account is known.
  const evaluateInParts = options.releaseInventories === true && !options.remediate ? steps.partialEvaluation?.bind(steps) : undefined;
  let early: EarlyJudgement | undefined;
  const startEarly = (managementAccountId: string | undefined) => {
    if (!evaluateInParts || early) return;
    const partial = evaluateInParts({
      benchmark: options.benchmark,
      ...(options.checks ? { checks: options.checks } : {}),
      ...(managementAccountId !== undefined ? { organization: { managementAccountId, memberAccountIds: [] } } : {}),
      ...(options.strictPatterns ? { strictPatterns: true } : {}),
    });
    early = new EarlyJudgement(partial, options, steps);
  };
  // A function, not a comparison: the callbacks change the state behind the compiler's back.
  const awaitingOwner = () => ownerState === 'awaited';

  const isMember = (accountId: string) => accountId !== ownerId && (handedOut.has(accountId) || members.has(accountId));
  const route = (accountId: string) => {
    if (owner?.coverage?.unsettled.length === 0 && options.readEveryAccount !== true && isMember(accountId)) {
      judged.add(accountId);
      done += 1;
      options.onProgress?.({ kind: 'account-finished', accountId, message: `judged through the organization trail of account ${owner.coverage.owner}`, done, total: total() });
    } else {
      feed.push(accountId);
    }
  };
  const release = () => {
    for (const accountId of held.splice(0)) route(accountId);
  };
  const closeWhenDone = () => {
    if (discoveryDone.discovery && ownerState !== 'reading') feed.close();
  };
  const take = (account: AccountToScan) => {
    const { accountId } = account;
    if (found.has(accountId)) return;
    found.set(accountId, account);
    if (accountId === ownerId && ownerState === 'awaited') {
      ownerState = 'reading';
      feed.push(accountId);
    } else if (ownerState === 'awaited' || ownerState === 'reading') {
      held.push(accountId);
    } else {
      route(accountId);
    }
  };
  const listener: DiscoveryListener = {
    organization(facts) {
      if (ownerState !== 'none' || found.size > 0) return;
      ownerId = facts.managementAccountId;
      startEarly(ownerId);
      // Judging accounts as they are read needs the owner read first, even when every member is read.
      if (ownerId !== undefined && (options.readEveryAccount !== true || evaluateInParts)) ownerState = 'awaited';
    },
    account(account) {
      handedOut.add(account.accountId);
      take(account);
    },
  };

  // The owner's collection goes on with its own queues, functions and keys, and the judgement of its chain.
  const collectOne = async (accountId: string, signal: AbortSignal): Promise<AccountInventory> => {
    const inventory = await steps.collect(found.get(accountId) as AccountToScan, options, signal);
    if (accountId !== ownerId || ownerState !== 'reading') {
      // The owner is read by now (or outside the scan): its chain is known to the judgement.
      const allowed = new Set(ownerId !== undefined ? [ownerId] : []);
      return early ? early.judge(inventory, allowed, isMember(accountId)) : inventory;
    }
    const { withPolicies, coverage } = await judgeOwner(inventory, options, steps);
    owner = { outcome: { kind: 'collected', accountId, value: withPolicies }, ...(coverage ? { coverage } : {}) };
    return withPolicies;
  };
  const ownerFinished = (outcome: AccountOutcome<AccountInventory>) => {
    if (outcome.accountId !== ownerId || ownerState !== 'reading') return;
    if (outcome.kind !== 'collected') owner = { outcome };
    if (owner) early?.owner(owner.outcome);
    ownerState = 'read';
    release();
    closeWhenDone();
  };

  const collecting = collectWithinDeadline(feed, collectOne, {
    concurrency: options.concurrency,
    deadline: options.deadline,
    signal: options.signal,
    onStart: (accountId) => options.onProgress?.({ kind: 'account-started', accountId, done, total: total() }),
    onFinish: (outcome) => {
      ownerFinished(outcome);
      done += 1;
      options.onProgress?.({
        kind: outcome.kind === 'collected' ? 'account-finished' : 'account-skipped',
        accountId: outcome.accountId,
        message: outcome.kind === 'collected' ? undefined : outcome.error,
        done,
        total: total(),
      });
    },
  });
  collecting.catch(() => undefined);

  let discovery: Discovery;
  try {
    discovery = await steps.discover(options, listener);
  } catch (error) {
    feed.fail(error);
    await collecting.catch(() => undefined);
    throw error;
  }
  // What discovery did not hand out as found (steps that answer all at once): the organization's owner first, as above.
  if (ownerState === 'none' && found.size === 0) {
    const ownerInScope = discovery.organization?.managementAccountId;
    const memberIds = new Set(discovery.organization?.memberAccountIds ?? []);
    const anyMember = discovery.accounts.some((a) => a.accountId !== ownerInScope && memberIds.has(a.accountId));
    if (ownerInScope !== undefined && anyMember && discovery.accounts.some((a) => a.accountId === ownerInScope)) listener.organization({ managementAccountId: ownerInScope });
  }
  startEarly(discovery.organization?.managementAccountId);
  members = new Set(discovery.organization?.memberAccountIds ?? []);
  discoveryDone.discovery = discovery;
  const owned = discovery.accounts.find((a) => a.accountId === ownerId);
  if (owned) take(owned);
  for (const account of discovery.accounts) take(account);
  options.onProgress?.({ kind: 'discovered', total: discovery.accounts.length, message: discovery.notes.join(' ') || undefined });
  if (awaitingOwner()) {
    // Discovery ended without the owner: no member waits for it.
    ownerState = 'none';
    release();
  }
  closeWhenDone();
  const outcomes = await collecting;

  const ids = [...new Set(discovery.accounts.map((a) => a.accountId))];
  const byId = new Map(discovery.accounts.map((a) => [a.accountId, a]));
  const outcomeOf = new Map(outcomes.map((outcome) => [outcome.accountId, outcome.accountId === owner?.outcome.accountId ? owner.outcome : outcome]));
  const inScope = new Set(ids);
  return { discovery, ids, byId, ...(owner ? { owner } : {}), judged: new Set([...judged].filter((id) => inScope.has(id))), outcomeOf, ...(early ? { early } : {}) };
}

/**
 * The organization trail's owner read before anything else, and what its chain settles: what
 * `discoverAndCollect` does before it reads members, for a step that collects no member itself
 * (distributed mode's Discover, which leaves out of the Map the members the chain settles).
 * Undefined when there is no owner to read first: no organization, its management account out
 * of scope, no member in scope, or every account asked to be read.
 */
export async function readOrganizationOwner(
  discovery: Discovery,
  options: ScanOptions,
  steps: ScanSteps,
): Promise<{ readonly outcome: AccountOutcome<AccountInventory>; readonly coverage?: OrganizationCoverage; readonly members: readonly string[] } | undefined> {
  const ownerId = discovery.organization?.managementAccountId;
  const owner = discovery.accounts.find((a) => a.accountId === ownerId);
  const memberIds = new Set(discovery.organization?.memberAccountIds ?? []);
  const members = discovery.accounts.filter((a) => a.accountId !== ownerId && memberIds.has(a.accountId)).map((a) => a.accountId);
  if (!owner || ownerId === undefined || members.length === 0 || options.readEveryAccount === true) return undefined;
  let coverage: OrganizationCoverage | undefined;
  const [outcome] = await collectWithinDeadline(
    [ownerId],
    async (_accountId, signal) => {
      const judged = await judgeOwner(await steps.collect(owner, options, signal), options, steps);
      coverage = judged.coverage;
      return judged.withPolicies;
    },
    { concurrency: 1, ...(options.deadline !== undefined ? { deadline: options.deadline } : {}), ...(options.signal ? { signal: options.signal } : {}) },
  );
  if (!outcome) return undefined;
  return { outcome, ...(coverage && outcome.kind === 'collected' ? { coverage } : {}), members };
}

/** The owner's inventory with its own queues, functions and keys read, and what its organization trail settles on it alone. */
async function judgeOwner(
  inventory: AccountInventory,
  options: ScanOptions,
  steps: ScanSteps,
): Promise<{ readonly withPolicies: AccountInventory; readonly coverage?: OrganizationCoverage }> {
  const [withPolicies = inventory] = await addResourcePolicies([inventory], options, steps);
  const organization = { managementAccountId: inventory.accountId, memberAccountIds: [] };
  const coverage = organizationCoverage(withPolicies, { benchmark: options.benchmark, checks: options.checks, organization });
  return { withPolicies, ...(coverage ? { coverage } : {}) };
}

/** The import, whose failure (even a whole one) is reported in its result and never costs the report. */
async function securityHubImport(report: ScanReport, options: ScanOptions, accountId: string | undefined): Promise<SecurityHubImportResult> {
  const all = (code: string, message: string): SecurityHubImportResult => ({
    imported: 0,
    archived: 0,
    suppressed: 0,
    reopened: 0,
    calls: 0,
    failed: report.findings.map((f) => ({ id: `trailwatch/${report.benchmark}/${f.accountId}/${f.check}`, code, message })),
  });
  if (!accountId) return all('NoAccount', 'the scanner\'s own account is unknown, so there is no Security Hub to import into');
  try {
    return await importToSecurityHub(report, options.clients, {
      accountId,
      region: options.securityHub?.region ?? options.homeRegion,
      archiveMissing: options.securityHub?.archiveMissing ?? false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    return all(describeError(error).split(':')[0] ?? 'Error', describeError(error));
  }
}

/**
 * Reads, per owner account and with its credentials, what the scan's inventories need from it,
 * and adds it to the owner's inventory. An owner whose read fails gets a read error (`scope`) per
 * item there, so the findings that need one say ERROR and why.
 */
async function readFromOwners<Item extends { readonly arn: string; readonly region: string }, Read>(
  inventories: AccountInventory[],
  wanted: Map<string, Item[]>,
  options: ScanOptions,
  how: {
    readonly read: (accountId: string, items: readonly Item[], signal: AbortSignal) => Promise<Read>;
    readonly add: (inventory: AccountInventory, read: Read | { readonly failed: ReadError[] }) => AccountInventory;
    readonly scope: ReadError['scope'];
  },
): Promise<AccountInventory[]> {
  if (wanted.size === 0) return inventories;
  const outcomes = await collectWithinDeadline([...wanted.keys()], (accountId, signal) => how.read(accountId, wanted.get(accountId) ?? [], signal), {
    concurrency: options.concurrency,
    deadline: options.deadline,
    signal: options.signal,
  });
  const byAccount = new Map(outcomes.map((outcome) => [outcome.accountId, outcome]));
  return inventories.map((inventory) => {
    const outcome = byAccount.get(inventory.accountId);
    if (!outcome) return inventory;
    if (outcome.kind === 'collected') return how.add(inventory, outcome.value);
    const failed = (wanted.get(inventory.accountId) ?? []).map(
      (item): ReadError => ({ scope: how.scope, resource: item.arn, region: item.region, code: 'Other', message: outcome.error }),
    );
    return how.add(inventory, { failed });
  });
}

/** The second pass: topics that one account's alarms notify in another scanned account. */
async function addTopicsOwnedElsewhere(inventories: AccountInventory[], options: ScanOptions, steps: ScanSteps): Promise<AccountInventory[]> {
  const readTopicsOf = steps.readTopics;
  if (!readTopicsOf) return inventories;
  return readFromOwners(inventories, topicsOwnedElsewhere(inventories), options, {
    read: (accountId, topics, signal) => readTopicsOf(accountId, topics, options, signal),
    add: (inventory, read) => withTopics(inventory, 'failed' in read ? { topics: [], readErrors: read.failed } : read),
    scope: 'topic',
  });
}

/**
 * The last pass: the queues and functions the topics deliver to and the keys they (and those
 * queues) are encrypted with, read once each with their owner's credentials when the owner is in
 * the scan. Queues name their keys, so a second round reads those; there is no third.
 */
async function addResourcePolicies(inventories: AccountInventory[], options: ScanOptions, steps: ScanSteps): Promise<AccountInventory[]> {
  const readOf = steps.readResourcePolicies;
  if (!readOf) return inventories;
  let current = inventories;
  for (let round = 0; round < 2; round += 1) {
    current = await readFromOwners(current, resourcePoliciesWanted(current), options, {
      read: (accountId, resources, signal) => readOf(accountId, resources, options, signal),
      add: (inventory, read) => withResourcePolicies(inventory, 'failed' in read ? { records: [], readErrors: read.failed } : read),
      scope: 'resourcePolicy',
    });
  }
  return current;
}

function namesOus(exceptions: ExceptionRules | undefined): boolean {
  return exceptions?.rules.some((rule) => rule.ous.length > 0) ?? false;
}

/**
 * Discovery as the real steps do it: the organization's accounts in scope (Organizations, STS),
 * the regions asked for checked first. Exported for distributed mode's discover step, which runs
 * it alone. With a listener, accounts are handed to it as found, once the regions are known good.
 */
export async function discoverAccounts(options: ScanOptions, listener?: DiscoveryListener): Promise<Discovery & { readonly callerAccountId: string }> {
  // A typo in the regions is refused before any account is read: accounts found meanwhile wait for the answer.
  const regionsChecked = options.regions ? refuseUnknownRegions(options.clients, DISCOVERY_SESSION, options.regions, options.homeRegion, options.signal) : Promise.resolve();
  regionsChecked.catch(() => undefined);
  let regionsKnownGood = false;
  const waiting: AccountToScan[] = [];
  void regionsChecked.then(
    () => {
      regionsKnownGood = true;
      for (const account of waiting.splice(0)) listener?.account(account);
    },
    () => undefined,
  );
  const toScan = (a: DiscoveredAccount): AccountToScan => ({ accountId: a.accountId, ...(a.name ? { name: a.name } : {}), ...(a.ou ? { ou: a.ou } : {}) });
  const found = await listAccounts(options.clients, DISCOVERY_SESSION, {
    accounts: options.accounts ? [...options.accounts] : undefined,
    excludeAccounts: options.excludeAccounts ? [...options.excludeAccounts] : undefined,
    ous: options.ous ? [...options.ous] : undefined,
    organizationalUnits: options.organizationalUnits === true || namesOus(options.exceptions),
    region: options.homeRegion,
    signal: options.signal,
    ...(listener
      ? {
          onOrganization: (facts: { readonly callerAccountId: string; readonly managementAccountId?: string }) => listener.organization(facts),
          onAccount: (account: DiscoveredAccount) => (regionsKnownGood ? listener.account(toScan(account)) : waiting.push(toScan(account))),
        }
      : {}),
  });
  await regionsChecked;
  return {
    accounts: found.accounts.map(toScan),
    skipped: found.notScanned.map((n) => ({
      accountId: n.accountId,
      ...(n.name ? { name: n.name } : {}),
      status: 'SKIPPED',
      error: n.reason,
      ...(n.ou ? { ou: n.ou } : {}),
    })),
    organization: found.organization,
    callerAccountId: found.callerAccountId,
    notes: found.notes,
  };
}

/**
 * The real steps: Organizations and STS for discovery, the collector per account, the pure evaluator.
 * `discovered`: discovery ran elsewhere (distributed mode's batches and aggregate), so collect and
 * the second passes assume the member role as that caller without discovering again.
 */
export function awsScanSteps(discovered?: { readonly callerAccountId: string }): ScanSteps {
  let credentials: AccountCredentials | undefined;
  const credentialsFor = (options: ScanOptions, callerAccountId: string) =>
    new AccountCredentials(options.clients, { callerAccountId, roleName: options.roleName, externalId: options.externalId, region: options.homeRegion });
  const credentialsOf = (options: ScanOptions): AccountCredentials | undefined =>
    (credentials ??= discovered ? credentialsFor(options, discovered.callerAccountId) : undefined);
  return {
    async discover(options, listener) {
      // Collection starts on the first account handed out, so the credentials are made as soon as the caller is known.
      const discovery = await discoverAccounts(options, listener && {
        organization: (facts) => {
          if (facts.callerAccountId !== undefined) credentials = credentialsFor(options, facts.callerAccountId);
          listener.organization(facts);
        },
        account: (account) => listener.account(account),
      });
      credentials = credentialsFor(options, discovery.callerAccountId);
      return discovery;
    },
    async collect(account, options, signal) {
      const credentials = credentialsOf(options);
      if (!credentials) throw new TrailwatchError('collect ran before discover');
      try {
        return await readAccount(options.clients, credentials, account.accountId, {
          regions: options.regions ? [...options.regions] : undefined,
          homeRegion: options.homeRegion,
          signal,
        });
      } finally {
        // Thousands of accounts' clients would otherwise live until the scan ends.
        options.clients.releaseAccount(account.accountId);
      }
    },
    async readTopics(accountId, topics, options, signal) {
      const credentials = credentialsOf(options);
      if (!credentials) throw new TrailwatchError('readTopics ran before discover');
      const session = await credentials.sessionFor(accountId, signal);
      return readTopics(options.clients, session, topics, signal);
    },
    async readResourcePolicies(accountId, resources, options, signal) {
      const credentials = credentialsOf(options);
      if (!credentials) throw new TrailwatchError('readResourcePolicies ran before discover');
      const session = await credentials.sessionFor(accountId, signal);
      try {
        return await readResourcePolicies(options.clients, session, resources, signal);
      } finally {
        options.clients.releaseAccount(accountId);
      }
    },
    partialEvaluation: (context) =>
      new PartialEvaluation({
        benchmark: context.benchmark,
        ...(context.checks ? { checks: [...context.checks] } : {}),
        ...(context.organization ? { organization: context.organization } : {}),
        ...(context.strictPatterns ? { strictPatterns: true } : {}),
      }),
    evaluate: (inventories, context) =>
      evaluateWithinDeadline(inventories, {
        benchmark: context.benchmark,
        checks: context.checks ? [...context.checks] : undefined,
        organization: context.organization,
        failedAccounts: context.failedAccounts,
        ...(context.strictPatterns ? { strictPatterns: true } : {}),
        deadline: context.deadline,
        signal: context.signal,
      }),
  };
}
