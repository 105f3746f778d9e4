/**
 * `trailwatch doctor` on moto: the real scanner stack (packaged and deployed as osls does it),
 * the demo organization, the member role deployed as a service-managed StackSet over one OU.
 * The reads are real SDK calls to moto. Two things moto does not do are stood in for, and said
 * where: moto does not enforce trust policies (every AssumeRole succeeds), so refusals are
 * injected into the doctor's SDK clients; and moto cannot run the function's code (that needs
 * docker), so "the function runs the checks" and "the schedule runs a scan" call the function's
 * real handler in-process, built from the function's configuration as moto holds it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateStackInstancesCommand, CreateStackSetCommand } from '@aws-sdk/client-cloudformation';
import { DisableRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateOrganizationalUnitCommand, DescribeOrganizationCommand, ListParentsCommand, ListRootsCommand, MoveAccountCommand } from '@aws-sdk/client-organizations';
import { ListSubscriptionsByTopicCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { AwsClients, type AttemptHook } from '../../src/aws/clients';
import { runDoctorCommand, type InvokeDoctor } from '../../src/cli/commands/doctor';
import { loadLambdaSettings } from '../../src/config';
import { MOTO_CREDENTIALS } from '../../src/demo/moto';
import { UsageError } from '../../src/errors';
import { seedDemoOrganization, type DemoOrganization } from '../../src/demo';
import { bucketRunRecorder, createHandler } from '../../src/lambda';
import { putRunRecord } from '../../src/notify/run-record';
import { runScan } from '../../src/scan';
import { assumeRoleDenied } from '../faults/inject';
import { captureStdoutJsonAsync } from '../notify/capture';
import { lambdaContext, scheduledEvent } from '../support/lambda';
import { motoClients, motoEndpoint, useMoto } from '../support/moto';
import { deployScannerStack, FUNCTION_NAME, packageScanner, STACK_NAME } from '../support/scanner-stack';
import { ROOT } from '../support/templates';

const REGION = 'us-east-1';
const EXTERNAL_ID = 'doctor-test-external-id';
const deployer = { accountId: 'deployer' };

interface Deployed {
  readonly demo: DemoOrganization;
  readonly outputs: Record<string, string>;
  /** Accounts in the OU the StackSet targets (they have an instance), and those outside it. */
  readonly reached: string[];
  readonly notReached: string[];
}

/** The demo organization, the scanner stack with an email subscription and an external ID, the member role's StackSet over one OU. */
/**
 * deploy/member-role.yml as AWS deploys it without RollbackPrincipalArn. moto turns
 * `!Ref AWS::NoValue` inside a list into the role name "None" (AWS drops the entry), so the
 * read policy's conditional rollback-role entry is taken out here; the rest is the file as shipped.
 */
function memberRoleTemplateForMoto(): string {
  const template = readFileSync(join(ROOT, 'deploy/member-role.yml'), 'utf8');
  const conditionalEntry = /^ *- !If \[RollbackEnabled, !Ref MemberRollbackRole, !Ref AWS::NoValue\]\n/m;
  if (!conditionalEntry.test(template)) throw new Error('deploy/member-role.yml changed: revisit memberRoleTemplateForMoto');
  return template.replace(conditionalEntry, '');
}

async function deploy(clients: AwsClients): Promise<Deployed> {
  const demo = await seedDemoOrganization(clients);
  const outputs = await deployScannerStack(clients, { notificationEmail: 'secops@example.com' });
  // As an operator would, after deploying with an empty externalId: give the function one.
  const lambda = clients.lambda(deployer, REGION);
  const configuration = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION_NAME }));
  await lambda.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: FUNCTION_NAME, Environment: { Variables: { ...configuration.Environment?.Variables, EXTERNAL_ID } } }),
  );

  const organizations = clients.organizations({ accountId: demo.managementAccountId });
  const { Roots } = await organizations.send(new ListRootsCommand({}));
  const rootId = Roots?.[0]?.Id as string;
  const { OrganizationalUnit } = await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'workloads' }));
  const members = demo.accounts.filter((a) => a.scanned && a.accountId !== demo.managementAccountId).map((a) => a.accountId);
  const reached = members.slice(0, 3);
  for (const accountId of reached) {
    const { Parents } = await organizations.send(new ListParentsCommand({ ChildId: accountId }));
    await organizations.send(new MoveAccountCommand({ AccountId: accountId, SourceParentId: Parents?.[0]?.Id, DestinationParentId: OrganizationalUnit?.Id }));
  }
  const { Organization } = await organizations.send(new DescribeOrganizationCommand({}));
  const cloudFormation = clients.cloudFormation(deployer, REGION);
  await cloudFormation.send(
    new CreateStackSetCommand({
      StackSetName: 'trailwatch-member-role',
      TemplateBody: memberRoleTemplateForMoto(),
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [
        { ParameterKey: 'ScannerRoleArn', ParameterValue: outputs.ScannerRoleArn },
        { ParameterKey: 'OrganizationId', ParameterValue: Organization?.Id },
        { ParameterKey: 'ExternalId', ParameterValue: EXTERNAL_ID },
      ],
    }),
  );
  await cloudFormation.send(
    new CreateStackInstancesCommand({ StackSetName: 'trailwatch-member-role', DeploymentTargets: { OrganizationalUnitIds: [OrganizationalUnit?.Id as string] }, Regions: [REGION] }),
  );
  return { demo, outputs, reached, notReached: members.slice(3) };
}

/** The function's handler, in-process, configured as moto holds the function (moto cannot run its code). */
async function functionHandler(clients: AwsClients) {
  const configuration = await clients.lambda(deployer, REGION).send(new GetFunctionConfigurationCommand({ FunctionName: FUNCTION_NAME }));
  const settings = loadLambdaSettings({ ...configuration.Environment?.Variables, AWS_REGION: REGION, AWS_ENDPOINT_URL: motoEndpoint() });
  const logger = new Logger({ serviceName: 'trailwatch' });
  const recordRun = bucketRunRecorder(settings, () => motoClients(), logger);
  return createHandler({
    settings,
    logger,
    metrics: new Metrics({ namespace: 'trailwatch', serviceName: 'trailwatch' }),
    runScan,
    clients: () => motoClients(),
    ...(recordRun ? { recordRun } : {}),
    functionName: FUNCTION_NAME,
    ...(configuration.Timeout ? { functionTimeoutSeconds: configuration.Timeout } : {}),
  });
}

async function doctor(options: { local?: boolean; stack?: string; hooks?: AttemptHook[]; invoke?: InvokeDoctor; format?: 'text' | 'json' } = {}) {
  const clients = new AwsClients({ endpointUrl: motoEndpoint(), credentials: MOTO_CREDENTIALS, attemptHooks: options.hooks ?? [] });
  let stdout = '';
  const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, stdin: process.stdin };
  try {
    const code = await runDoctorCommand(
      { stack: options.stack ?? STACK_NAME, region: REGION, concurrency: 4, format: options.format ?? 'text', ...(options.local ? { local: true } : {}) },
      io,
      { clients, ...(options.invoke ? { invoke: options.invoke } : {}) },
    );
    return { code, stdout };
  } finally {
    clients.destroy();
  }
}

describe('trailwatch doctor on moto', () => {
  useMoto();
  let clients: AwsClients;
  let deployed: Deployed;
  beforeAll(() => packageScanner(), 300_000);
  beforeEach(async () => {
    clients = motoClients();
    deployed = await deploy(clients);
  }, 240_000);
  afterEach(() => clients.destroy());

  it('passes on the demo organization after a scheduled scan, saying how the scan ended', async () => {
    // Prepare: the schedule's invocation (in-process: moto cannot run the function's code)
    const handler = await functionHandler(clients);
    await captureStdoutJsonAsync(() => handler(scheduledEvent, lambdaContext));
    // Act
    const { code, stdout } = await doctor({ local: true });
    // Assess
    expect(stdout).toContain(`the deployment named by stack '${STACK_NAME}' (${REGION}), checked with your credentials`);
    expect(stdout).toMatch(/ok +organization +lists 7 active accounts of o-\w+ \(1 account not active, not scanned\)/);
    expect(stdout).toMatch(/ok +member role +'trailwatch-member-read' assumed with the external ID in every active account \(6\)/);
    expect(stdout).toMatch(/ok +findings topic +1 confirmed subscription \(email\)/);
    expect(stdout).toMatch(/ok +schedule +'trailwatch-prod-scan-schedule' is enabled \(rate\(1 day\)\)/);
    expect(stdout).toMatch(/ok +last scheduled scan +ran \S+ \(\d+ minutes ago\) and finished: \d+ FAIL, 0 ERROR, \d+ PASS in 8 accounts; report published/);
    expect(stdout).toMatch(/ok +failure queue +empty/);
    expect(stdout).not.toContain('PROBLEM');
    expect(code).toBe(0);
  }, 240_000);

  it('names each injected problem with what to do, and exits 1', async () => {
    // Prepare: AssumeRole refused in one account the StackSet reached and one it did not
    // (injected: moto does not enforce trust policies); the rest is moto's real state.
    const [trustMismatch] = deployed.reached;
    const [missing] = deployed.notReached;
    const refusal = assumeRoleDenied([trustMismatch as string, missing as string]);
    await clients.eventBridge(deployer, REGION).send(new DisableRuleCommand({ Name: deployed.outputs.ScheduleRuleName }));
    const sns = clients.sns(deployer, REGION);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: deployed.outputs.FindingsTopicArn }));
    for (const s of Subscriptions ?? []) await sns.send(new UnsubscribeCommand({ SubscriptionArn: s.SubscriptionArn }));
    await clients.sqs(deployer, REGION).send(new SendMessageCommand({ QueueUrl: deployed.outputs.ScanFailureQueueUrl, MessageBody: '{"errorMessage":"Task timed out"}' }));
    await putRunRecord(clients.s3(deployer, REGION), deployed.outputs.ReportBucketName as string, 'trailwatch/', {
      trigger: 'schedule',
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      outcome: 'failed',
      detail: 'publishing the report failed: AuthorizationError',
    });
    // Act
    const { code, stdout } = await doctor({ local: true, hooks: [refusal.hook] });
    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(new RegExp(`PROBLEM +member role +role missing in 1 account: the StackSet 'trailwatch-member-role' has no instance there \\(it did not reach them\\)\\n +accounts: ${missing}\\n`));
    expect(stdout).toMatch(new RegExp(`PROBLEM +member role +access denied in 1 account where the StackSet's role exists: .*\\n +accounts: ${trustMismatch}\\n`));
    expect(stdout).toMatch(/ok +member role +'trailwatch-member-read' assumed in 4 of 6 active accounts/);
    expect(stdout).toMatch(/PROBLEM +findings topic +nobody is subscribed to the findings topic/);
    expect(stdout).toMatch(/PROBLEM +schedule +the schedule 'trailwatch-prod-scan-schedule' is DISABLED: no scheduled scan runs\n.*\n +aws events enable-rule --name trailwatch-prod-scan-schedule --region us-east-1/);
    expect(stdout).toMatch(/PROBLEM +last scheduled scan +the last scheduled scan \(started \S+\) failed: publishing the report failed: AuthorizationError/);
    expect(stdout).toMatch(/PROBLEM +failure queue +1 invocation failed after its retries/);
    expect(stdout).toContain('6 problems');
  }, 240_000);

  it('runs the checks in the function by default (the function\'s handler, in-process), as the scanner', async () => {
    // Prepare: lambda:Invoke stood in by the handler itself (moto cannot run the function's code)
    const handler = await functionHandler(clients);
    const invoke: InvokeDoctor = async (_clients, functionName, region) => {
      expect([functionName, region]).toEqual([FUNCTION_NAME, REGION]);
      return (await captureStdoutJsonAsync(() => handler({ doctor: true }, lambdaContext))).result;
    };
    // Act
    const { code, stdout } = await doctor({ invoke, format: 'json' });
    // Assess
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ healthy: true, perspective: 'scanner', source: "the function's environment" });
    expect(report.notes[0]).toMatch(/^no scheduled scan has run yet/);
    expect(code).toBe(0);
  }, 240_000);

  it('refuses a stack that is not there as a usage error (exit 2), naming it', async () => {
    const attempt = doctor({ local: true, stack: 'trailwatch-nope' });
    await expect(attempt).rejects.toThrow("there is no stack 'trailwatch-nope' (us-east-1): give the scanner stack's name with --stack");
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
  }, 240_000);
});
