/**
 * Permissions the function gets only when a setting asks for them: each is a policy with a
 * template condition on its stack parameter, granting exactly one thing.
 */
import { yamlFile } from '../support/templates';

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
