/**
 * Remediation's permissions in the deployment templates, read as data: per mode exactly what
 * src/remediate/permissions.ts lists, scoped as it says, and only when that mode is switched on —
 * apply with Remediate=apply / EnableRemediation, fix-alarms with RemediationFixAlarms, rollback
 * only in the member template's separate rollback role, which the scanner cannot assume.
 * (test/deploy/permissions.test.ts holds permissions.ts to the calls the code makes.)
 */
import { REUSED_TOPIC_ACTIONS, permissionsFor, type PermissionUse } from '../../src/remediate/permissions';
import { yamlFile } from '../support/templates';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: unknown;
}
type PolicyEntry = Statement | { 'Fn::If': [string, Statement, unknown] };
interface PolicyDocument {
  Statement: PolicyEntry[];
}

const plain = (entries: readonly PolicyEntry[]): Statement[] => entries.filter((e): e is Statement => 'Sid' in e);
const conditional = (entries: readonly PolicyEntry[]): Record<string, unknown> =>
  Object.fromEntries(entries.flatMap((e) => ('Fn::If' in e ? [[e['Fn::If'][0], [e['Fn::If'][1], e['Fn::If'][2]]]] : [])));

/** permissions.ts's entries for a mode, as the templates write them. */
function declaredStatements(use: PermissionUse): Statement[] {
  return permissionsFor(use).map((p) => ({
    Sid: p.sid,
    Effect: 'Allow',
    Action: p.actions.length === 1 ? p.actions[0]! : [...p.actions],
    Resource: p.resource === '*' ? '*' : { 'Fn::Sub': p.resource },
  }));
}

const NO_VALUE = { Ref: 'AWS::NoValue' };

function reusedTopic(use: PermissionUse, condition: string, topicParameter: string): Record<string, unknown> {
  const actions = REUSED_TOPIC_ACTIONS[use];
  return {
    [condition]: [{ Sid: 'ReusedAlertTopic', Effect: 'Allow', Action: actions.length === 1 ? actions[0] : [...actions], Resource: { Ref: topicParameter } }, NO_VALUE],
  };
}

function fixAlarms(condition: string): Record<string, unknown> {
  return { [condition]: [declaredStatements('fix-alarms')[0], NO_VALUE] };
}

describe('serverless.yml remediation', () => {
  const service = yamlFile('serverless.yml') as {
    params: { default: Record<string, unknown> };
    provider: { environment: Record<string, unknown> };
    resources: {
      Parameters: Record<string, { Default: unknown; AllowedValues?: string[] }>;
      Conditions: Record<string, unknown>;
      Resources: Record<string, { Type: string; Condition: string; Properties: { Roles: unknown[]; PolicyDocument: PolicyDocument } }>;
    };
  };
  const policy = service.resources.Resources.RemediationPolicy!;
  const statements = policy.Properties.PolicyDocument.Statement;

  it('is off by default and switched by stack parameters', () => {
    expect(service.params.default.remediate).toBe('off');
    expect(service.params.default.remediationFixAlarms).toBe('false');
    expect(service.resources.Parameters.Remediate).toMatchObject({ Default: '${param:remediate}', AllowedValues: ['off', 'plan', 'apply', 'approve'] });
    expect(service.resources.Parameters.RemediationFixAlarms).toMatchObject({ Default: '${param:remediationFixAlarms}', AllowedValues: ['true', 'false'] });
    expect(service.provider.environment.REMEDIATE).toEqual({ Ref: 'Remediate' });
    expect(service.provider.environment.REMEDIATION_FIX_ALARMS).toEqual({ Ref: 'RemediationFixAlarms' });
    // approve applies what someone approved: the same write policy, and only then.
    expect(service.resources.Conditions.RemediationApplies).toEqual({
      'Fn::Or': [{ 'Fn::Equals': [{ Ref: 'Remediate' }, 'apply'] }, { 'Fn::Equals': [{ Ref: 'Remediate' }, 'approve'] }],
    });
    expect(service.resources.Conditions.RemediationFixesAlarms).toEqual({
      'Fn::And': [{ Condition: 'RemediationApplies' }, { 'Fn::Equals': [{ Ref: 'RemediationFixAlarms' }, 'true'] }],
    });
  });

  it('grants the function exactly the apply permissions, only with Remediate=apply, and EnableAlarmActions only with fix-alarms', () => {
    expect(policy.Type).toBe('AWS::IAM::Policy');
    expect(policy.Condition).toBe('RemediationApplies');
    expect(policy.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
    expect(plain(statements)).toEqual(declaredStatements('apply'));
    expect(conditional(statements)).toEqual({
      ...reusedTopic('apply', 'HasRemediationAlertTopic', 'RemediationAlertTopicArn'),
      ...fixAlarms('RemediationFixesAlarms'),
    });
  });

  it('gives the function nothing of rollback', () => {
    const granted = JSON.stringify(service.resources.Resources);

    expect(granted).not.toMatch(/Delete(Alarms|Topic|MetricFilter)|sns:ListTopics/);
  });
});

describe('deploy/member-role.yml remediation', () => {
  const template = yamlFile('deploy/member-role.yml') as {
    Parameters: Record<string, { Default: unknown; AllowedValues?: string[] }>;
    Rules: Record<string, { RuleCondition: unknown; Assertions: { Assert: unknown }[] }>;
    Conditions: Record<string, unknown>;
    Resources: Record<
      string,
      {
        Type: string;
        Condition?: string;
        Properties: {
          Roles?: unknown[];
          PolicyDocument?: PolicyDocument;
          RoleName?: unknown;
          AssumeRolePolicyDocument?: { Statement: Statement[] };
          Policies?: { PolicyName: string; PolicyDocument: PolicyDocument }[];
        };
      }
    >;
  };
  const remediation = template.Resources.MemberRemediationPolicy!;
  const rollbackRole = template.Resources.MemberRollbackRole!;

  it('adds apply to the read role only with EnableRemediation, fix-alarms only with RemediationFixAlarms', () => {
    const statements = remediation.Properties.PolicyDocument!.Statement;

    expect(template.Parameters.EnableRemediation?.Default).toBe('false');
    expect(template.Parameters.RemediationFixAlarms?.Default).toBe('false');
    expect(remediation.Condition).toBe('RemediationEnabled');
    expect(template.Conditions.RemediationEnabled).toEqual({ 'Fn::Equals': [{ Ref: 'EnableRemediation' }, 'true'] });
    expect(template.Conditions.FixAlarmsEnabled).toEqual({
      'Fn::And': [{ Condition: 'RemediationEnabled' }, { 'Fn::Equals': [{ Ref: 'RemediationFixAlarms' }, 'true'] }],
    });
    expect(remediation.Properties.Roles).toEqual([{ Ref: 'MemberReadRole' }]);
    expect(plain(statements)).toEqual(declaredStatements('apply'));
    expect(conditional(statements)).toEqual({ ...reusedTopic('apply', 'HasRemediationAlertTopic', 'RemediationAlertTopicArn'), ...fixAlarms('FixAlarmsEnabled') });
  });

  it('keeps rollback in a role of its own, made only when RollbackPrincipalArn names who may use it', () => {
    expect(template.Parameters.RollbackPrincipalArn?.Default).toBe('');
    expect(template.Conditions.RollbackEnabled).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RollbackPrincipalArn' }, ''] }] });
    expect(rollbackRole.Type).toBe('AWS::IAM::Role');
    expect(rollbackRole.Condition).toBe('RollbackEnabled');
    expect(rollbackRole.Properties.RoleName).toEqual({ Ref: 'RollbackRoleName' });
    const policies = rollbackRole.Properties.Policies!;
    expect(policies.map((p) => p.PolicyName)).toEqual(['trailwatch-rollback']);
    expect(plain(policies[0]!.PolicyDocument.Statement)).toEqual(declaredStatements('rollback'));
    expect(conditional(policies[0]!.PolicyDocument.Statement)).toEqual(reusedTopic('rollback', 'RollbackOnReusedTopic', 'RemediationAlertTopicArn'));
    // The read role (the one the scanner assumes) holds no rollback action.
    const readRoleGrants = JSON.stringify([template.Resources.MemberReadRole, remediation, template.Resources.MemberReadPolicy]);
    expect(readRoleGrants).not.toMatch(/Delete(Alarms|Topic|MetricFilter)|sns:ListTopics/);
  });

  it('lets only the rollback principal assume the rollback role, never the scanner', () => {
    expect(rollbackRole.Properties.AssumeRolePolicyDocument!.Statement).toEqual([
      {
        Sid: 'TrustTheRollbackPrincipalOnly',
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'RollbackPrincipalArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' }, 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
      },
    ]);
    expect(template.Rules.RollbackIsNotTheScanner).toEqual({
      RuleCondition: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RollbackPrincipalArn' }, ''] }] },
      Assertions: [
        { Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RollbackPrincipalArn' }, { Ref: 'ScannerRoleArn' }] }] }, AssertDescription: expect.any(String) },
        { Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'RollbackRoleName' }, { Ref: 'RoleName' }] }] }, AssertDescription: expect.any(String) },
      ],
    });
  });

  it('gives the rollback role the collector\'s reads too (rollback scans first), through the one read policy', () => {
    expect(template.Resources.MemberReadPolicy?.Properties.Roles).toEqual([
      { Ref: 'MemberReadRole' },
      { 'Fn::If': ['RollbackEnabled', { Ref: 'MemberRollbackRole' }, { Ref: 'AWS::NoValue' }] },
    ]);
  });
});
