/**
 * The doctor's judgement on facts: what is fine, what is wrong and what to do. Pure, so every
 * failure AWS can show is a fixture here, including those moto never shows (a pending
 * subscription, a trust policy that refuses, a run that never finished).
 */
import { diagnose, schedulePeriodMs } from '../../src/doctor';
import type { DoctorFacts, MemberRoleFact, RunRecord } from '../../src/doctor';

const SCANNER = '111111111111';
const MEMBERS = ['222222222222', '333333333333', '444444444444', '555555555555'];
const TOPIC = `arn:aws:sns:us-east-1:${SCANNER}:trailwatch-prod-findings`;
const NOW = '2026-03-02T08:00:00.000Z';

function facts(overrides: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    checkedAt: NOW,
    perspective: 'scanner',
    deployment: {
      source: "the function's environment",
      region: 'us-east-1',
      functionName: 'trailwatch-prod-scan',
      findingsTopicArn: TOPIC,
      reportBucket: 'trailwatch-prod-reportbucket-x',
      reportPrefix: 'trailwatch/',
      scheduleRuleName: 'trailwatch-prod-scan-schedule',
      memberRoleName: 'trailwatch-member-read',
      externalId: 'f00d',
      memberStackSetName: 'trailwatch-member-role',
      failureQueueUrl: `https://sqs.us-east-1.amazonaws.com/${SCANNER}/trailwatch-prod-scan-failures`,
      optionalParts: [],
    },
    caller: { ok: true, value: { accountId: SCANNER, arn: `arn:aws:sts::${SCANNER}:assumed-role/trailwatch-prod-us-east-1-scanner/trailwatch-prod-scan` } },
    organization: {
      ok: true,
      value: { listed: true, id: 'o-abcdefghij', managementAccountId: SCANNER, accounts: [SCANNER, ...MEMBERS].map((accountId) => ({ accountId })), inactive: [], notes: [] },
    },
    memberRoles: MEMBERS.map((accountId): MemberRoleFact => ({ accountId, outcome: { ok: true } })),
    topic: { ok: true, value: { subscriptions: [{ protocol: 'email', endpoint: 'email', confirmed: true }] } },
    schedule: { ok: true, value: { state: 'ENABLED', expression: 'rate(1 day)' } },
    lastScheduledRun: { ok: true, value: finishedRun('2026-03-02T06:00:00.000Z') },
    failureQueue: { ok: true, value: { messages: 0 } },
    optionalParts: [],
    ...overrides,
  };
}

function finishedRun(startedAt: string): RunRecord {
  return {
    trigger: 'schedule',
    startedAt,
    finishedAt: startedAt.replace('06:00:00', '06:02:10'),
    outcome: 'finished',
    summary: { pass: 60, fail: 45, error: 0 },
    accounts: { total: 5, scanned: 5, notScanned: 0 },
    published: true,
  };
}

const denied = (accountId: string): MemberRoleFact => ({
  accountId,
  outcome: { ok: false, code: 'AccessDenied', message: `AssumeRole arn:aws:iam::${accountId}:role/trailwatch-member-read was denied (AccessDenied: not authorized)` },
});

describe('Function: diagnose', () => {
  it('is healthy when every part works, and says what it checked', () => {
    // Act
    const report = diagnose(facts());
    // Assess
    expect(report.healthy).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.checks.map((c) => c.area)).toEqual(['organization', 'member role', 'findings topic', 'schedule', 'last scheduled scan', 'failure queue']);
    expect(report.checks.find((c) => c.area === 'last scheduled scan')?.text).toBe(
      'ran 2026-03-02T06:00:00.000Z (2 hours ago) and finished: 45 FAIL, 0 ERROR, 60 PASS in 5 accounts; report published',
    );
  });

  describe('the organization', () => {
    it('is a problem when it cannot be listed, with the delegation command', () => {
      const report = diagnose(facts({ organization: { ok: true, value: { listed: false, accounts: [], inactive: [], notes: ['not allowed to list the organization (AccessDeniedException)'] } } }));
      expect(report.healthy).toBe(false);
      expect(report.problems[0]).toMatchObject({ area: 'organization', summary: expect.stringContaining('not allowed to list the organization') });
      expect(report.problems[0]?.commands?.[0]).toMatch(/^aws organizations register-delegated-administrator /);
    });
  });

  describe('the member role, failures grouped by cause', () => {
    it('tells a role the StackSet did not reach from one that refuses this principal', () => {
      // Prepare: two accounts without a StackSet instance, one with a CURRENT instance that refuses
      const report = diagnose(
        facts({
          memberRoles: [denied(MEMBERS[0]!), denied(MEMBERS[1]!), denied(MEMBERS[2]!), { accountId: MEMBERS[3]!, outcome: { ok: true } }],
          stackInstances: { ok: true, value: { callAs: 'SELF', instances: [{ accountId: MEMBERS[2]!, region: 'us-east-1', status: 'CURRENT' }, { accountId: MEMBERS[3]!, region: 'us-east-1', status: 'CURRENT' }] } },
        }),
      );
      // Assess
      const problems = report.problems.filter((p) => p.area === 'member role');
      expect(problems.map((p) => [p.summary, p.accounts])).toEqual([
        ["role missing in 2 accounts: the StackSet 'trailwatch-member-role' has no instance there (it did not reach them)", [MEMBERS[0], MEMBERS[1]]],
        ['access denied in 1 account where the StackSet\'s role exists: it does not trust this principal with this external ID (a trust or external ID mismatch)', [MEMBERS[2]]],
      ]);
      expect(problems[0]?.commands?.[0]).toMatch(/^aws cloudformation create-stack-instances --stack-set-name trailwatch-member-role --deployment-targets OrganizationalUnitIds=<ou-or-root-id>/);
      expect(problems[1]?.commands?.[0]).toMatch(/^aws cloudformation describe-stack-set --stack-set-name trailwatch-member-role/);
      expect(report.checks.find((c) => c.area === 'member role')?.text).toBe("'trailwatch-member-read' assumed in 1 of 4 active accounts");
    });

    it('says --call-as DELEGATED_ADMIN where the StackSet was found only that way', () => {
      const report = diagnose(facts({ memberRoles: [denied(MEMBERS[0]!)], stackInstances: { ok: true, value: { callAs: 'DELEGATED_ADMIN', instances: [] } } }));
      expect(report.problems[0]?.commands?.every((c) => c.includes('--call-as DELEGATED_ADMIN'))).toBe(true);
    });

    it('names an instance the StackSet could not deploy, with its reason', () => {
      const report = diagnose(
        facts({
          memberRoles: [denied(MEMBERS[0]!)],
          stackInstances: { ok: true, value: { callAs: 'SELF', instances: [{ accountId: MEMBERS[0]!, region: 'us-east-1', status: 'OUTDATED', detailedStatus: 'FAILED', statusReason: 'Role trailwatch-member-read already exists' }] } },
        }),
      );
      expect(report.problems[0]?.summary).toBe("role missing or out of date in 1 account: the StackSet's instance there is OUTDATED (FAILED: Role trailwatch-member-read already exists)");
    });

    it('blames the missing external ID first: the member role always requires one', () => {
      const deployment = { ...facts().deployment, externalId: undefined };
      const report = diagnose(facts({ deployment, memberRoles: MEMBERS.map(denied) }));
      expect(report.problems).toHaveLength(1);
      expect(report.problems[0]).toMatchObject({ summary: 'access denied in 4 accounts: the scanner presents no external ID, and the member role requires one', accounts: MEMBERS });
    });

    it('explains the management account seen from a delegated administrator: a StackSet never deploys there', () => {
      // Prepare: the scanner runs in a delegated account; the management account refuses
      const management = '999999999999';
      const organization = { ok: true as const, value: { listed: true, managementAccountId: management, accounts: [], inactive: [], notes: [] } };
      const report = diagnose(facts({ organization, memberRoles: [denied(management)], stackInstances: { ok: true, value: { callAs: 'DELEGATED_ADMIN', instances: [] } } }));
      expect(report.problems[0]?.summary).toMatch(/^the management account has no member role 'trailwatch-member-read' the scanner may assume: a service-managed StackSet never deploys to the management account/);
      expect(report.problems[0]?.commands?.[0]).toMatch(/^aws cloudformation deploy --template-file deploy\/member-role\.yml /);
    });

    it('cannot tell missing from refusing without the StackSet, and says so', () => {
      const report = diagnose(facts({ memberRoles: [denied(MEMBERS[0]!)], stackInstances: { ok: false, code: 'NotFound', message: "no StackSet 'trailwatch-member-role' in us-east-1" } }));
      expect(report.problems[0]?.summary).toMatch(/the role is missing there \(the StackSet did not reach it\) or does not trust this principal .*could not be read: NotFound/);
    });

    it('groups other failures by their error', () => {
      const throttled: MemberRoleFact = { accountId: MEMBERS[0]!, outcome: { ok: false, code: 'Throttled', message: 'Rate exceeded' } };
      const report = diagnose(facts({ memberRoles: [throttled, { ...throttled, accountId: MEMBERS[1]! }] }));
      expect(report.problems).toEqual([expect.objectContaining({ summary: "AssumeRole of 'trailwatch-member-read' failed in 2 accounts (Throttled: Rate exceeded)", accounts: [MEMBERS[0], MEMBERS[1]] })]);
    });

    it('from a terminal, reminds that the role must trust the caller too', () => {
      const report = diagnose(facts({ perspective: 'caller', memberRoles: [denied(MEMBERS[0]!)], stackInstances: { ok: true, value: { callAs: 'SELF', instances: [{ accountId: MEMBERS[0]!, region: 'us-east-1', status: 'CURRENT' }] } } }));
      expect(report.problems[0]?.todo).toContain('TrustedPrincipalArn');
    });
  });

  describe('the findings topic', () => {
    it('is a problem while its subscription waits for confirmation (moto never shows this)', () => {
      const report = diagnose(facts({ topic: { ok: true, value: { subscriptions: [{ protocol: 'email', endpoint: 'email', confirmed: false }] } } }));
      expect(report.problems[0]).toMatchObject({ area: 'findings topic', summary: "the findings topic's 1 subscription (email) waits for confirmation: no report reaches anyone yet" });
      expect(report.problems[0]?.todo).toContain('Confirm subscription');
    });

    it('is a problem with nobody subscribed, or when it is gone', () => {
      expect(diagnose(facts({ topic: { ok: true, value: { subscriptions: [] } } })).problems[0]?.summary).toBe('nobody is subscribed to the findings topic: reports go nowhere');
      expect(diagnose(facts({ topic: { ok: false, code: 'NotFound', message: 'Topic does not exist' } })).problems[0]?.summary).toBe(`the findings topic ${TOPIC} does not exist`);
    });
  });

  describe('the schedule', () => {
    it('is a problem when disabled, with the command that enables it', () => {
      const report = diagnose(facts({ schedule: { ok: true, value: { state: 'DISABLED', expression: 'rate(1 day)' } } }));
      expect(report.problems[0]).toMatchObject({ area: 'schedule', summary: "the schedule 'trailwatch-prod-scan-schedule' is DISABLED: no scheduled scan runs" });
      expect(report.problems[0]?.commands).toEqual(['aws events enable-rule --name trailwatch-prod-scan-schedule --region us-east-1']);
    });

    it('reads rate() periods; cron() has none', () => {
      expect(schedulePeriodMs('rate(1 day)')).toBe(86_400_000);
      expect(schedulePeriodMs('rate(6 hours)')).toBe(21_600_000);
      expect(schedulePeriodMs('cron(0 6 * * ? *)')).toBeUndefined();
    });
  });

  describe('the last scheduled scan', () => {
    it('is a problem when it failed, with the log to read', () => {
      const run: RunRecord = { trigger: 'schedule', startedAt: '2026-03-02T06:00:00.000Z', outcome: 'failed', detail: 'publishing the report failed: AuthorizationError' };
      const report = diagnose(facts({ lastScheduledRun: { ok: true, value: run } }));
      expect(report.problems[0]).toMatchObject({ area: 'last scheduled scan', summary: 'the last scheduled scan (started 2026-03-02T06:00:00.000Z) failed: publishing the report failed: AuthorizationError' });
      expect(report.problems[0]?.commands?.[0]).toMatch(/^aws logs filter-log-events --log-group-name \/aws\/lambda\/trailwatch-prod-scan /);
    });

    it('is a problem when it started long ago and never finished (timed out or crashed)', () => {
      const run: RunRecord = { trigger: 'schedule', startedAt: '2026-03-02T06:00:00.000Z', outcome: 'running' };
      expect(diagnose(facts({ lastScheduledRun: { ok: true, value: run } })).problems[0]?.summary).toBe('the last scheduled scan started 2026-03-02T06:00:00.000Z and never finished: it timed out or crashed');
      expect(diagnose(facts({ checkedAt: '2026-03-02T06:05:00.000Z', lastScheduledRun: { ok: true, value: run } })).healthy).toBe(true);
    });

    it('is a problem when scheduled scans have stopped', () => {
      const report = diagnose(facts({ lastScheduledRun: { ok: true, value: finishedRun('2026-02-26T06:00:00.000Z') } }));
      expect(report.problems[0]?.summary).toBe('the last scheduled scan was 4 days ago, and the schedule is rate(1 day): scheduled scans have stopped');
    });

    it('is only a note before the first scheduled scan', () => {
      const report = diagnose(facts({ lastScheduledRun: { ok: true, value: undefined } }));
      expect(report.healthy).toBe(true);
      expect(report.notes[0]).toMatch(/^no scheduled scan has run yet .*aws lambda invoke --function-name trailwatch-prod-scan /);
    });
  });

  it('counts failed invocations waiting in the failure queue', () => {
    const report = diagnose(facts({ failureQueue: { ok: true, value: { messages: 3 } } }));
    expect(report.problems[0]).toMatchObject({ area: 'failure queue', summary: '3 invocations failed after their retries (messages in the failure queue)' });
  });

  it('checks that each optional part switched on exists', () => {
    const part = { name: 'the remediation alert topic', kind: 'sns-topic' as const, id: `arn:aws:sns:us-east-1:${SCANNER}:alerts`, setting: 'REMEDIATION_ALERT_TOPIC_ARN' };
    const missing = diagnose(facts({ optionalParts: [{ part, exists: { ok: true, value: false } }] }));
    const present = diagnose(facts({ optionalParts: [{ part, exists: { ok: true, value: true } }] }));
    expect(missing.problems[0]?.summary).toBe(`the remediation alert topic ${part.id} (switched on by REMEDIATION_ALERT_TOPIC_ARN) does not exist`);
    expect(present.checks.at(-1)?.text).toBe(`the remediation alert topic ${part.id} exists`);
  });
});
