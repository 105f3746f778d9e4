/**
 * The targeted re-check: a batch of watched calls -> the plan (which accounts) -> runScan over
 * just those accounts (members served by an organization trail judged from its owner's
 * inventory) -> what changed since the stored report, each change naming who caused it ->
 * one message per 100 changes -> the stored report updated (conditional write).
 */
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import { INVENTORY_FORMAT_VERSION, type AccountInventory, type OrganizationContext } from '../collect/inventory';
import { readAccount } from '../collect';
import { readTopics } from '../collect/cross-account-topics';
import type { BenchmarkId, CheckSlug } from '../controls/types';
import { AccountCredentials, DISCOVERY_SESSION } from '../discover';
import { evaluateWithinDeadline, summarize } from '../evaluate';
import type { Finding } from '../evaluate/types';
import { parseTopicArn } from '../notify/publish';
import type { OutgoingMessage } from '../notify/types';
import type { ScanReport } from '../report/types';
import { runScan as defaultRunScan, type ScanOptions, type ScanResult, type ScanSteps } from '../scan';
import { TrailwatchError } from '../errors';
import { applyExceptions } from '../exceptions/apply';
import type { ExceptionRules } from '../exceptions/types';
import { mergeIntoBaseline, readBaseline, type BaselineLocation, type StoredBaseline } from './baseline';
import { changeMessage, findingChanges, type FindingChange } from './changes';
import type { WatchEvent } from './events';
import { planRecheck, type RecheckPlan } from './plan';

/** Changes per SNS message: keeps each well inside SNS's 256 KB (JSON and email both carry them). */
export const CHANGES_PER_MESSAGE = 100;

export type LogFn = (level: 'debug' | 'info' | 'warn', message: string, data?: Record<string, unknown>) => void;

export interface RecheckOptions {
  readonly benchmark: BenchmarkId;
  readonly checks?: readonly CheckSlug[];
  readonly regions?: readonly string[];
  readonly roleName: string;
  readonly externalId?: string;
  readonly homeRegion: string;
  readonly concurrency: number;
  readonly clients: AwsClients;
  /** The stored report: the report bucket's baseline (read and written back), or a report given as it is (the CLI). */
  readonly baseline: { readonly kind: 'bucket'; readonly location: BaselineLocation; readonly region: string; /** Read it, never write it back (the CLI). */ readonly readOnly?: boolean } | { readonly kind: 'given'; readonly report?: ScanReport };
  /** The findings topic; nothing is published when absent. */
  readonly topicArn?: string;
  readonly deadline?: number;
  readonly signal?: AbortSignal;
  readonly log?: LogFn;
  readonly runScan?: (options: ScanOptions, steps: ScanSteps) => Promise<ScanResult>;
  readonly now?: () => Date;
  /**
   * Accepted risk, as the scheduled scan applies it: an excepted finding is stored with its
   * exception, and a change to an excepted FAIL or ERROR is not published (the team accepted it).
   */
  readonly exceptions?: ExceptionRules;
}

export interface RecheckOutcome {
  readonly plan: RecheckPlan;
  /** The re-checked findings (in scope only) and the accounts read. */
  readonly report?: ScanReport;
  readonly changes: FindingChange[];
  /** What was published (or, without a topic, would be). */
  readonly messages: OutgoingMessage[];
  readonly messageIds: string[];
  readonly baselineLocation?: string;
  readonly comparedWith?: string;
  /** Changes not published because their finding is excepted. */
  readonly excepted?: FindingChange[];
}

/** The stand-in inventory of a member judged from its organization trail's owner alone: nothing of its own is read. */
export function standInInventory(accountId: string, regions: string[], collectedAt: string): AccountInventory {
  return { formatVersion: INVENTORY_FORMAT_VERSION, accountId, collectedAt, regions, trails: [], logGroups: {}, alarms: {}, topics: {}, readErrors: [] };
}

function regionsOf(baseline: ScanReport | undefined, accountId: string): string[] {
  const listed = baseline?.accounts.find((a) => a.accountId === accountId)?.regions;
  if (listed?.length) return listed;
  const fromFindings = (baseline?.findings ?? []).filter((f) => f.accountId === accountId).flatMap((f) => [...f.coveredRegions, ...f.uncoveredRegions]);
  return [...new Set(fromFindings)].sort();
}

/** Each account's root and units by id, as the stored report recorded them (for exception entries naming units). */
export function accountParentsOf(baseline: ScanReport | undefined): Record<string, readonly string[]> | undefined {
  // The stored report is parsed loosely: take only a list of ids.
  const idsOf = (ids: unknown): readonly string[] | undefined => (Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string') ? ids : undefined);
  const entries = (baseline?.accounts ?? []).flatMap((a) => {
    const ids = idsOf(a.ou?.ids);
    return ids ? [[a.accountId, ids] as const] : [];
  });
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The findings the plan re-judged: every one of a re-read account, and a member's only where its stored finding relied on the owner. */
export function findingsInScope(plan: RecheckPlan, baseline: ScanReport | undefined, findings: readonly Finding[]): Finding[] {
  const direct = new Set(plan.accounts);
  const reliedOn = new Map<string, string>();
  for (const f of baseline?.findings ?? []) if (f.evidence?.organizationTrailOwner) reliedOn.set(`${f.accountId}/${f.check}`, f.evidence.organizationTrailOwner);
  const ownerOf = new Map(plan.throughOwner.flatMap(({ owner, members }) => members.map((m) => [m, owner] as const)));
  return findings.filter((f) => direct.has(f.accountId) || (ownerOf.has(f.accountId) && reliedOn.get(`${f.accountId}/${f.check}`) === ownerOf.get(f.accountId)));
}

function organizationFor(plan: RecheckPlan, baseline: ScanReport | undefined): OrganizationContext | undefined {
  const owners = [...plan.throughOwner.map((t) => t.owner), ...plan.supporting];
  const owner = owners[0];
  if (!owner) return undefined;
  const members = new Set<string>();
  for (const f of baseline?.findings ?? []) if (f.evidence?.organizationTrailOwner === owner && f.accountId !== owner) members.add(f.accountId);
  return { managementAccountId: owner, memberAccountIds: [...members] };
}

/** The steps runScan runs for a re-check: no organization listing, the plan's accounts, stand-ins for members judged through their owner. */
function recheckSteps(plan: RecheckPlan, baseline: ScanReport | undefined, now: () => Date): ScanSteps {
  let credentials: AccountCredentials | undefined;
  const names = new Map((baseline?.accounts ?? []).filter((a) => a.name).map((a) => [a.accountId, a.name as string]));
  const organization = organizationFor(plan, baseline);
  return {
    async discover(options) {
      const identity = await options.clients.sts(DISCOVERY_SESSION, options.homeRegion).send(new GetCallerIdentityCommand({}), { abortSignal: options.signal });
      const callerAccountId = identity.Account ?? '';
      credentials = new AccountCredentials(options.clients, { callerAccountId, roleName: options.roleName, externalId: options.externalId, region: options.homeRegion });
      const ids = [...plan.accounts, ...plan.supporting];
      return {
        accounts: ids.map((accountId) => ({ accountId, ...(names.has(accountId) ? { name: names.get(accountId) } : {}) })),
        skipped: [],
        ...(organization ? { organization } : {}),
        callerAccountId,
        notes: [],
      };
    },
    async collect(account, options, signal) {
      if (!credentials) throw new TrailwatchError('collect ran before discover');
      try {
        return await readAccount(options.clients, credentials, account.accountId, { regions: options.regions ? [...options.regions] : undefined, homeRegion: options.homeRegion, signal });
      } finally {
        options.clients.releaseAccount(account.accountId);
      }
    },
    async readTopics(accountId, topics, options, signal) {
      if (!credentials) throw new TrailwatchError('readTopics ran before discover');
      return readTopics(options.clients, await credentials.sessionFor(accountId, signal), topics, signal);
    },
    evaluate(inventories, context) {
      const collectedAt = now().toISOString();
      const standIns = plan.throughOwner.flatMap(({ members }) => members.map((m) => standInInventory(m, regionsOf(baseline, m), collectedAt)));
      return evaluateWithinDeadline([...inventories, ...standIns], {
        benchmark: context.benchmark,
        ...(context.checks ? { checks: [...context.checks] } : {}),
        ...(context.organization ? { organization: context.organization } : {}),
        failedAccounts: context.failedAccounts,
        ...(context.deadline !== undefined ? { deadline: context.deadline } : {}),
        ...(context.signal ? { signal: context.signal } : {}),
      });
    },
  };
}

/** Which of the IAM role calls concern a trail's CloudWatch Logs delivery role: CloudTrail DescribeTrails on the stored report's trails. */
async function confirmDeliveryRoles(plan: RecheckPlan, options: RecheckOptions, log: LogFn): Promise<Set<string>> {
  const confirmed = new Set<string>();
  if (plan.roleQuestions.length === 0) return confirmed;
  const caller = await options.clients.sts(DISCOVERY_SESSION, options.homeRegion).send(new GetCallerIdentityCommand({}), { abortSignal: options.signal });
  const credentials = new AccountCredentials(options.clients, { callerAccountId: caller.Account ?? '', roleName: options.roleName, externalId: options.externalId, region: options.homeRegion });
  for (const question of plan.roleQuestions) {
    const key = `${question.accountId}/${question.roleName}`;
    if (confirmed.has(key)) continue;
    try {
      const session = await credentials.sessionFor(question.accountId, options.signal);
      for (const arn of question.trailArns) {
        const region = arn.split(':')[3] || options.homeRegion;
        const { trailList } = await options.clients.cloudTrail(session, region).send(new DescribeTrailsCommand({ trailNameList: [arn] }), { abortSignal: options.signal });
        if ((trailList ?? []).some((t) => t.CloudWatchLogsRoleArn?.split('/').pop() === question.roleName)) confirmed.add(key);
      }
    } catch (error) {
      // Cannot tell: re-check rather than miss a broken delivery role.
      log('warn', 'could not tell whether the role delivers a trail to CloudWatch Logs: re-checking the account', { accountId: question.accountId, error: (error as Error).message });
      confirmed.add(key);
    }
  }
  return confirmed;
}

async function loadBaseline(options: RecheckOptions): Promise<StoredBaseline> {
  if (options.baseline.kind === 'given') return options.baseline.report ? { report: options.baseline.report } : {};
  return readBaseline(options.clients.s3({ accountId: 'self' }, options.baseline.region), options.baseline.location);
}

export async function recheck(events: readonly WatchEvent[], options: RecheckOptions): Promise<RecheckOutcome> {
  const log = options.log ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const stored = await loadBaseline(options);
  const baseline = stored.report && stored.report.benchmark === options.benchmark ? stored.report : undefined;
  if (stored.report && !baseline) log('warn', `the stored report is for ${stored.report.benchmark}, the re-check for ${options.benchmark}: comparing with nothing`);

  let plan = planRecheck(events, baseline);
  if (plan.roleQuestions.length > 0) plan = planRecheck(events, baseline, await confirmDeliveryRoles(plan, options, log));
  for (const ignored of plan.ignored) log('debug', 'event ignored', { ...ignored });
  if (plan.accounts.length === 0) return { plan, changes: [], messages: [], messageIds: [] };

  const run = options.runScan ?? defaultRunScan;
  const result = await run(
    {
      benchmark: options.benchmark,
      ...(options.checks ? { checks: options.checks } : {}),
      ...(options.regions ? { regions: options.regions } : {}),
      accounts: plan.accounts,
      roleName: options.roleName,
      ...(options.externalId ? { externalId: options.externalId } : {}),
      concurrency: options.concurrency,
      homeRegion: options.homeRegion,
      clients: options.clients,
      ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    },
    recheckSteps(plan, baseline, now),
  );
  const judged = findingsInScope(plan, baseline, result.report.findings);
  const parents = accountParentsOf(baseline);
  const findings = options.exceptions
    ? applyExceptions(judged, options.exceptions, { now: now(), ...(parents ? { accountParents: parents } : {}) }).findings
    : judged;
  const direct = new Set(plan.accounts);
  const report: ScanReport = {
    benchmark: options.benchmark,
    startedAt: result.report.startedAt,
    finishedAt: result.report.finishedAt,
    accounts: result.report.accounts.filter((a) => direct.has(a.accountId)),
    findings,
    summary: summarize(findings),
    ...(result.report.stats ? { stats: result.report.stats } : {}),
  };

  const ownerOf = new Map(plan.throughOwner.flatMap(({ owner, members }) => members.map((m) => [m, owner] as const)));
  const found = baseline ? findingChanges(baseline, findings, (accountId) => plan.eventsByAccount[ownerOf.get(accountId) ?? accountId] ?? []) : [];
  const changes = found.filter((change) => !change.exception);
  const excepted = found.filter((change) => change.exception);
  if (excepted.length > 0) log('info', 'changes to excepted findings: not published', { changes: excepted.map((c) => ({ accountId: c.accountId, check: c.check, status: c.status })) });
  if (!baseline) log('warn', 'no stored report to compare with: nothing is published, and the re-checked findings become the stored report');
  else if (changes.length === 0) log('debug', 'the re-check changed no verdict: nothing published', { accounts: plan.accounts });

  const context = { benchmark: options.benchmark, checkedAt: report.finishedAt, ...(baseline ? { baselineFinishedAt: baseline.finishedAt } : {}) };
  const messages: OutgoingMessage[] = [];
  for (let i = 0; i < changes.length; i += CHANGES_PER_MESSAGE) messages.push(changeMessage(changes.slice(i, i + CHANGES_PER_MESSAGE), context));

  const messageIds: string[] = [];
  if (options.topicArn && messages.length > 0) {
    const { region, accountId } = parseTopicArn(options.topicArn);
    const sns = options.clients.sns({ accountId }, region);
    for (const message of messages) {
      const response = await sns.send(
        new PublishCommand({ TopicArn: options.topicArn, Subject: message.subject, Message: message.message, MessageStructure: 'json', MessageAttributes: message.attributes }),
      );
      messageIds.push(response.MessageId ?? '');
    }
    log('info', 'changes published', { changes: changes.length, messageIds });
  }

  // Only once people were told: a failed publish keeps the old baseline, so the retry tells the same changes.
  let baselineLocation: string | undefined;
  if (options.baseline.kind === 'bucket' && !options.baseline.readOnly) {
    const written = await mergeIntoBaseline(options.clients.s3({ accountId: 'self' }, options.baseline.region), options.baseline.location, report, { first: stored });
    baselineLocation = written.location;
    if (written.attempts > 1) log('info', 'the stored report changed meanwhile: merged again', { attempts: written.attempts });
  }
  return { plan, report, changes, messages, messageIds, ...(excepted.length ? { excepted } : {}), ...(baselineLocation ? { baselineLocation } : {}), ...(baseline ? { comparedWith: baseline.finishedAt } : {}) };
}
