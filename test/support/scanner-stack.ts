/**
 * The real scanner stack in moto, deployed as `osls deploy` does it: `npm run package` (offline)
 * writes the create and update templates and the artefact; the create template makes the
 * deployment bucket, the artefact goes there, the update template makes everything else.
 * moto does not create the AWS::SNS::Subscription of the template, so the email subscription
 * is made with the SDK afterwards (moto confirms it at once, as it does every subscription).
 * moto also resolves every output's export even when the output's condition is false, and fails on a
 * GetAtt of a resource the condition left out (the approval link's Function URL); so the update
 * template goes to moto without the exports of conditional outputs (nothing here imports them).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateStackCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SubscribeCommand } from '@aws-sdk/client-sns';
import type { AwsClients } from '../../src/aws/clients';
import { ROOT } from './templates';

export const STACK_NAME = 'trailwatch-prod';
export const FUNCTION_NAME = 'trailwatch-prod-scan';

interface Packaged {
  readonly create: string;
  readonly update: string;
  readonly artefact: Buffer;
  readonly artefactKey: string;
}

let packaged: Packaged | undefined;

/** `npm run package` once per test process (offline: no credentials, no AWS). */
export function packageScanner(): Packaged {
  if (packaged) return packaged;
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/package.mjs'), 'package'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0) throw new Error(`npm run package failed: ${run.stdout}${run.stderr}`);
  const update = readFileSync(join(ROOT, '.serverless/cloudformation-template-update-stack.json'), 'utf8');
  const code = (JSON.parse(update) as { Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }> }).Resources.ScanLambdaFunction?.Properties.Code;
  packaged = {
    create: readFileSync(join(ROOT, '.serverless/cloudformation-template-create-stack.json'), 'utf8'),
    update: withoutConditionalExports(update),
    artefact: readFileSync(join(ROOT, '.serverless/trailwatch.zip')),
    artefactKey: code?.S3Key ?? '',
  };
  return packaged;
}

function withoutConditionalExports(template: string): string {
  const parsed = JSON.parse(template) as { Outputs?: Record<string, { Condition?: string; Export?: unknown }> };
  for (const output of Object.values(parsed.Outputs ?? {})) if (output.Condition) delete output.Export;
  return JSON.stringify(parsed);
}

async function outputsOf(clients: AwsClients, region: string): Promise<Record<string, string>> {
  const { Stacks } = await clients.cloudFormation({ accountId: 'deployer' }, region).send(new DescribeStacksCommand({ StackName: STACK_NAME }));
  return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

/** Deploys the scanner stack into moto (the caller's account) and returns its outputs. */
export async function deployScannerStack(clients: AwsClients, options: { region?: string; notificationEmail?: string } = {}): Promise<Record<string, string>> {
  const region = options.region ?? 'us-east-1';
  const session = { accountId: 'deployer' };
  const { create, update, artefact, artefactKey } = packageScanner();
  const cloudFormation = clients.cloudFormation(session, region);
  await cloudFormation.send(new CreateStackCommand({ StackName: STACK_NAME, TemplateBody: create }));
  const bucket = (await outputsOf(clients, region)).ServerlessDeploymentBucketName;
  await clients.s3(session, region).send(new PutObjectCommand({ Bucket: bucket, Key: artefactKey, Body: artefact }));
  await cloudFormation.send(
    new UpdateStackCommand({
      StackName: STACK_NAME,
      TemplateBody: update,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      ...(options.notificationEmail ? { Parameters: [{ ParameterKey: 'NotificationEmail', ParameterValue: options.notificationEmail }] } : {}),
    }),
  );
  const outputs = await outputsOf(clients, region);
  if (options.notificationEmail) {
    await clients.sns(session, region).send(new SubscribeCommand({ TopicArn: outputs.FindingsTopicArn, Protocol: 'email', Endpoint: options.notificationEmail }));
  }
  return outputs;
}
