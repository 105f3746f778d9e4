/**
 * Least privilege, both ways: every action a role is granted is one its code can call, and every
 * call its code can make is granted. What the code can call is read from its bundle
 * (test/support/sdk-calls.ts: the SDK commands left in after esbuild's tree-shaking, module by
 * module); what is granted, from the templates (serverless.yml, deploy/member-role.yml) and
 * src/remediate/permissions.ts, which test/remediate/templates.test.ts holds the templates to.
 */
import {
  IMPLIED_ACTIONS,
  PERMISSION_USES,
  REUSED_TOPIC_ACTIONS,
  SCANNER_READS_USED,
  remediationActions,
  type PermissionUse,
} from '../../src/remediate/permissions';
import { sdkActionsOf } from '../support/sdk-calls';
import { yamlFile } from '../support/templates';

interface Statement {
  Sid?: string;
  Action: string | string[];
}
type PolicyEntry = Statement | { 'Fn::If': [string, Statement, unknown] };

/** Every statement, a conditional one as if its condition held (the widest the role can get). */
function actionsOf(entries: readonly PolicyEntry[]): string[] {
  return entries.flatMap((e) => ('Fn::If' in e ? [e['Fn::If'][1]] : [e])).flatMap((s) => [s.Action].flat());
}

function withImplied(actions: readonly string[]): string[] {
  return [...new Set([...actions, ...actions.flatMap((a) => IMPLIED_ACTIONS[a] ?? [])])].sort();
}

function without(actions: readonly string[], removed: readonly string[]): string[] {
  return actions.filter((a) => !removed.includes(a));
}

const sorted = (actions: Iterable<string>): string[] => [...new Set(actions)].sort();

/** Calls that need no permission: GetCallerIdentity is allowed to everyone. */
const NEEDS_NO_GRANT = ['sts:GetCallerIdentity'];
/** What Lambda itself calls with the function's role to feed it the watch's queue (its SQS event source mapping), not the code. */
const QUEUE_POLLING = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'];
const ROLLBACK_ONLY = ['cloudwatch:DeleteAlarms', 'logs:DeleteMetricFilter', 'sns:DeleteTopic', 'sns:ListTopics'];

describe('what each role is granted is what its code calls', () => {
  let lambda: string[];
  let memberReads: string[];
  let reads: string[];
  const calls = {} as Record<PermissionUse, string[]>;

  beforeAll(async () => {
    // The role serves every function: the scan, the watch's re-check, the approval link's page and distributed
    // mode's three steps (each deployed only when on).
    lambda = await sdkActionsOf(
      "export { handler } from './handlers/scan'; export { handler as watch } from './handlers/watch'; export { handler as approvalLink } from './handlers/approval-link'; export { handler as discover } from './handlers/distributed-discover'; export { handler as collect } from './handlers/distributed-collect'; export { handler as aggregate } from './handlers/distributed-aggregate'",
    );
    memberReads = await sdkActionsOf(
      "export { readAccount } from './src/collect/read-account'; export { readTopics } from './src/collect/cross-account-topics'; export { readResourcePolicies } from './src/collect/resource-policies'",
    );
    reads = await sdkActionsOf("export * from './src/remediate/reads'");
    const fixAlarms = without(await sdkActionsOf("export { enableAlarmActions } from './src/remediate/fix-alarms'"), reads);
    calls['fix-alarms'] = fixAlarms;
    calls.apply = without(await sdkActionsOf("export { applyPlan } from './src/remediate/apply'"), fixAlarms);
    calls.rollback = await sdkActionsOf("export { planRollback, applyRollback } from './src/remediate/rollback'");
  }, 60_000);

  it('the scan function: its role and remediation policy, in the widest mode, against the Lambda bundle', () => {
    // Prepare
    const service = yamlFile('serverless.yml') as {
      provider: { iam: { role: { statements: Statement[] } } };
      resources: { Resources: Record<string, { Type: string; Properties: { Roles?: unknown[]; PolicyDocument?: { Statement: PolicyEntry[] } } }> };
    };
    // The role's own statements and every policy the stack attaches to it (remediation, exceptions, ...).
    const attached = Object.values(service.resources.Resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: 'IamRoleLambdaExecution' }]),
    );
    expect(attached.length).toBeGreaterThan(0);
    const granted = sorted([
      ...actionsOf(service.provider.iam.role.statements),
      ...attached.flatMap((r) => actionsOf(r.Properties.PolicyDocument?.Statement ?? [])),
    ]);
    // Act
    const needed = without(withImplied([...lambda, ...QUEUE_POLLING]), NEEDS_NO_GRANT);
    // Assess
    expect({ grantedNeverCalled: without(granted, needed), calledNotGranted: without(needed, granted) }).toEqual({
      grantedNeverCalled: [],
      calledNotGranted: [],
    });
    expect(granted).not.toContain('organizations:ListParents');
  });

  it('the function can make no call that only rollback needs (rollback is not in its bundle)', () => {
    expect(lambda.filter((a) => ROLLBACK_ONLY.includes(a) || /:Delete/.test(a))).toEqual([]);
  });

  it('the member read role: exactly the collector\'s calls', () => {
    // Prepare
    const template = yamlFile('deploy/member-role.yml') as { Resources: { MemberReadPolicy: { Properties: { PolicyDocument: { Statement: PolicyEntry[] } } } } };
    // Act
    const granted = sorted(actionsOf(template.Resources.MemberReadPolicy.Properties.PolicyDocument.Statement));
    // Assess
    expect(granted).toEqual(memberReads);
    expect(SCANNER_READS_USED.filter((a) => !granted.includes(a))).toEqual([]);
  });

  it.each(PERMISSION_USES)('%s: permissions.ts declares exactly the calls its module makes beyond the scanner\'s reads', (use) => {
    // Prepare
    const declared = sorted([...remediationActions(use), ...REUSED_TOPIC_ACTIONS[use]]);
    // Act
    const needed = without(withImplied(calls[use]), SCANNER_READS_USED);
    // Assess
    expect(needed).toEqual(declared);
  });

  it('apply deletes nothing; only rollback does', () => {
    expect([...remediationActions('apply'), ...remediationActions('fix-alarms')].filter((a) => /:Delete/.test(a))).toEqual([]);
    expect(calls.apply.filter((a) => /:Delete/.test(a))).toEqual([]);
    expect(remediationActions('rollback').filter((a) => /:Delete/.test(a))).toEqual(['cloudwatch:DeleteAlarms', 'logs:DeleteMetricFilter', 'sns:DeleteTopic']);
  });
});
