/**
 * Remediation's write permissions in the deployment templates, read as data: they exist only when
 * remediation is enabled, grant exactly what src/remediate/permissions.ts lists (which a moto test
 * holds to what apply and rollback call), and are scoped as it says.
 */
import { yamlFile } from '../support/templates';
import { REMEDIATION_PERMISSIONS, REUSED_TOPIC_ACTIONS, remediationActions } from '../../src/remediate/permissions';

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
type PolicyEntry = Statement | { 'Fn::If': [string, Statement, unknown] };
interface PolicyResource {
  Type: string;
  Condition: string;
  Properties: { Roles: unknown[]; PolicyDocument: { Statement: PolicyEntry[] } };
}

const actionsOf = (s: Statement): string[] => [s.Action].flat();
const plain = (entries: PolicyEntry[]): Statement[] => entries.filter((e): e is Statement => 'Sid' in e);
const conditional = (entries: PolicyEntry[]): Statement[] => entries.flatMap((e) => ('Fn::If' in e ? [e['Fn::If'][1]] : []));

/** The resource permissions.ts declares for an action, as the templates write it. */
function declaredResource(action: string): string {
  const permission = REMEDIATION_PERMISSIONS.find((p) => p.actions.includes(action));
  return permission?.resources[0] ?? 'undeclared';
}

function expectScopedAsDeclared(statements: Statement[]): void {
  for (const statement of statements) {
    for (const action of actionsOf(statement)) {
      const resource = typeof statement.Resource === 'string' ? statement.Resource : (statement.Resource as { 'Fn::Sub': string })['Fn::Sub'];
      expect(`${action} on ${resource}`).toBe(`${action} on ${declaredResource(action)}`);
    }
  }
}

describe('serverless.yml remediation', () => {
  const service = yamlFile('serverless.yml') as {
    params: { default: Record<string, unknown> };
    provider: { environment: Record<string, unknown> };
    resources: { Parameters: Record<string, { Default: unknown; AllowedValues?: string[] }>; Conditions: Record<string, unknown>; Resources: Record<string, PolicyResource> };
  };
  const policy = service.resources.Resources.RemediationPolicy as PolicyResource;
  const statements = policy.Properties.PolicyDocument.Statement;

  it('is off by default and switched by a stack parameter', () => {
    expect(service.params.default.remediate).toBe('off');
    expect(service.resources.Parameters.Remediate).toMatchObject({ Default: '${param:remediate}', AllowedValues: ['off', 'plan', 'apply'] });
    expect(service.provider.environment.REMEDIATE).toEqual({ Ref: 'Remediate' });
    expect(service.resources.Conditions.RemediationApplies).toEqual({ 'Fn::Equals': [{ Ref: 'Remediate' }, 'apply'] });
  });

  it('grants the function exactly the apply permissions, only with REMEDIATE=apply', () => {
    expect(policy.Type).toBe('AWS::IAM::Policy');
    expect(policy.Condition).toBe('RemediationApplies');
    expect(policy.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
    expect(plain(statements).flatMap(actionsOf).sort()).toEqual(remediationActions('apply'));
    expect(plain(statements).flatMap(actionsOf)).not.toContain('sns:DeleteTopic');
    expect(plain(statements).flatMap(actionsOf)).not.toContain('cloudwatch:DeleteAlarms');
    expectScopedAsDeclared(plain(statements));
  });

  it('lets it touch a reused alert topic only when one is configured', () => {
    expect(statements.find((e) => 'Fn::If' in e)).toEqual({
      'Fn::If': [
        'HasRemediationAlertTopic',
        { Sid: 'ReusedAlertTopic', Effect: 'Allow', Action: [...REUSED_TOPIC_ACTIONS], Resource: { Ref: 'RemediationAlertTopicArn' } },
        { Ref: 'AWS::NoValue' },
      ],
    });
  });
});

describe('deploy/member-role.yml remediation', () => {
  const template = yamlFile('deploy/member-role.yml') as {
    Parameters: Record<string, { Default: unknown }>;
    Conditions: Record<string, unknown>;
    Resources: Record<string, PolicyResource>;
  };
  const policy = template.Resources.MemberRemediationPolicy as PolicyResource;
  const statements = policy.Properties.PolicyDocument.Statement;

  it('is an optional policy on the member role, off by default', () => {
    expect(template.Parameters.EnableRemediation?.Default).toBe('false');
    expect(policy.Condition).toBe('RemediationEnabled');
    expect(template.Conditions.RemediationEnabled).toEqual({ 'Fn::Equals': [{ Ref: 'EnableRemediation' }, 'true'] });
    expect(policy.Properties.Roles).toEqual([{ Ref: 'MemberReadRole' }]);
  });

  it('grants exactly what apply and rollback need, scoped as declared', () => {
    expect(plain(statements).flatMap(actionsOf).sort()).toEqual(remediationActions());
    expectScopedAsDeclared(plain(statements));
    expect(conditional(statements)).toEqual([{ Sid: 'ReusedAlertTopic', Effect: 'Allow', Action: [...REUSED_TOPIC_ACTIONS], Resource: { Ref: 'RemediationAlertTopicArn' } }]);
  });
});
