/**
 * Permissions the function gets only when a setting asks for them: each is a policy with a
 * template condition on its stack parameter, granting exactly one thing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRAMEWORK_IDS } from '../../src/controls';
import { ROOT, yamlFile } from '../support/templates';

interface PolicyResource {
  Type: string;
  Condition?: string;
  Properties: { Roles: unknown[]; PolicyDocument: { Statement: unknown[] } };
}

const service = yamlFile('serverless.yml') as {
  provider: { environment: Record<string, unknown> };
  resources: { Parameters: Record<string, { Default: string }>; Conditions: Record<string, unknown>; Resources: Record<string, PolicyResource> };
};
const { Resources, Conditions, Parameters } = service.resources;

describe('serverless.yml: the exceptions file', () => {
  const policy = Resources.ExceptionsReadPolicy as PolicyResource;

  it('is read only when a location is set: an S3 object or an SSM parameter, empty by default', () => {
    expect(Parameters.ExceptionsS3Object?.Default).toBe('${param:exceptionsS3Object}');
    expect(Parameters.ExceptionsSsmParameter?.Default).toBe('${param:exceptionsSsmParameter}');
    expect(service.provider.environment).toMatchObject({
      EXCEPTIONS_S3_OBJECT: { Ref: 'ExceptionsS3Object' },
      EXCEPTIONS_SSM_PARAMETER: { Ref: 'ExceptionsSsmParameter' },
    });
    expect(policy.Condition).toBe('HasExceptions');
    expect(Conditions.HasExceptions).toEqual({ 'Fn::Or': [{ Condition: 'HasExceptionsS3Object' }, { Condition: 'HasExceptionsSsmParameter' }] });
    expect(policy.Properties.Roles).toEqual([{ Ref: 'IamRoleLambdaExecution' }]);
  });

  it('grants s3:GetObject on that object or ssm:GetParameter on that parameter, nothing else', () => {
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        'Fn::If': [
          'HasExceptionsS3Object',
          { Sid: 'ReadExceptionsObject', Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ExceptionsS3Object}' } },
          { Ref: 'AWS::NoValue' },
        ],
      },
      {
        'Fn::If': [
          'HasExceptionsSsmParameter',
          {
            Sid: 'ReadExceptionsParameter',
            Effect: 'Allow',
            Action: 'ssm:GetParameter',
            Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ExceptionsSsmParameter}' },
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
    ]);
  });
});

/**
 * The scanner role's grants as CloudFormation would create them for some stack parameters: the
 * role's own statements plus every policy on it whose condition holds, Fn::If resolved.
 */
function roleGrants(parameters: Record<string, string>): { action: string; resource: unknown }[] {
  const template = yamlFile('serverless.yml') as {
    params: { default: Record<string, unknown> };
    provider: { iam: { role: { statements: { Action: string | string[]; Resource: unknown }[] } } };
    resources: typeof service.resources;
  };
  const valueOf = (name: string): string => {
    if (name in parameters) return parameters[name] as string;
    const fallback = template.resources.Parameters[name]?.Default ?? '';
    const param = /^\$\{param:(\w+)\}$/.exec(fallback);
    return param ? String(template.params.default[param[1] as string]) : fallback;
  };
  const truthy = (value: unknown): boolean => value === true || value === 'true';
  const evaluate = (expression: unknown): unknown => {
    if (typeof expression !== 'object' || expression === null) return expression;
    const e = expression as Record<string, unknown[] | string>;
    if (typeof e.Ref === 'string' && e.Ref in template.resources.Parameters) return valueOf(e.Ref);
    if (typeof e.Condition === 'string') return holds(e.Condition);
    if (e['Fn::Equals']) return (e['Fn::Equals'] as unknown[]).map((x) => String(evaluate(x))).every((x, _, all) => x === all[0]);
    if (e['Fn::Not']) return !truthy(evaluate((e['Fn::Not'] as unknown[])[0]));
    if (e['Fn::Or']) return (e['Fn::Or'] as unknown[]).some((x) => truthy(evaluate(x)));
    if (e['Fn::And']) return (e['Fn::And'] as unknown[]).every((x) => truthy(evaluate(x)));
    throw new Error(`no evaluator for ${JSON.stringify(expression)}`);
  };
  const holds = (condition: string): boolean => truthy(evaluate(template.resources.Conditions[condition]));
  const resolveIf = (statement: unknown): unknown[] => {
    const s = statement as Record<string, unknown>;
    if (!('Fn::If' in s)) return [statement];
    const [condition, then, otherwise] = s['Fn::If'] as [string, unknown, unknown];
    const chosen = holds(condition) ? then : otherwise;
    return (chosen as { Ref?: string }).Ref === 'AWS::NoValue' ? [] : [chosen];
  };
  const policies = Object.values(template.resources.Resources).filter(
    (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: 'IamRoleLambdaExecution' }]) && (!r.Condition || holds(r.Condition)),
  );
  const statements = [...template.provider.iam.role.statements, ...policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap(resolveIf))] as {
    Action: string | string[];
    Resource: unknown;
  }[];
  return statements.flatMap((s) => [s.Action].flat().map((action) => ({ action, resource: s.Resource })));
}

describe('serverless.yml: Security Hub', () => {
  const securityHubGrants = (parameters: Record<string, string>) => roleGrants(parameters).filter((g) => g.action.startsWith('securityhub:'));

  it('is off by default and switched by a stack parameter the function reads as SECURITY_HUB', () => {
    expect((yamlFile('serverless.yml') as { params: { default: Record<string, unknown> } }).params.default.securityHub).toBe('false');
    expect(Parameters.SecurityHub).toMatchObject({ Default: '${param:securityHub}', AllowedValues: ['true', 'false'] });
    expect(service.provider.environment.SECURITY_HUB).toEqual({ Ref: 'SecurityHub' });
    expect(Resources.SecurityHubPolicy?.Condition).toBe('ImportsToSecurityHub');
  });

  it('grants no Security Hub action at all when off, whatever else is switched on', () => {
    expect(securityHubGrants({})).toEqual([]);
    expect(securityHubGrants({ SecurityHub: 'false', Remediate: 'apply', ExceptionsS3Object: 'bucket/exceptions.yml' })).toEqual([]);
    // The evaluator does see conditional policies: the exceptions read appears when asked for.
    expect(roleGrants({ ExceptionsS3Object: 'bucket/exceptions.yml' }).map((g) => g.action)).toContain('s3:GetObject');
  });

  it("grants exactly the calls src/notify/security-hub.ts and the doctor make when on: import under this account's default product, check, read and triage its hub", () => {
    expect(securityHubGrants({ SecurityHub: 'true' })).toEqual([
      {
        action: 'securityhub:BatchImportFindings',
        resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default' },
      },
      { action: 'securityhub:DescribeHub', resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default' } },
      { action: 'securityhub:GetFindings', resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default' } },
      { action: 'securityhub:BatchUpdateFindings', resource: { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default' } },
    ]);
    // Those are the commands the importer sends, no more.
    // The doctor's DescribeHub (src/doctor/read.ts) checks the hub is enabled before anyone relies on the import.
    const source = readFileSync(join(ROOT, 'src/notify/security-hub.ts'), 'utf8');
    const doctor = readFileSync(join(ROOT, 'src/doctor/read.ts'), 'utf8');
    const sent = [...source.matchAll(/new (\w+)Command\(/g), ...doctor.matchAll(/new (DescribeHub)Command\(/g)].map((m) => `securityhub:${m[1]}`);
    expect([...new Set(sent)].sort()).toEqual(securityHubGrants({ SecurityHub: 'true' }).map((g) => g.action).sort());
  });
});

describe('serverless.yml: framework and chat', () => {
  it('takes the framework as a stack parameter allowing every framework of the crosswalk, or none', () => {
    expect(Parameters.Framework).toMatchObject({ Default: '${param:framework}', AllowedValues: ['', ...FRAMEWORK_IDS] });
    expect(service.provider.environment.FRAMEWORK).toEqual({ Ref: 'Framework' });
  });

  it('creates the chat topic, and lets the function publish to it, only when chat is on', () => {
    const chatGrants = (parameters: Record<string, string>) => roleGrants(parameters).filter((g) => JSON.stringify(g.resource) === JSON.stringify({ Ref: 'ChatTopic' }));
    expect((yamlFile('serverless.yml') as { params: { default: Record<string, unknown> } }).params.default.chat).toBe('false');
    expect(Parameters.Chat).toMatchObject({ Default: '${param:chat}', AllowedValues: ['true', 'false'] });
    for (const name of ['ChatTopic', 'ChatTopicPolicy', 'ChatPublishPolicy']) expect(Resources[name]?.Condition).toBe('HasChat');
    expect(service.provider.environment.CHAT_TOPIC_ARN).toEqual({ 'Fn::If': ['HasChat', { Ref: 'ChatTopic' }, ''] });
    expect(chatGrants({})).toEqual([]);
    expect(chatGrants({ Chat: 'true' })).toEqual([{ action: 'sns:Publish', resource: { Ref: 'ChatTopic' } }]);
  });
});

describe('serverless.yml: the approval link', () => {
  const template = yamlFile('serverless.yml') as {
    params: { default: Record<string, unknown> };
    functions: Record<string, { handler: string; condition?: string; reservedConcurrency?: number; url?: unknown; environment?: Record<string, unknown> }>;
    resources: { Outputs: Record<string, { Condition?: string }> };
  };
  const linkGrants = (parameters: Record<string, string>) => roleGrants(parameters).filter((g) => g.action.startsWith('secretsmanager:'));

  it('is off by default and only meaningful with remediate=approve: its function, URL, secret and grant all hang on ApprovalLinkOn', () => {
    expect(template.params.default.approvalLink).toBe('false');
    expect(Parameters.ApprovalLink).toMatchObject({ Default: '${param:approvalLink}', AllowedValues: ['true', 'false'] });
    expect(Conditions.ApprovalLinkOn).toEqual({ 'Fn::And': [{ 'Fn::Equals': [{ Ref: 'Remediate' }, 'approve'] }, { 'Fn::Equals': [{ Ref: 'ApprovalLink' }, 'true'] }] });
    // osls gives the function's URL, its two public permissions and its log group the function's condition.
    expect(template.functions.approvalLink).toMatchObject({ handler: 'dist/lambda/approval-link.handler', condition: 'ApprovalLinkOn', reservedConcurrency: 2, url: true });
    for (const name of Object.keys(Resources).filter((n) => n.startsWith('ApprovalLink'))) expect([name, Resources[name]?.Condition]).toEqual([name, 'ApprovalLinkOn']);
    expect(Object.keys(Resources).filter((n) => n.startsWith('ApprovalLink')).sort()).toEqual(['ApprovalLinkSecret', 'ApprovalLinkSecretReadPolicy']);
    expect(Object.values(Resources).filter((r) => r.Type === 'AWS::SecretsManager::Secret' || r.Type === 'AWS::Lambda::Url').every((r) => r.Condition === 'ApprovalLinkOn')).toBe(true);
    expect(service.provider.environment.APPROVAL_LINK_SECRET_ARN).toBeUndefined();
    expect(template.functions.scan?.environment?.APPROVAL_LINK_SECRET_ARN).toEqual({ 'Fn::If': ['ApprovalLinkOn', { Ref: 'ApprovalLinkSecret' }, ''] });
    expect(template.functions.approvalLink?.environment).toEqual({ APPROVAL_LINK_SECRET_ARN: { Ref: 'ApprovalLinkSecret' } });
    expect(template.functions.scan?.environment?.APPROVAL_LINK_URL).toEqual({ 'Fn::If': ['ApprovalLinkOn', { 'Fn::GetAtt': ['ApprovalLinkLambdaFunctionUrl', 'FunctionUrl'] }, ''] });
  });

  it('generates the signing secret in the stack', () => {
    expect(Resources.ApprovalLinkSecret?.Type).toBe('AWS::SecretsManager::Secret');
    expect((Resources.ApprovalLinkSecret?.Properties as unknown as { GenerateSecretString: unknown }).GenerateSecretString).toEqual({ PasswordLength: 64, ExcludePunctuation: true });
  });

  it('grants reading that one secret only with the link on, and nothing of the link otherwise, whatever else is on', () => {
    expect(linkGrants({})).toEqual([]);
    expect(linkGrants({ Remediate: 'approve' })).toEqual([]);
    expect(linkGrants({ Remediate: 'apply', ApprovalLink: 'true' })).toEqual([]);
    expect(linkGrants({ Remediate: 'approve', ApprovalLink: 'true' })).toEqual([{ action: 'secretsmanager:GetSecretValue', resource: { Ref: 'ApprovalLinkSecret' } }]);
    // Applying through the link reuses the approve mode's remediation policy; the link adds no write of its own.
    const extra = roleGrants({ Remediate: 'approve', ApprovalLink: 'true' }).filter((g) => !roleGrants({ Remediate: 'approve' }).some((h) => JSON.stringify(h) === JSON.stringify(g)));
    expect(extra).toEqual([{ action: 'secretsmanager:GetSecretValue', resource: { Ref: 'ApprovalLinkSecret' } }]);
  });
});
