/** The evaluator as a whole: one finding per account and check, failures, purity. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountInventory } from '../../src/collect/inventory';
import { CHECK_SLUGS, CheckNotInBenchmarkError, controlsFor } from '../../src/controls';
import { UsageError } from '../../src/errors';
import { evaluate, summarize, type Finding } from '../../src/evaluate';
import { edit, findAlarm, findTopic, findTrail, healthy, inventory, loadFixture } from './builders';

describe('Function: evaluate', () => {
  it('gives one PASS finding per check for a healthy account, in control order', () => {
    // Act
    const findings = evaluate([healthy()], { benchmark: 'cis-aws-v4.0.0' });

    // Assess
    expect(findings.map((finding) => finding.control)).toEqual(controlsFor('cis-aws-v4.0.0').map((control) => control.control));
    expect(findings.map((finding) => finding.status)).toEqual(Array(15).fill('PASS'));
    expect(new Set(findings.map((finding) => finding.check))).toEqual(new Set(CHECK_SLUGS));
  });

  it('uses the control numbers of the selected benchmark and leaves out the checks it lacks', () => {
    // Act
    const findings = evaluate([healthy()], { benchmark: 'cis-aws-v1.2.0' });

    // Assess
    expect(findings).toHaveLength(14);
    expect(findings.find((finding) => finding.check === 'root_usage')?.control).toBe('3.3');
    expect(findings.some((finding) => finding.check === 'organizations_changes')).toBe(false);
  });

  it('refuses a check the benchmark does not have', () => {
    // Act
    const act = () => evaluate([healthy()], { benchmark: 'cis-aws-v1.2.0', checks: ['organizations_changes'] });

    // Assess
    expect(act).toThrow(CheckNotInBenchmarkError);
    expect(act).toThrow(UsageError);
  });

  it('evaluates only the selected checks', () => {
    // Act
    const findings = evaluate([healthy()], { benchmark: 'cis-aws-v6.0.0', checks: ['vpc_changes', 'root_usage'] });

    // Assess
    expect(findings.map((finding) => `${finding.check} ${finding.control}`)).toEqual(['root_usage 5.3', 'vpc_changes 5.14']);
  });

  it('gives a failed account one ERROR finding per check with the reason, and goes on with the others', () => {
    // Act
    const findings = evaluate([healthy()], {
      benchmark: 'cis-aws-v4.0.0',
      checks: ['root_usage', 'vpc_changes'],
      failedAccounts: [{ accountId: '999999999999', error: 'AccessDenied: not authorized to perform sts:AssumeRole on arn:aws:iam::999999999999:role/trailwatch' }],
    });

    // Assess
    expect(findings.map((finding) => [finding.accountId, finding.status])).toEqual([
      ['111111111111', 'PASS'],
      ['111111111111', 'PASS'],
      ['999999999999', 'ERROR'],
      ['999999999999', 'ERROR'],
    ]);
    expect(findings[2]).toEqual({
      accountId: '999999999999',
      check: 'root_usage',
      control: '4.3',
      status: 'ERROR',
      coveredRegions: [],
      uncoveredRegions: [],
      brokenLink: null,
      reason: 'account 999999999999 could not be scanned: AccessDenied: not authorized to perform sts:AssumeRole on arn:aws:iam::999999999999:role/trailwatch',
      evidence: {},
    });
  });

  it('reports an account both scanned and failed once, as failed', () => {
    // Act
    const findings = evaluate([healthy()], { benchmark: 'cis-aws-v4.0.0', checks: ['root_usage'], failedAccounts: [{ accountId: '111111111111', error: 'timed out' }] });

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'ERROR', reason: 'account 111111111111 could not be scanned: timed out' });
  });

  it('turns a rule that throws into an ERROR finding, never a PASS, and goes on', () => {
    // Prepare: a malformed inventory (trails is no list) next to a sound one.
    const broken = { ...inventory({ accountId: '222222222222', regions: ['us-east-1'] }), trails: { main: {} } } as unknown as AccountInventory;

    // Act
    const findings = evaluate([broken, healthy()], { benchmark: 'cis-aws-v4.0.0', checks: ['root_usage'] });

    // Assess
    expect(findings[0]).toMatchObject({ accountId: '222222222222', status: 'ERROR', brokenLink: null });
    expect(findings[0]?.reason).toMatch(/^trailwatch failed while evaluating this check \(.+\); this is a bug, please report it$/);
    expect(findings[1]).toMatchObject({ accountId: '111111111111', status: 'PASS' });
  });

  it('is ERROR for an account that could not be read at all', () => {
    // Prepare
    const account = edit(healthy(), (draft) => {
      draft.readErrors.push({ scope: 'account', code: 'AccessDenied', message: 'explicit deny in a service control policy' });
    });

    // Act & Assess
    expect(evaluate([account], { benchmark: 'cis-aws-v4.0.0', checks: ['root_usage'] })[0]).toMatchObject({
      status: 'ERROR',
      reason: 'account 111111111111 could not be read (AccessDenied: explicit deny in a service control policy)',
    });
  });

  it('is ERROR when no region is in scope', () => {
    // Prepare
    const account = edit(healthy(), (draft) => {
      draft.regions = [];
      draft.readErrors.push({ scope: 'regions', code: 'AccessDenied', message: 'account:ListRegions denied' });
    });

    // Act & Assess
    expect(evaluate([account], { benchmark: 'cis-aws-v4.0.0', checks: ['vpc_changes'] })[0]).toMatchObject({
      status: 'ERROR',
      reason: 'cannot verify account 111111111111: its regions could not be listed (AccessDenied: account:ListRegions denied)',
    });
  });

  it('says on every finding of an account which regions asked for it has not enabled, keeping each verdict', () => {
    // Prepare
    const account = edit(healthy(), (draft) => {
      draft.regionsNotEnabled = ['ap-east-1', 'me-central-1'];
    });

    // Act
    const findings = evaluate([account], { benchmark: 'cis-aws-v4.0.0' });

    // Assess
    expect(findings.map((finding) => finding.status)).toEqual(evaluate([healthy()], { benchmark: 'cis-aws-v4.0.0' }).map((finding) => finding.status));
    for (const finding of findings) {
      expect(finding.warnings).toContain('regions ap-east-1, me-central-1 were asked for but are not enabled in account 111111111111: not scanned there');
    }
  });

  it('refuses two inventories of one account', () => {
    // Act & Assess
    expect(() => evaluate([healthy(), healthy()], { benchmark: 'cis-aws-v4.0.0' })).toThrow(/account 111111111111 has two inventories/);
  });

  it('writes every reason as one sentence naming a resource, with the command in the fix', () => {
    // Prepare: break each link of a different check.
    const account = edit(healthy(), (draft) => {
      findAlarm(draft, 'root-usage').actionsEnabled = false;
      findAlarm(draft, 'vpc-changes').threshold = 3;
      findAlarm(draft, 'nacl-changes').namespace = 'Other';
      draft.alarms['us-east-1'] = draft.alarms['us-east-1']!.filter((alarm) => alarm.name !== 'route-table-changes');
      const group = draft.logGroups[Object.keys(draft.logGroups)[0]!]!;
      group.metricFilters = group.metricFilters!.filter((filter) => filter.name !== 'iam-policy-changes');
      const other = 'arn:aws:sns:us-east-1:111111111111:pending';
      draft.topics[other] = { ...structuredClone(findTopic(draft, 'cis-alarms')), arn: other, subscriptions: [{ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'ops@example.com' }] };
      findAlarm(draft, 'vpc-changes').alarmActions = [other];
      findAlarm(draft, 'security-group-changes').alarmActions = [other];
      findTrail(draft, 'main').eventSelectors = [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com'] }];
    });

    // Act
    const failing = evaluate([account], { benchmark: 'cis-aws-v4.0.0' }).filter((finding) => finding.status !== 'PASS');

    // Assess
    expect(failing.map((finding) => finding.check).sort()).toEqual(
      ['cmk_disable_or_scheduled_deletion', 'iam_policy_changes', 'nacl_changes', 'root_usage', 'route_table_changes', 'security_group_changes', 'vpc_changes'].sort(),
    );
    for (const finding of failing) {
      expect(finding.status).toBe('FAIL');
      expect(finding.reason).not.toMatch(/\n|\.\s+[A-Z]|\.$/);
      expect(finding.reason).toMatch(/'[^']+'/);
      expect(finding.brokenLink).not.toBeNull();
      if (finding.fix !== undefined) expect(finding.reason).toContain(`\`${finding.fix}\``);
    }
  });

  it('evaluates every account of a scan with shared data, each on its own', () => {
    // Act
    const findings: Finding[] = evaluate([...loadFixture('cross-account-topic'), healthy()], { benchmark: 'cis-aws-v4.0.0', checks: ['root_usage'] });

    // Assess
    expect(findings.map((finding) => [finding.accountId, finding.status])).toEqual([
      ['777777777777', 'PASS'],
      ['888888888888', 'FAIL'],
      ['111111111111', 'PASS'],
    ]);
  });
});

describe('Function: summarize', () => {
  it('counts the findings of each status', () => {
    // Prepare
    const findings = evaluate([healthy()], { benchmark: 'cis-aws-v4.0.0', checks: ['root_usage', 'vpc_changes'], failedAccounts: [{ accountId: '999999999999', error: 'denied' }] });
    const failing = evaluate([edit(healthy(), (draft) => void (findAlarm(draft, 'root-usage').actionsEnabled = false))], { benchmark: 'cis-aws-v4.0.0', checks: ['root_usage'] });

    // Act
    const summary = summarize([...findings, ...failing]);

    // Assess
    expect(summary).toEqual({ pass: 2, fail: 1, error: 2 });
  });

  it('counts nothing in an empty list', () => {
    // Act & Assess
    expect(summarize([])).toEqual({ pass: 0, fail: 0, error: 0 });
  });
});

describe('Module: evaluate', () => {
  it('imports no AWS SDK anywhere under src/evaluate', () => {
    // Prepare
    const root = join(__dirname, '../../src/evaluate');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));

    // Act
    const offenders = files.filter((file) => /@aws-sdk|@smithy|aws\/clients/.test(readFileSync(join(root, file), 'utf8')));

    // Assess
    expect(files.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });
});
