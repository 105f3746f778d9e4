/**
 * Everything a rule may look up besides the resource it judges: the other accounts' inventories
 * (organization trails, cross-account topics), accounts whose scan failed, read errors, and a
 * memo of pattern coverage (the costly part, shared by every account and check).
 */
import type { AccountInventory, OrganizationContext, ReadError, ResourcePolicyRecord, TopicRecord } from '../collect/inventory';
import { controlsFor, inScope } from '../controls';
import type { BenchmarkControl } from '../controls/types';
import { covers, parsePattern, PatternSyntaxError, type CoverageResult, type Pattern } from '../pattern';
import { arnName, logGroupKey, parseArn } from '../arn';
import { TrailwatchError } from '../errors';
import { named } from './text';
import type { Chain } from './chains';
import { coverageOfControl, type ControlCoverage } from './control-coverage';

/** The evaluation reached its deadline: thrown before a coverage decision, caught by the evaluator. */
export class EvaluationInterrupted extends TrailwatchError {}
/** The evaluation should give the event loop a turn: thrown before a coverage decision; the evaluator judges again after it. */
export class EvaluationPaused extends TrailwatchError {}

/** How the evaluation is paced: whether it must stop, and a hook before each coverage decision that is not memoised. */
export interface DecisionPacing {
  stopped(): boolean;
  /** May throw EvaluationInterrupted or EvaluationPaused. */
  beforeDecision(): void;
}

export type ParsedCandidate = { readonly ok: true; readonly pattern: Pattern } | { readonly ok: false; readonly error: PatternSyntaxError };

export type TopicLookup =
  | { readonly found: true; readonly topic: TopicRecord; readonly inventory: AccountInventory }
  | { readonly found: false; readonly reason: string };

/**
 * A queue, function or key a topic depends on: read (found), in an account outside the scan
 * (outside: it could not be checked, which a finding may pass with a warning), or not read
 * although its account is in the scan (unknown: never credited).
 */
export type ResourcePolicyLookup =
  | { readonly state: 'found'; readonly record: ResourcePolicyRecord }
  | { readonly state: 'outside'; readonly accountId: string }
  | { readonly state: 'unknown'; readonly reason: string };

export class EvaluationContext {
  private readonly inventories = new Map<string, AccountInventory>();
  private readonly failures = new Map<string, string>();
  private readonly parsed = new Map<string, ParsedCandidate>();
  // By parsed candidate (one object per text, see parseCandidate), then reference: no key strings to build and hash.
  private readonly coverage = new Map<Pattern, Map<string, CoverageResult>>();
  private readonly benchmarkControls = new Map<string, BenchmarkControl[]>();
  /**
   * Control coverage per pattern (the parsed patterns are shared by text): the same filter text in
   * every account of an organization is judged once per control. Pure of the pattern, the control
   * and the strictness, so a memo gives what a new decision would.
   */
  private readonly perPattern = new Map<Pattern, Map<string, unknown>>();
  private readonly scopedReferences = new Map<string, string>();
  /** Organization trails' chains, judged once per check for every member they serve (see chains.ts). */
  readonly sharedChains = new Map<string, { readonly chains: Chain[]; readonly accounts: ReadonlySet<string> }>();

  constructor(
    inventories: readonly AccountInventory[],
    failedAccounts: readonly { accountId: string; error: string }[],
    readonly organization?: OrganizationContext,
    private pacing: DecisionPacing = { stopped: () => false, beforeDecision: () => undefined },
    /** Take the references' text at its word, without CloudTrail knowledge (see control-coverage.ts). */
    readonly strictPatterns = false,
  ) {
    for (const failed of failedAccounts) this.failures.set(failed.accountId, failed.error);
    for (const inventory of inventories) if (!this.failures.has(inventory.accountId)) this.inventories.set(inventory.accountId, inventory);
  }

  private members?: Set<string>;

  /** Whether the account is a member of the organization (a set: thousands of accounts are asked about, each per check). */
  isOrganizationMember(accountId: string): boolean {
    this.members ??= new Set(this.organization?.memberAccountIds ?? []);
    return this.members.has(accountId);
  }

  /**
   * For an evaluation in parts (PartialEvaluation): an inventory other judgements may look into,
   * replacing what the account had; `member` when the account is a member of the organization.
   */
  know(inventory: AccountInventory, member = false): void {
    if (member) {
      this.members ??= new Set(this.organization?.memberAccountIds ?? []);
      this.members.add(inventory.accountId);
    }
    if (!this.failures.has(inventory.accountId)) this.inventories.set(inventory.accountId, inventory);
  }

  /** For an evaluation in parts: an account that could not be read. */
  knowFailure(accountId: string, error: string): void {
    this.failures.set(accountId, error);
    this.inventories.delete(accountId);
  }

  /** For an evaluation in parts: how the next part is paced. */
  pacedBy(pacing: DecisionPacing): void {
    this.pacing = pacing;
  }

  inventory(accountId: string): AccountInventory | undefined {
    return this.inventories.get(accountId);
  }

  failure(accountId: string): string | undefined {
    return this.failures.get(accountId);
  }

  /** Why another account's data is not at hand, as the end of a sentence: "... is in account X, which is not in this scan: scan it too". */
  missingAccount(accountId: string): string {
    const failure = this.failure(accountId);
    return failure !== undefined
      ? `account ${accountId}, whose scan failed (${failure}): fix access to it and scan again`
      : `account ${accountId}, which is not in this scan: scan account ${accountId} too`;
  }

  /** Parses a filter's pattern once; a pattern trailwatch cannot parse is reported, never thrown. */
  parseCandidate(text: string): ParsedCandidate {
    let result = this.parsed.get(text);
    if (!result) {
      try {
        result = { ok: true, pattern: parsePattern(text) };
      } catch (error) {
        if (!(error instanceof PatternSyntaxError)) throw error;
        result = { ok: false, error };
      }
      this.parsed.set(text, result);
    }
    return result;
  }

  /** covers(candidate, reference), memoised: the reference is the catalogue's and must parse (a throw is a bug, reported as ERROR). */
  covers(candidate: Pattern, reference: string): CoverageResult {
    let byReference = this.coverage.get(candidate);
    if (!byReference) {
      byReference = new Map();
      this.coverage.set(candidate, byReference);
    }
    let result = byReference.get(reference);
    if (!result) {
      this.pacing.beforeDecision();
      result = covers(candidate, reference);
      byReference.set(reference, result);
    }
    return result;
  }

  /** Does the pattern catch the control's events (src/evaluate/control-coverage.ts), on the memoised decisions. */
  coverageOfControl(candidate: Pattern, control: BenchmarkControl, noise = true): ControlCoverage {
    return this.perPatternMemo(candidate, `coverage ${control.benchmark} ${control.check} ${noise}`, () =>
      coverageOfControl(candidate, control, { strict: this.strictPatterns, covers: (pattern, reference) => this.covers(pattern, reference), noise }),
    );
  }

  /**
   * What `compute` gives for this pattern, once per key: for what is a pure function of the parsed
   * pattern (shared by text, see parseCandidate) and this evaluation's settings, so the same filter
   * text in every account of an organization is judged once.
   */
  perPatternMemo<T>(candidate: Pattern, key: string, compute: () => T): T {
    let byKey = this.perPattern.get(candidate);
    if (!byKey) {
      byKey = new Map();
      this.perPattern.set(candidate, byKey);
    }
    if (byKey.has(key)) return byKey.get(key) as T;
    const result = compute();
    byKey.set(key, result);
    return result;
  }

  /** A reference as this evaluation decides against it: narrowed to the check's CloudTrail subject, unless strict. */
  scoped(reference: string, control: BenchmarkControl): string {
    if (this.strictPatterns) return reference;
    const key = `${control.benchmark} ${control.check}\n${reference}`;
    let scoped = this.scopedReferences.get(key);
    if (scoped === undefined) {
      scoped = inScope(reference, control);
      this.scopedReferences.set(key, scoped);
    }
    return scoped;
  }

  /** Whether the pattern catches every event of some other check of the same benchmark (it is that check's filter). */
  coversAnotherCheck(candidate: Pattern, control: BenchmarkControl): boolean {
    let controls = this.benchmarkControls.get(control.benchmark);
    if (!controls) {
      controls = controlsFor(control.benchmark);
      this.benchmarkControls.set(control.benchmark, controls);
    }
    return controls.some((other) => other.check !== control.check && this.coverageOfControl(candidate, other, false).verdict === 'covered');
  }

  /** Finds an SNS topic wherever the scan read it: first in its own account's inventory, then in any other. */
  topic(arn: string, viewer: string): TopicLookup {
    const accountId = parseArn(arn)?.accountId ?? '';
    const region = parseArn(arn)?.region;
    const name = named('topic', arnName(arn), { accountId, region, viewer });
    const owner = this.inventory(accountId);
    // The usual case, without walking every inventory of the scan.
    const own = owner?.topics[arn];
    if (owner && own) return { found: true, topic: own, inventory: owner };
    const holders = [...(owner ? [owner] : []), ...[...this.inventories.values()].filter((inventory) => inventory !== owner)];
    for (const inventory of holders) {
      const topic = inventory.topics[arn];
      if (topic) return { found: true, topic, inventory };
    }
    if (!owner) return { found: false, reason: `${name} is in ${this.missingAccount(accountId)}` };
    for (const inventory of holders) {
      const error = findReadError(inventory, 'topic', { resources: [arn] });
      if (error) return { found: false, reason: `trailwatch could not read ${name} (${describeReadError(error)})` };
    }
    return { found: false, reason: `${name} was not collected in the inventory of account ${accountId}` };
  }
}

/** Finds what the scan read of a queue, function or key, in its owner's inventory. */
export function resourcePolicy(ctx: EvaluationContext, arn: string): ResourcePolicyLookup {
  const accountId = parseArn(arn)?.accountId ?? '';
  const owner = ctx.inventory(accountId);
  if (!owner) {
    const failure = ctx.failure(accountId);
    return failure === undefined ? { state: 'outside', accountId } : { state: 'unknown', reason: `account ${accountId} could not be scanned (${failure})` };
  }
  const record = owner.resourcePolicies?.[arn];
  if (record) return { state: 'found', record };
  const error = findReadError(owner, 'resourcePolicy', { resources: [arn] });
  return { state: 'unknown', reason: error ? describeReadError(error) : 'it was not collected: scan again with this version of trailwatch' };
}

/** The read error that concerns this item, if any: same scope, and the same resource/region when the error names one. */
export function findReadError(
  inventory: AccountInventory,
  scope: ReadError['scope'],
  match: { resources?: readonly string[]; region?: string } = {},
): ReadError | undefined {
  const resources = (match.resources ?? []).map(logGroupKey);
  return inventory.readErrors.find(
    (error) =>
      error.scope === scope &&
      (error.resource === undefined || resources.length === 0 || resources.includes(logGroupKey(error.resource))) &&
      (error.region === undefined || match.region === undefined || error.region === match.region),
  );
}

export function describeReadError(error: ReadError): string {
  return `${error.code}: ${error.message}`;
}
