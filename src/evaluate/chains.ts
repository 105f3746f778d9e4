/**
 * The candidate chains of one account for one check: every trail that may carry its events (its
 * own, and organization trails owned by another account, judged on the owner's inventory), then
 * the log group it delivers to, each filter on it that is meant for the check, each alarm on the
 * filter's metric, each SNS topic the alarm notifies. Each chain keeps one verdict per link it
 * reached; links after a broken one are still judged, to tell which candidate came closest.
 */
import type { AccountInventory, TrailRecord } from '../collect/inventory';
import type { BenchmarkControl } from '../controls/types';
import { describeReadError, findReadError, type EvaluationContext } from './context';
import { alarmLink, alarmsOnMetric, alarmText } from './links/alarm';
import { logGroupLink } from './links/log-group';
import { filterLinks, filterText, missingFilter } from './links/metric-filter';
import { nearestFilterLink } from './links/nearest-filter';
import { subscriptionVerdict, topicLink, topicText } from './links/topic';
import { trailName, trailVerdict } from './links/trail';
import { reaches, type Unit } from './regions';
import { CHAIN_LINKS, type BrokenLink, type FindingEvidence } from './types';
import { unknown, type LinkVerdict } from './verdict';

/** How a chain names its resources in a PASS reason. */
export interface ChainLabels {
  readonly trail?: string;
  readonly filter?: string;
  readonly alarm?: string;
  readonly topic?: string;
}

export interface Chain {
  /** Absent for the stand-in chain of an account whose trails could not be listed. */
  readonly trail?: TrailRecord;
  readonly reaches: (unit: Unit) => boolean;
  readonly verdicts: readonly LinkVerdict[];
  readonly evidence: FindingEvidence;
  readonly labels: ChainLabels;
  /** How much its filter looks meant for the check (1 unless the filter misses events). */
  readonly relevance: number;
}

export type Problem = Extract<LinkVerdict, { outcome: 'fail' | 'unknown' }>;

export interface ChainSummary {
  readonly chain: Chain;
  readonly status: 'pass' | 'fail' | 'unknown';
  readonly firstFail?: Problem;
  readonly firstUnknown?: Problem;
  /** Index in CHAIN_LINKS of the first failing link; CHAIN_LINKS.length when none fails. */
  readonly progress: number;
  readonly failures: number;
  readonly unknowns: number;
  readonly warnings: readonly string[];
}

export function summarizeChain(chain: Chain): ChainSummary {
  const problems = chain.verdicts.filter((verdict): verdict is Problem => verdict.outcome !== 'pass');
  const firstFail = problems.find((problem) => problem.outcome === 'fail');
  const firstUnknown = problems.find((problem) => problem.outcome === 'unknown');
  const warnings = chain.verdicts.flatMap((verdict) => verdict.warnings ?? []);
  return {
    chain,
    status: firstFail ? 'fail' : firstUnknown ? 'unknown' : 'pass',
    ...(firstFail ? { firstFail } : {}),
    ...(firstUnknown ? { firstUnknown } : {}),
    progress: firstFail ? linkIndex(firstFail.link) : CHAIN_LINKS.length,
    failures: problems.filter((problem) => problem.outcome === 'fail').length,
    unknowns: problems.filter((problem) => problem.outcome === 'unknown').length,
    warnings,
  };
}

export function linkIndex(link: BrokenLink): number {
  return CHAIN_LINKS.indexOf(link);
}

interface TrailCandidate {
  readonly trail: TrailRecord;
  /** The inventory holding the trail's own record, or why it is not at hand. */
  readonly owner: AccountInventory | LinkVerdict;
  /** Its details could not be read: it may reach every region. */
  readonly scopeUnknown?: boolean;
}

/** The trails that may carry the account's events: its own, and organization trails owned elsewhere. */
function trailCandidates(account: AccountInventory, ctx: EvaluationContext): TrailCandidate[] {
  const viewer = account.accountId;
  const seen = new Set<string>();
  const candidates: TrailCandidate[] = [];
  for (const trail of account.trails) {
    if (seen.has(trail.arn)) continue;
    seen.add(trail.arn);
    const describeError = findReadError(account, 'trails', { resources: [trail.arn] });
    if (describeError?.resource !== undefined) {
      const text = trailName(trail, viewer);
      candidates.push({ trail, owner: unknown('trail', `trailwatch could not describe ${text} (${describeReadError(describeError)})`), scopeUnknown: true });
      continue;
    }
    if (trail.ownerAccountId === viewer) {
      candidates.push({ trail, owner: account });
      continue;
    }
    const owner = ctx.inventory(trail.ownerAccountId);
    const text = trailName(trail, viewer);
    if (!owner) {
      candidates.push({ trail, owner: unknown('trail', `${text} is an organization trail of ${ctx.missingAccount(trail.ownerAccountId)}`) });
      continue;
    }
    const record = owner.trails.find((candidate) => candidate.arn === trail.arn);
    if (record) {
      candidates.push({ trail: record, owner });
    } else {
      const error = findReadError(owner, 'trails');
      const why = error ? `trailwatch could not list its trails (${describeReadError(error)})` : 'the trail is not in its inventory';
      candidates.push({ trail, owner: unknown('trail', `${text} belongs to account ${trail.ownerAccountId}, but ${why}`) });
    }
  }
  // Organization trails the member cannot see in its own list (moto never shows them; AWS does).
  const organization = ctx.organization;
  const management = organization?.managementAccountId;
  if (organization && management !== undefined && management !== viewer && ctx.isOrganizationMember(viewer)) {
    const owner = ctx.inventory(management);
    for (const trail of owner?.trails ?? []) {
      if (trail.isOrganizationTrail === true && !seen.has(trail.arn) && owner) {
        seen.add(trail.arn);
        candidates.push({ trail, owner });
      }
    }
  }
  return candidates;
}

function trailEvidence(trail: TrailRecord, viewer: string): FindingEvidence {
  return { trail: trail.arn, ...(trail.ownerAccountId !== viewer ? { organizationTrailOwner: trail.ownerAccountId } : {}) };
}

function chainsOfTrail(candidate: TrailCandidate, account: AccountInventory, control: BenchmarkControl, ctx: EvaluationContext): Chain[] {
  const viewer = account.accountId;
  const { trail } = candidate;
  const base = { trail, reaches: (unit: Unit) => candidate.scopeUnknown === true || reaches(trail, unit), relevance: 1 };
  let evidence = trailEvidence(trail, viewer);
  const labels: ChainLabels = { trail: trailName(trail, viewer) };
  if (!('accountId' in candidate.owner)) return [{ ...base, verdicts: [candidate.owner], evidence, labels }];

  const trailLink = trailVerdict(trail, candidate.owner, control.definition, viewer);
  const logGroup = logGroupLink(trail, ctx, viewer);
  if (logGroup.arn !== undefined) evidence = { ...evidence, logGroup: logGroup.arn };
  if (!logGroup.logGroup || !logGroup.inventory) return [{ ...base, verdicts: [trailLink, logGroup.verdict], evidence, labels }];
  const group = logGroup.logGroup;
  const groupInventory = logGroup.inventory;

  const filters = group.metricFilters.flatMap((filter) => filterLinks(filter, group, control, ctx, viewer));
  let meant = filters.filter((filter) => filter.verdict.outcome !== 'fail' || filter.relevance >= 0.5);
  if (meant.length === 0) {
    // None is meant for the check: name the one catching most of its events, and fix that one.
    const nearest = nearestFilterLink(filters, group, control, ctx, viewer);
    if (!nearest) return [{ ...base, relevance: 0, verdicts: [trailLink, logGroup.verdict, missingFilter(group, control, viewer)], evidence, labels }];
    meant = nearest;
  }

  const chains: Chain[] = [];
  for (const filter of meant) {
    const prefix = [trailLink, logGroup.verdict, filter.verdict];
    const filterEvidence = { ...evidence, metricFilter: filter.filter.name };
    // A PASS reason says when CloudTrail knowledge decided the filter's verdict.
    const filterLabels = { ...labels, filter: `${filterText(filter.filter, group, viewer)}${filter.scope !== undefined ? ` (${filter.scope})` : ''}` };
    const chain = { ...base, relevance: filter.relevance };
    if (!filter.metric) {
      chains.push({ ...chain, verdicts: prefix, evidence: filterEvidence, labels: filterLabels });
      continue;
    }
    const search = alarmsOnMetric(filter.metric, groupInventory, viewer);
    if ('verdict' in search) {
      chains.push({ ...chain, verdicts: [...prefix, search.verdict], evidence: filterEvidence, labels: filterLabels });
      continue;
    }
    for (const alarm of search.alarms) {
      const alarmVerdict = alarmLink(alarm, filter.metric, viewer, groupInventory.collectedAt);
      const alarmEvidence = { ...filterEvidence, alarm: alarm.arn };
      const alarmLabels = { ...filterLabels, alarm: alarmText(alarm, viewer, filter.metric.accountId) };
      if (alarmVerdict.topicArns.length === 0) {
        chains.push({ ...chain, verdicts: [...prefix, alarmVerdict.verdict], evidence: alarmEvidence, labels: alarmLabels });
        continue;
      }
      for (const topicArn of alarmVerdict.topicArns) {
        const topic = topicLink(topicArn, alarm, filter.metric.accountId, ctx, viewer);
        const verdicts = [...prefix, alarmVerdict.verdict, topic.verdict];
        if (topic.topic?.exists && topic.inventory) verdicts.push(subscriptionVerdict(topic.topic, topic.inventory, ctx, viewer));
        chains.push({ ...chain, verdicts, evidence: { ...alarmEvidence, topic: topicArn }, labels: { ...alarmLabels, topic: topicText(topicArn, viewer) } });
      }
    }
  }
  return chains;
}

/** The account IDs a chain's resources live in: its texts name these unless they are the viewer's own. */
function accountsOf(chains: readonly Chain[]): Set<string> {
  const accounts = new Set<string>();
  for (const chain of chains) {
    for (const value of Object.values(chain.evidence)) {
      const accountId = typeof value === 'string' ? (value.split(':')[4] ?? value) : undefined;
      if (accountId) accounts.add(accountId);
    }
  }
  return accounts;
}

/**
 * An organization trail's chains are the same for every member whose own account holds none of
 * their resources: judged once per check and reused, so a large organization is not judged again
 * for each member.
 */
function sharedChainsOfTrail(candidate: TrailCandidate, account: AccountInventory, control: BenchmarkControl, ctx: EvaluationContext): Chain[] {
  const viewer = account.accountId;
  if (!('accountId' in candidate.owner) || candidate.owner.accountId === viewer) return chainsOfTrail(candidate, account, control, ctx);
  const key = `${candidate.trail.arn}|${control.benchmark}|${control.check}`;
  const shared = ctx.sharedChains.get(key);
  if (shared && !shared.accounts.has(viewer)) return shared.chains;
  const chains = chainsOfTrail(candidate, account, control, ctx);
  const accounts = accountsOf(chains);
  if (!shared && !accounts.has(viewer)) ctx.sharedChains.set(key, { chains, accounts });
  return chains;
}

/** Every candidate chain of the account for the check; an account whose trails could not be listed gets a stand-in that reaches everything and is unknown. */
export function candidateChains(account: AccountInventory, control: BenchmarkControl, ctx: EvaluationContext): Chain[] {
  const chains = trailCandidates(account, ctx).flatMap((candidate) => sharedChainsOfTrail(candidate, account, control, ctx));
  // ListTrails itself failed (an error without a resource): nothing is known of the account's trails.
  const listError = account.readErrors.find((error) => error.scope === 'trails' && error.resource === undefined);
  if (listError) {
    chains.push({
      reaches: () => true,
      relevance: 1,
      verdicts: [unknown('trail', `trailwatch could not list the trails of account ${account.accountId} (${describeReadError(listError)})`)],
      evidence: {},
      labels: {},
    });
  }
  return chains;
}
