/**
 * `trailwatch doctor`: checks a deployment and changes nothing. The stack's outputs name the scan
 * function; by default the function itself runs the checks (payload `{"doctor": true}`), as the
 * scanner, with its own role; with --local they run here, with the caller's credentials (what
 * `trailwatch scan` from this workstation needs). Exit 0: healthy; 1: problems; 2: the stack or
 * the function could not be read.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Option } from 'commander';
import { z } from 'zod';
import { AwsClients } from '../../aws/clients';
import { assertProfileExists } from '../../aws/profiles';
import { describeError } from '../../collect/read-errors';
import { deploymentFromStack, diagnose, DoctorArea, readDeploymentFacts, renderDoctorJson, renderDoctorText, type DoctorReport } from '../../doctor';
import { UsageError } from '../../errors';
import { formatOption, parsedBy } from '../options';
import { ExitCode, type CliIo, type ExitCodeValue, type RegisterCommand } from '../types';
import { parsePositiveInteger, parseProfile, parseRegions } from './scan';

export interface DoctorCommandOptions {
  readonly stack: string;
  readonly region: string;
  readonly local?: boolean;
  readonly endpointUrl?: string;
  readonly profile?: string;
  readonly concurrency: number;
  readonly format: 'text' | 'json';
}

/** Runs the checks inside the deployed function and returns its report (tests give an in-process one). */
export type InvokeDoctor = (clients: AwsClients, functionName: string, region: string) => Promise<unknown>;

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function parseStackName(value: string): string {
  if (!STACK_NAME.test(value)) throw new UsageError(`'${value}' is not a CloudFormation stack name`);
  return value;
}

export const registerDoctor: RegisterCommand = (program, cli) => {
  program
    .command('doctor')
    .description('check a deployment without changing anything: organization, member roles, findings topic, schedule, last scan; says what to do per problem')
    .addOption(new Option('--stack <name>', 'the scanner stack (serverless names it trailwatch-<stage>)').default('trailwatch-prod').argParser(parsedBy(parseStackName)))
    .addOption(new Option('--region <region>', "the stack's region").default(process.env.AWS_REGION ?? 'us-east-1').argParser(parsedBy((v) => parseRegions(v)[0] as string)))
    .addOption(new Option('--local', 'run the checks here with your own credentials (what trailwatch scan from this workstation needs), not in the scan function'))
    .addOption(new Option('--endpoint-url <url>', 'send every AWS call here (an emulator such as moto)'))
    .addOption(new Option('--profile <name>', 'the AWS profile to use').argParser(parsedBy(parseProfile)))
    .addOption(new Option('--concurrency <n>', 'member roles tried at once (--local)').default(8).argParser(parsedBy(parsePositiveInteger)))
    .addOption(formatOption(['text', 'json'], 'text'))
    .hook('preAction', async (action) => {
      const { profile } = action.opts<{ profile?: string }>();
      if (profile !== undefined) await assertProfileExists(profile);
    })
    .action(async (options: DoctorCommandOptions) => cli.setExitCode(await runDoctorCommand(options, cli.io)));
};

export async function runDoctorCommand(
  options: DoctorCommandOptions,
  io: CliIo,
  extra: { clients?: AwsClients; invoke?: InvokeDoctor; now?: () => Date } = {},
): Promise<ExitCodeValue> {
  const clients = extra.clients ?? new AwsClients({ ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}), ...(options.profile ? { profile: options.profile } : {}) });
  try {
    const { deployment, functionTimeoutSeconds } = await deploymentFromStack(clients, options.stack, options.region);
    let report: DoctorReport;
    if (options.local) {
      const facts = await readDeploymentFacts({
        clients,
        deployment,
        perspective: 'caller',
        concurrency: options.concurrency,
        ...(functionTimeoutSeconds !== undefined ? { functionTimeoutSeconds } : {}),
        ...(extra.now ? { now: extra.now } : {}),
      });
      report = diagnose(facts);
    } else {
      report = await inFunction(clients, deployment.functionName as string, options.region, deployment.source, extra.invoke ?? invokeFunction);
    }
    io.stdout.write(options.format === 'json' ? renderDoctorJson(report) : renderDoctorText(report));
    return report.healthy ? ExitCode.OK : ExitCode.NOT_OK;
  } finally {
    if (!extra.clients) clients.destroy();
  }
}

/** The function's answer, checked enough to print; a function that cannot answer is itself the problem. */
async function inFunction(clients: AwsClients, functionName: string, region: string, source: string, invoke: InvokeDoctor): Promise<DoctorReport> {
  let answer: unknown;
  try {
    answer = await invoke(clients, functionName, region);
  } catch (error) {
    return {
      healthy: false,
      checkedAt: new Date().toISOString(),
      perspective: 'scanner',
      source,
      checks: [],
      problems: [
        {
          area: DoctorArea.DEPLOYMENT,
          summary: `the scan function ${functionName} could not run the checks (${describeError(error)})`,
          todo: 'read the function\'s log; run `trailwatch doctor --local` to check from here meanwhile',
          commands: [`aws logs filter-log-events --log-group-name /aws/lambda/${functionName} --start-time <epoch-ms> --region ${region}`],
        },
      ],
      notes: [],
    };
  }
  const parsed = doctorReportSchema.safeParse(answer);
  if (!parsed.success) {
    throw new UsageError(`the scan function ${functionName} did not answer with a doctor report: deploy this version of trailwatch (npm run deploy)`);
  }
  return parsed.data as DoctorReport;
}

const doctorReportSchema = z.looseObject({
  healthy: z.boolean(),
  checkedAt: z.string(),
  perspective: z.enum(['scanner', 'caller']),
  source: z.string(),
  checks: z.array(z.looseObject({ area: z.string(), text: z.string() })),
  problems: z.array(z.looseObject({ area: z.string(), summary: z.string(), todo: z.string() })),
  notes: z.array(z.string()),
});

/** lambda:InvokeFunction with `{"doctor": true}`; a function error is thrown with its message. */
export const invokeFunction: InvokeDoctor = async (clients, functionName, region) => {
  const response = await clients.lambda({ accountId: 'doctor' }, region).send(
    new InvokeCommand({ FunctionName: functionName, Payload: new TextEncoder().encode(JSON.stringify({ doctor: true })) }),
  );
  const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
  if (response.FunctionError) {
    let message = text;
    try {
      message = (JSON.parse(text) as { errorMessage?: string }).errorMessage ?? text;
    } catch {
      // not JSON: the text is the message
    }
    throw new Error(`${response.FunctionError}: ${message}`);
  }
  return JSON.parse(text) as unknown;
};
