/**
 * From an account's candidate chains to its finding for one check.
 *
 * The check needs a set of units covered (each in-scope region, and the global service events
 * for checks whose events come from global services). A unit is covered when a complete chain
 * (no failing, no unknown link) reaches it. All covered: PASS. Otherwise, if some uncovered unit
 * has no chain that might still work (every chain reaching it has a failing link), the check
 * FAILs, naming the candidate that came closest and its first broken link; else it is ERROR
 * ("cannot verify"), never PASS.
 */
import type { AccountInventory } from '../collect/inventory';
import type { BenchmarkControl } from '../controls/types';
import { candidateChains, linkIndex, summarizeChain, type ChainSummary } from './chains';
import { describeReadError, findReadError, type EvaluationContext } from './context';
import * as fixes from './fixes';
import { trailName } from './links/trail';
import { describeScope, regionsOf, requiredUnits, unitKey, type Unit } from './regions';
import { andList, command } from './text';
import { CHAIN_LINKS, Status, type BrokenLink, type Finding, type FindingEvidence } from './types';

interface Outcome {
  readonly status: Finding['status'];
  readonly brokenLink: BrokenLink | null;
  readonly reason: string;
  readonly fix?: string;
  readonly evidence: FindingEvidence;
  readonly warnings: readonly string[];
  readonly covered: readonly Unit[];
  readonly uncovered: readonly Unit[];
}

function finding(accountId: string, control: BenchmarkControl, outcome: Outcome, units: readonly Unit[]): Finding {
  const coveredKeys = new Set(outcome.covered.map(unitKey));
  const regions = regionsOf(units);
  const coveredRegions = regions.filter((region) => units.filter((unit) => unit.region === region).every((unit) => coveredKeys.has(unitKey(unit))));
  const warnings = [...new Set(outcome.warnings)];
  return {
    accountId,
    check: control.check,
    control: control.control,
    status: outcome.status,
    coveredRegions,
    uncoveredRegions: regions.filter((region) => !coveredRegions.includes(region)),
    brokenLink: outcome.brokenLink,
    reason: outcome.reason,
    evidence: outcome.evidence,
    ...(outcome.fix !== undefined ? { fix: outcome.fix } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** An ERROR finding for an account that could not be judged at all. */
export function errorFinding(accountId: string, control: BenchmarkControl, reason: string): Finding {
  return {
    accountId,
    check: control.check,
    control: control.control,
    status: Status.ERROR,
    coveredRegions: [],
    uncoveredRegions: [],
    brokenLink: null,
    reason,
    evidence: {},
  };
}

function describeUnits(units: readonly Unit[]): string {
  const global = units.some((unit) => unit.kind === 'global');
  const regions = units.filter((unit) => unit.kind === 'regional').map((unit) => unit.region);
  const globalRegion = units.find((unit) => unit.kind === 'global')?.region;
  return andList([
    ...(global ? [`global service events (recorded in ${globalRegion})`] : []),
    ...(regions.length > 0 ? [`events of ${andList(regions)}`] : []),
  ]);
}

interface Candidate {
  readonly summary: ChainSummary;
  /** Index of the first broken link, CHAIN_LINKS.length when none. */
  readonly progress: number;
  readonly failures: number;
  readonly reachesTarget: boolean;
}

/** Ranks candidates for "came closest": furthest first broken link, most relevant filter, fewest problems, reaching the events. */
function closest(options: readonly Candidate[]): Candidate | undefined {
  return [...options].sort(
    (a, b) =>
      b.progress - a.progress ||
      b.summary.chain.relevance - a.summary.chain.relevance ||
      a.failures - b.failures ||
      a.summary.unknowns - b.summary.unknowns ||
      Number(b.reachesTarget) - Number(a.reachesTarget),
  )[0];
}

function passOutcome(summaries: readonly ChainSummary[], units: readonly Unit[], control: BenchmarkControl): Outcome {
  const passing = summaries.filter((summary) => summary.status === 'pass');
  const [best] = [...passing].sort((a, b) => units.filter(b.chain.reaches).length - units.filter(a.chain.reaches).length);
  const labels = best?.chain.labels ?? {};
  const what = units.every((unit) => unit.kind === 'global')
    ? `${control.definition.subject} (global service events, recorded in ${units[0]?.region})`
    : `${control.definition.subject} in every in-scope region`;
  const more = passing.length > 1 ? ` (${passing.length} complete chains in all)` : '';
  return {
    status: Status.PASS,
    brokenLink: null,
    reason: `${labels.alarm ?? 'an alarm'} fires on ${what} through ${labels.trail ?? 'a trail'} and ${labels.filter ?? 'a filter'}, and notifies ${labels.topic ?? 'a topic'}, which has a confirmed subscription${more}`,
    evidence: best?.chain.evidence ?? {},
    warnings: best?.warnings ?? [],
    covered: units,
    uncovered: [],
  };
}

function failOutcome(summaries: readonly ChainSummary[], failing: readonly Unit[], covered: readonly Unit[], uncovered: readonly Unit[], account: AccountInventory): Outcome {
  const [target] = failing;
  // A chain whose trail does not reach the events has one more thing to fix: the trail's scope.
  const options = summaries.map((summary): Candidate => {
    const reachesTarget = target ? summary.chain.reaches(target) : true;
    return reachesTarget
      ? { summary, progress: summary.progress, failures: summary.failures, reachesTarget }
      : { summary, progress: summary.progress - 1, failures: summary.failures + 1, reachesTarget };
  });
  const best = closest(options);
  const base = { status: Status.FAIL, covered, uncovered } as const;
  if (!best || !target) {
    const region = failing.find((unit) => unit.kind === 'regional')?.region ?? failing[0]?.region ?? 'us-east-1';
    const fix = fixes.createTrail(region);
    return {
      ...base,
      brokenLink: 'trail',
      reason: `no CloudTrail trail of account ${account.accountId} logs ${describeUnits(failing)}: create a multi-region trail that delivers to CloudWatch Logs with ${command(fix)}`,
      fix,
      evidence: {},
      warnings: [],
    };
  }
  const { summary } = best;
  if (best.reachesTarget && summary.firstFail) {
    const warnings = [...summary.warnings, ...(summary.firstUnknown ? [`also: ${summary.firstUnknown.reason}`] : [])];
    return { ...base, brokenLink: summary.firstFail.link, reason: summary.firstFail.reason, ...(summary.firstFail.fix !== undefined ? { fix: summary.firstFail.fix } : {}), evidence: summary.chain.evidence, warnings };
  }
  // The closest chain works (or would) but its trail does not reach these events.
  const trail = summary.chain.trail;
  const unreached = failing.filter((unit) => !summary.chain.reaches(unit));
  if (!trail) return { ...base, brokenLink: 'trail', reason: `no trail logs ${describeUnits(unreached)}`, evidence: summary.chain.evidence, warnings: [] };
  const text = trailName(trail, account.accountId);
  const onlyGlobalMissing = unreached.every((unit) => unit.kind === 'global') && trail.includeGlobalServiceEvents === false && (trail.isMultiRegionTrail === true || trail.homeRegion === unreached[0]?.region);
  const fix = onlyGlobalMissing ? fixes.includeGlobalServiceEvents(trail.name, trail.homeRegion) : fixes.makeMultiRegion(trail.name, trail.homeRegion);
  const why = onlyGlobalMissing ? 'does not include global service events' : `is ${describeScope(trail)}`;
  const change = onlyGlobalMissing ? 'include them' : 'make it multi-region';
  const also = summary.firstFail ? [`also: ${summary.firstFail.reason}`] : summary.firstUnknown ? [`also: ${summary.firstUnknown.reason}`] : [];
  return {
    ...base,
    brokenLink: 'trail',
    reason: `${text} ${why}, so ${describeUnits(unreached)} never reach it: ${change} with ${command(fix)}`,
    fix,
    evidence: summary.chain.evidence,
    warnings: [...summary.warnings, ...also],
  };
}

function errorOutcome(summaries: readonly ChainSummary[], uncovered: readonly Unit[], covered: readonly Unit[]): Outcome {
  // What would be wrong even if the unverifiable parts turned out fine: worth saying next to the ERROR.
  const failing = closest(summaries.filter((summary) => summary.status === 'fail').map((summary): Candidate => ({ summary, progress: summary.progress, failures: summary.failures, reachesTarget: true })));
  const alsoFailing = failing?.summary.firstFail ? [`the closest verifiable candidate fails: ${failing.summary.firstFail.reason}`] : [];
  const [target] = uncovered;
  const options = summaries
    .filter((summary) => summary.status === 'unknown' && (!target || summary.chain.reaches(target)))
    .map((summary): Candidate => ({ summary, progress: summary.firstUnknown ? linkIndex(summary.firstUnknown.link) : CHAIN_LINKS.length, failures: 0, reachesTarget: true }));
  const best = closest(options)?.summary;
  const problem = best?.firstUnknown;
  return {
    status: Status.ERROR,
    brokenLink: problem?.link ?? null,
    reason: problem ? `cannot verify: ${problem.reason}` : 'cannot verify the chain',
    ...(problem?.fix !== undefined ? { fix: problem.fix } : {}),
    evidence: best?.chain.evidence ?? {},
    warnings: [...(best?.warnings ?? []), ...alsoFailing],
    covered,
    uncovered,
  };
}

/** The finding of one account for one check. */
export function judge(account: AccountInventory, control: BenchmarkControl, ctx: EvaluationContext): Finding {
  const accountError = findReadError(account, 'account');
  if (accountError) return errorFinding(account.accountId, control, `account ${account.accountId} could not be read (${describeReadError(accountError)})`);
  if (account.regions.length === 0) {
    const regionsError = findReadError(account, 'regions');
    const why = regionsError ? `its regions could not be listed (${describeReadError(regionsError)})` : 'no region is in scope';
    return errorFinding(account.accountId, control, `cannot verify account ${account.accountId}: ${why}`);
  }

  const units = requiredUnits(control.definition.eventScope, account.regions);
  const summaries = candidateChains(account, control, ctx).map(summarizeChain);
  const covered = units.filter((unit) => summaries.some((summary) => summary.status === 'pass' && summary.chain.reaches(unit)));
  const uncovered = units.filter((unit) => !covered.includes(unit));
  let outcome: Outcome;
  if (uncovered.length === 0) {
    outcome = passOutcome(summaries, units, control);
  } else {
    const failing = uncovered.filter((unit) => !summaries.some((summary) => summary.status === 'unknown' && summary.chain.reaches(unit)));
    outcome = failing.length > 0 ? failOutcome(summaries, failing, covered, uncovered, account) : errorOutcome(summaries, uncovered, covered);
  }
  return finding(account.accountId, control, outcome, units);
}
