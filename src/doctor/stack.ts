/**
 * From a terminal, the doctor finds the deployment through the scanner stack: its outputs name the
 * function (CloudFormation DescribeStacks, output ScanFunctionName), and the function's
 * configuration (Lambda GetFunctionConfiguration) gives the environment the function reads.
 * CLI only: the function knows its own settings, and its role is not granted these two reads.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import type { AwsClients } from '../aws/clients';
import { describeError, readErrorCode } from '../collect/read-errors';
import { loadLambdaSettings, type LambdaSettings } from '../config';
import { TrailwatchError, UsageError } from '../errors';
import { deploymentFromSettings } from './deployment';
import type { Deployment } from './types';

/** The stack's or the function's names could not be read: the doctor cannot start (exit 2). */
export class DeploymentNotFoundError extends UsageError {}

export interface StackDeployment {
  readonly deployment: Deployment;
  readonly functionTimeoutSeconds?: number;
}

/** The output of the scanner stack that names its function. */
export const FUNCTION_NAME_OUTPUT = 'ScanFunctionName';

/** From a terminal: the stack's outputs, then the function's own environment. */
export async function deploymentFromStack(clients: AwsClients, stackName: string, region: string): Promise<StackDeployment> {
  const session = { accountId: 'doctor' };
  const where = `stack '${stackName}' (${region})`;
  let outputs: Record<string, string>;
  try {
    const { Stacks } = await clients.cloudFormation(session, region).send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    const missing = readErrorCode(error) === 'NotFound' || /does not exist/.test(describeError(error));
    throw new DeploymentNotFoundError(
      missing
        ? `there is no ${where}: give the scanner stack's name with --stack (serverless names it trailwatch-<stage>) and its region with --region`
        : `cannot read ${where} (${describeError(error)})`,
      { cause: error },
    );
  }
  const functionName = outputs[FUNCTION_NAME_OUTPUT];
  if (!functionName) {
    throw new DeploymentNotFoundError(`${where} has no output ${FUNCTION_NAME_OUTPUT}: it was deployed by an older trailwatch; deploy this version (npm run deploy) first`);
  }
  let environment: Record<string, string | undefined>;
  let timeout: number | undefined;
  try {
    const configuration = await clients.lambda(session, region).send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    environment = configuration.Environment?.Variables ?? {};
    timeout = configuration.Timeout;
  } catch (error) {
    throw new DeploymentNotFoundError(`cannot read the configuration of function ${functionName} of ${where} (${describeError(error)})`, { cause: error });
  }
  let settings: LambdaSettings;
  try {
    settings = loadLambdaSettings({ AWS_REGION: region, ...environment });
  } catch (error) {
    throw new TrailwatchError(`function ${functionName} of ${where} has a configuration it would refuse to start with: ${(error as Error).message}`, { cause: error });
  }
  return { deployment: deploymentFromSettings(settings, where, functionName), ...(timeout !== undefined ? { functionTimeoutSeconds: timeout } : {}) };
}
