/**
 * The demo organization, seeded into moto with the SDK: a management account with an
 * organization trail whose central chain monitors most CIS v4.0.0 checks for everyone, leaving
 * the network checks to each account (as many security teams do), and member accounts in the
 * states people meet in real organizations. Account ids are moto's (random); the returned
 * description says which is which and what a correct scan concludes.
 */
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  DescribeAccountCommand,
  ListRootsCommand,
  MoveAccountCommand,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AccountSession, AwsClients } from '../aws/clients';
import { CHECK_SLUGS, checkDefinition, type CheckSlug } from '../controls';
import { AccountCredentials } from '../discover/credentials';
import type { BrokenLink, StatusValue } from '../evaluate/types';
import { TrailwatchError } from '../errors';
import { patternMissing, REFORMATTED_PATTERNS_V4 } from './patterns';
import { seedChain, seedTrail, type SeededChain, type SeededTrail } from './seed';

export const DEMO_BENCHMARK = 'cis-aws-v4.0.0' as const;
export const DEMO_REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** The role the demo's seeding assumes in members (moto does not check that it exists). */
export const DEMO_ROLE_NAME = 'OrganizationAccountAccessRole';

/**
 * Checks whose events are recorded only as global service events, in us-east-1 (the catalogue's
 * eventScope 'global'): a single-region trail there with global service events covers them.
 */
export const GLOBAL_SERVICE_CHECKS: readonly CheckSlug[] = CHECK_SLUGS.filter((check) => checkDefinition(check).eventScope === 'global');

/** The checks the demo's central chain leaves to each account: network changes are the account teams' business. */
export const DELEGATED_CHECKS: readonly CheckSlug[] = [
  'security_group_changes',
  'nacl_changes',
  'network_gateway_changes',
  'route_table_changes',
  'vpc_changes',
];

export type DemoScenario =
  | 'management'
  | 'no-own-trail'
  | 'compliant-reformatted'
  | 'filter-misses-event'
  | 'alarm-actions-disabled'
  | 'topic-without-subscriber'
  | 'single-region-trail'
  | 'suspended';

export interface ExpectedVerdict {
  readonly status: StatusValue;
  readonly brokenLink: BrokenLink | null;
  /** Set when the verdict comes from the management account's organization trail. */
  readonly creditedToOrganizationTrail?: boolean;
}

export interface DemoAccount {
  readonly accountId: string;
  readonly name: string;
  readonly scenario: DemoScenario;
  /** What is special about it, in a sentence. */
  readonly description: string;
  /** False for the suspended account: it is listed as not scanned. */
  readonly scanned: boolean;
  /** The organizational unit it is in, when not directly under the root. */
  readonly organizationalUnit?: { readonly id: string; readonly name: string };
  /** What the account's own chain gets wrong, if anything (whether or not an organization trail covers it). */
  readonly ownChainDefect?: { readonly checks: readonly CheckSlug[]; readonly brokenLink: BrokenLink; readonly detail: string };
  /** What a correct scan of DEMO_BENCHMARK over DEMO_REGIONS concludes, per check; empty when not scanned. */
  readonly expected: Partial<Record<CheckSlug, ExpectedVerdict>>;
  readonly trail?: SeededTrail;
  readonly chain?: SeededChain;
}

export interface DemoOrganization {
  readonly organizationId: string;
  readonly managementAccountId: string;
  readonly benchmark: typeof DEMO_BENCHMARK;
  readonly regions: readonly string[];
  /** The management account's trail: an organization trail unless seeded with organizationTrail false. */
  readonly managementTrailArn: string;
  readonly organizationTrail: boolean;
  readonly rootId: string;
  /** The organizational unit the demo's sandbox accounts are in. */
  readonly sandbox: { readonly id: string; readonly name: string };
  readonly accounts: readonly DemoAccount[];
}

export interface DemoOrganizationOptions {
  /**
   * Default true: the management trail is an organization trail, which (correctly) covers every
   * member, so every scanned member passes through it whatever its own chain looks like. With
   * false it is an ordinary multi-region trail and each member is judged on its own chain.
   */
  readonly organizationTrail?: boolean;
  /**
   * With an organization trail: the checks its central chain does not monitor, so each account
   * needs its own chain for them. Default DELEGATED_CHECKS; [] for a central chain that covers all.
   */
  readonly delegatedChecks?: readonly CheckSlug[];
  readonly roleName?: string;
  /**
   * Makes the IDs moto generates next the same on every run (the demo passes moto's seed API):
   * called with a fixed number before the organization, each account and the OU are created, so
   * every run of the demo has the same account and OU IDs and a file can name them.
   */
  readonly fixIds?: (seed: number) => Promise<void>;
}

/** The sandbox OU: the two accounts whose single defect is in a network check. */
export const SANDBOX_OU_NAME = 'sandbox';
const SANDBOX_ACCOUNTS = ['filter-misses-event', 'alarm-actions-disabled'];

function allChecks(verdict: ExpectedVerdict): Partial<Record<CheckSlug, ExpectedVerdict>> {
  return Object.fromEntries(CHECK_SLUGS.map((c) => [c, verdict]));
}

const PASS: ExpectedVerdict = { status: 'PASS', brokenLink: null };

/** The verdicts a member gets: the organization trail's central chain where it monitors the check, its own chain's elsewhere. */
function memberVerdicts(
  centralChecks: readonly CheckSlug[],
  defect: DemoAccount['ownChainDefect'] | 'no-trail',
): Partial<Record<CheckSlug, ExpectedVerdict>> {
  // Without a trail of its own, a member's events still reach the organization trail's log group
  // (when there is one): what is missing there is the filter for the delegated checks.
  const noTrail: ExpectedVerdict = { status: 'FAIL', brokenLink: centralChecks.length > 0 ? 'metricFilter' : 'trail' };
  const verdicts = allChecks(defect === 'no-trail' ? noTrail : PASS);
  if (defect !== 'no-trail') for (const check of defect?.checks ?? []) verdicts[check] = { status: 'FAIL', brokenLink: defect?.brokenLink ?? null };
  for (const check of centralChecks) verdicts[check] = { ...PASS, creditedToOrganizationTrail: true };
  return verdicts;
}

async function accountName(clients: AwsClients, management: AccountSession, accountId: string, fallback: string): Promise<string> {
  const { Account } = await clients.organizations(management).send(new DescribeAccountCommand({ AccountId: accountId }));
  return Account?.Name || fallback;
}

async function createAccount(clients: AwsClients, management: AccountSession, name: string): Promise<string> {
  const { CreateAccountStatus } = await clients
    .organizations(management)
    .send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
  if (!CreateAccountStatus?.AccountId) throw new TrailwatchError(`moto did not create the demo account ${name}`);
  return CreateAccountStatus.AccountId;
}

/**
 * Seeds the demo organization. Use an AwsClients of its own: seeding's calls are counted too.
 * Fails if moto already holds an organization (reset it first).
 */
export async function seedDemoOrganization(clients: AwsClients, options: DemoOrganizationOptions = {}): Promise<DemoOrganization> {
  const organizationTrail = options.organizationTrail ?? true;
  const delegated = organizationTrail ? (options.delegatedChecks ?? DELEGATED_CHECKS) : CHECK_SLUGS;
  const centralChecks = CHECK_SLUGS.filter((c) => !delegated.includes(c));
  // What members monitor themselves: everything without an organization trail, the delegated checks with one.
  const ownChecks = organizationTrail ? delegated : CHECK_SLUGS;
  const identity = await clients.sts({ accountId: 'demo' }, 'us-east-1').send(new GetCallerIdentityCommand({}));
  const managementAccountId = identity.Account as string;
  const management: AccountSession = { accountId: managementAccountId };
  const org = clients.organizations(management);
  let organizationId: string;
  await options.fixIds?.(1);
  try {
    const { Organization } = await clients.organizations(management).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    organizationId = Organization?.Id ?? '';
  } catch (error) {
    if ((error as Error)?.name === 'AlreadyInOrganizationException') {
      throw new TrailwatchError('moto already holds an organization: reset it before seeding the demo', { cause: error });
    }
    throw error;
  }
  const { Roots } = await org.send(new ListRootsCommand({}));
  const rootId = Roots?.[0]?.Id ?? '';
  await options.fixIds?.(2);
  const { OrganizationalUnit } = await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: SANDBOX_OU_NAME }));
  const sandbox = { id: OrganizationalUnit?.Id ?? '', name: SANDBOX_OU_NAME };
  let seed = 100;
  const credentials = new AccountCredentials(clients, {
    callerAccountId: managementAccountId,
    roleName: options.roleName ?? DEMO_ROLE_NAME,
    region: 'us-east-1',
  });
  const accounts: DemoAccount[] = [];

  // Management: the organization trail and its central chain, in us-east-1; with delegated checks,
  // also a trail of its own with a chain for those, so the management account passes everything.
  const managementLogGroup = organizationTrail ? 'aws-organization-trail' : 'management-trail';
  const managementTrail = await seedTrail(clients, management, {
    name: organizationTrail ? 'organization-trail' : 'management-trail',
    homeRegion: 'us-east-1',
    organization: organizationTrail,
    logGroupName: managementLogGroup,
  });
  const managementChain = await seedChain(clients, management, 'us-east-1', {
    logGroupName: managementLogGroup,
    checks: organizationTrail ? centralChecks : CHECK_SLUGS,
  });
  if (organizationTrail && delegated.length > 0) {
    await seedTrail(clients, management, { name: 'management-trail', homeRegion: 'us-east-1', logGroupName: 'management-trail' });
    await seedChain(clients, management, 'us-east-1', {
      logGroupName: 'management-trail',
      checks: delegated,
      topic: { arn: managementChain.topicArn },
    });
  }
  accounts.push({
    accountId: managementAccountId,
    // The name Organizations gives it (moto: "master"), so the demo's legend and its report agree.
    name: await accountName(clients, management, managementAccountId, 'management'),
    scenario: 'management',
    description: `the management account: ${
      organizationTrail
        ? delegated.length > 0
          ? 'organization trail whose central chain monitors every check but the network ones, plus a trail of its own for those'
          : 'organization trail (multi-region, logging) into a log group with a complete chain for every check'
        : 'multi-region trail into a log group with a complete chain for every check'
    }`,
    scanned: true,
    expected: allChecks(PASS),
    trail: managementTrail,
    chain: managementChain,
  });

  const member = async (name: string) => {
    seed += 1;
    await options.fixIds?.(seed);
    const accountId = await createAccount(clients, management, name);
    if (SANDBOX_ACCOUNTS.includes(name)) {
      await org.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: rootId, DestinationParentId: sandbox.id }));
    }
    return { accountId, session: await credentials.sessionFor(accountId) };
  };
  const unitOf = (name: string) => (SANDBOX_ACCOUNTS.includes(name) ? { organizationalUnit: sandbox } : {});

  // A member with no trail of its own: moto does not show organization trails to members.
  {
    const { accountId } = await member('relies-on-organization-trail');
    accounts.push({
      accountId,
      name: 'relies-on-organization-trail',
      scenario: 'no-own-trail',
      description: 'no trail of its own: covered by the organization trail, or by nothing without one',
      scanned: true,
      expected: memberVerdicts(centralChecks, 'no-trail'),
    });
  }

  // Compliant with its own multi-region trail homed in eu-west-1 and patterns a text comparison rejects.
  {
    const { accountId, session } = await member('compliant-reformatted');
    const trail = await seedTrail(clients, session, { name: 'eu-trail', homeRegion: 'eu-west-1', logGroupName: 'cloudtrail-eu' });
    const chain = await seedChain(clients, session, 'eu-west-1', { logGroupName: 'cloudtrail-eu', checks: ownChecks, patterns: REFORMATTED_PATTERNS_V4 });
    accounts.push({
      accountId,
      name: 'compliant-reformatted',
      scenario: 'compliant-reformatted',
      description: 'own multi-region trail homed in eu-west-1; every pattern rewritten (no whitespace, reordered, quotes changed) yet equivalent',
      scanned: true,
      expected: memberVerdicts(centralChecks, undefined),
      trail,
      chain,
    });
  }

  // A filter that looks complete but misses RevokeSecurityGroupEgress.
  {
    const { accountId, session } = await member('filter-misses-event');
    const trail = await seedTrail(clients, session, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    const chain = await seedChain(clients, session, 'us-east-1', {
      logGroupName: 'cloudtrail',
      checks: ownChecks,
      patterns: { security_group_changes: patternMissing('security_group_changes', ['RevokeSecurityGroupEgress']) },
    });
    const defect = {
      checks: ['security_group_changes'] as CheckSlug[],
      brokenLink: 'metricFilter' as const,
      detail: "filter 'cis-security_group_changes' misses RevokeSecurityGroupEgress",
    };
    accounts.push({
      accountId,
      name: 'filter-misses-event',
      scenario: 'filter-misses-event',
      ...unitOf('filter-misses-event'),
      description: 'the security_group_changes filter silently misses RevokeSecurityGroupEgress',
      scanned: true,
      ownChainDefect: defect,
      expected: memberVerdicts(centralChecks, defect),
      trail,
      chain,
    });
  }

  // An alarm whose actions are disabled.
  {
    const { accountId, session } = await member('alarm-actions-disabled');
    const trail = await seedTrail(clients, session, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    const chain = await seedChain(clients, session, 'us-east-1', {
      logGroupName: 'cloudtrail',
      checks: ownChecks,
      alarm: { perCheck: { vpc_changes: { actionsEnabled: false } } },
    });
    const defect = { checks: ['vpc_changes'] as CheckSlug[], brokenLink: 'alarm' as const, detail: "alarm 'cis-vpc_changes' has actions disabled" };
    accounts.push({
      accountId,
      name: 'alarm-actions-disabled',
      scenario: 'alarm-actions-disabled',
      ...unitOf('alarm-actions-disabled'),
      description: 'the vpc_changes alarm has its actions disabled',
      scanned: true,
      ownChainDefect: defect,
      expected: memberVerdicts(centralChecks, defect),
      trail,
      chain,
    });
  }

  // A topic nobody is subscribed to.
  {
    const { accountId, session } = await member('topic-without-subscriber');
    const trail = await seedTrail(clients, session, { name: 'trail', homeRegion: 'us-east-1', logGroupName: 'cloudtrail' });
    const chain = await seedChain(clients, session, 'us-east-1', { logGroupName: 'cloudtrail', checks: ownChecks, topic: { subscriptions: [] } });
    const defect = { checks: ownChecks, brokenLink: 'subscription' as const, detail: `topic ${chain.topicArn} has no subscription` };
    accounts.push({
      accountId,
      name: 'topic-without-subscriber',
      scenario: 'topic-without-subscriber',
      description: 'every alarm notifies a topic nobody is subscribed to',
      scanned: true,
      ownChainDefect: defect,
      expected: memberVerdicts(centralChecks, defect),
      trail,
      chain,
    });
  }

  // A single-region trail in us-east-1: eu-west-1's regional events reach no trail.
  {
    const { accountId, session } = await member('single-region-trail');
    const trail = await seedTrail(clients, session, { name: 'trail', homeRegion: 'us-east-1', multiRegion: false, logGroupName: 'cloudtrail' });
    const chain = await seedChain(clients, session, 'us-east-1', { logGroupName: 'cloudtrail', checks: ownChecks });
    const regional = ownChecks.filter((c) => !GLOBAL_SERVICE_CHECKS.includes(c));
    const defect = { checks: regional, brokenLink: 'trail' as const, detail: 'single-region trail in us-east-1: eu-west-1 is not covered' };
    accounts.push({
      accountId,
      name: 'single-region-trail',
      scenario: 'single-region-trail',
      description: 'a single-region trail in us-east-1 (with global service events): eu-west-1 is uncovered except for IAM and Organizations events',
      scanned: true,
      ownChainDefect: defect,
      expected: memberVerdicts(centralChecks, defect),
      trail,
      chain,
    });
  }

  // A suspended account: listed, not scanned.
  {
    const { accountId } = await member('suspended');
    await clients.organizations(management).send(new CloseAccountCommand({ AccountId: accountId }));
    accounts.push({
      accountId,
      name: 'suspended',
      scenario: 'suspended',
      description: 'closed (SUSPENDED): listed as not scanned',
      scanned: false,
      expected: {},
    });
  }

  return {
    organizationId,
    managementAccountId,
    benchmark: DEMO_BENCHMARK,
    regions: DEMO_REGIONS,
    managementTrailArn: managementTrail.arn,
    organizationTrail,
    rootId,
    sandbox,
    accounts,
  };
}
