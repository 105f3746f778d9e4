/**
 * `trailwatch remediate`: scan, then plan what makes the failing checks pass (--plan, the
 * default), make it (--apply, then a re-scan of the touched accounts with before -> after), or
 * remove what trailwatch made (--rollback, with --plan to see it first). --approve / --reject
 * decide a plan the Lambda kept with REMEDIATE=approve, with the caller's own credentials.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Option, type Command } from 'commander';
import { AwsClients } from '../../aws/clients';
import { controlsFor } from '../../controls';
import type { BenchmarkId, CheckSlug } from '../../controls/types';
import { AccountCredentials } from '../../discover';
import { UsageError } from '../../errors';
import {
  applyRollback,
  parseAlertSubscription,
  planRollback,
  remediateScan,
  renderApplyResult,
  renderFindingChanges,
  renderPlan,
  renderRollbackPlan,
  renderRollbackResult,
  rollbackScopes,
  validateTopicArn,
  type AlertSubscription,
  type PlanFormat,
  type RemediationOptions,
} from '../../remediate';
import { runScan, type ScanOptions, type ScanResult } from '../../scan';
import { parseS3Uri } from '../../notify/archive';
import { validatePlanId } from '../../remediate/approval';
import { approvePlan, rejectPlan, type DecisionOutcome } from '../../remediate/approve';
import { parsedBy } from '../options';
import { writeLine } from '../output';
import { ExitCode, type CliIo, type ExitCodeValue, type RegisterCommand } from '../types';
import { addScopeOptions } from './scan';

export interface RemediateCommandOptions {
  readonly plan?: boolean;
  readonly apply?: boolean;
  readonly rollback?: boolean;
  readonly benchmark: BenchmarkId;
  readonly checks?: CheckSlug[];
  readonly accounts?: string[];
  readonly excludeAccounts?: string[];
  readonly ous?: string[];
  readonly regions?: string[];
  readonly roleName: string;
  readonly externalId?: string;
  readonly endpointUrl?: string;
  readonly profile?: string;
  readonly homeRegion: string;
  readonly concurrency: number;
  readonly maxChanges?: number;
  readonly fixAlarms?: boolean;
  readonly alertTopic?: string;
  readonly alertEndpoint?: AlertSubscription;
  readonly format: PlanFormat;
  readonly approve?: string;
  readonly reject?: string;
  /** Where REMEDIATE=approve keeps plans: s3://<report bucket>/<prefix>. */
  readonly plans?: { bucket: string; prefix: string };
}

function plansLocation(text: string): { bucket: string; prefix: string } {
  const location = parseS3Uri(text);
  if (!location) throw new UsageError(`'${text}' is not s3://<bucket>/<prefix> (the report bucket, as the findings email gives it)`);
  return { bucket: location.bucket, prefix: location.prefix === '' || location.prefix.endsWith('/') ? location.prefix : `${location.prefix}/` };
}

function atLeastOne(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`'${value}' is not a whole number of at least 1`);
  return n;
}

export const registerRemediate: RegisterCommand = (program, cli) => {
  addScopeOptions(
    program.command('remediate').description(
      'repair the failing checks: --plan shows the changes (the default), --apply makes them and re-scans, --rollback removes what trailwatch created. ' +
        'Exit 0: done; 1: some change failed or was not made (run it again); 2: usage or configuration error',
    ),
    'the role assumed in every other account (with the remediation policy for --apply and --rollback)',
  )
    .addOption(new Option('--plan', 'print the plan and change nothing (with --rollback: what a rollback would remove)'))
    .addOption(new Option('--apply', 'make the planned changes, then re-scan the touched accounts').conflicts('plan'))
    .addOption(new Option('--rollback', 'remove what trailwatch created (found by its tag and name), and nothing else').conflicts('apply'))
    .addOption(new Option('--max-changes <n>', 'make at most this many changes in this run').argParser(parsedBy(atLeastOne)))
    .addOption(new Option('--fix-alarms', "re-enable the actions of a person's disabled alarm instead of adding trailwatch's own"))
    .addOption(new Option('--alert-topic <arn>', 'reuse this SNS topic for alarms in its account and region').argParser(parsedBy(validateTopicArn)))
    .addOption(
      new Option('--alert-endpoint <endpoint>', 'who the alert topic notifies: an email address, an https:// URL, an SQS queue or Lambda function ARN').argParser(
        parsedBy(parseAlertSubscription),
      ),
    )
    .addOption(new Option('--approve <plan-id>', 'apply a plan kept by REMEDIATE=approve, once, if a re-scan plans the same').argParser(parsedBy(validatePlanId)).conflicts(['plan', 'apply', 'rollback', 'reject']))
    .addOption(new Option('--reject <plan-id>', 'close a plan kept by REMEDIATE=approve without applying it').argParser(parsedBy(validatePlanId)).conflicts(['plan', 'apply', 'rollback']))
    .addOption(new Option('--plans <s3-uri>', 'where the plans are kept: s3://<report bucket>/<prefix> (with --approve, --reject)').argParser(parsedBy(plansLocation)))
    .addOption(new Option('-f, --format <format>', 'output format (cli: the plan as AWS CLI commands)').choices(['table', 'json', 'cli']).default('table'))
    .action(async (options: RemediateCommandOptions, command: Command) => {
      if (options.format === 'cli' && (options.apply || (options.rollback && !options.plan))) {
        command.error('--format cli prints a plan: use it with --plan', { exitCode: ExitCode.USAGE, code: 'trailwatch.usage' });
      }
      if ((options.approve || options.reject) && !options.plans) {
        command.error('--approve and --reject need --plans s3://<report bucket>/<prefix>: where the plan is kept', { exitCode: ExitCode.USAGE, code: 'trailwatch.usage' });
      }
      if (options.approve || options.reject) {
        cli.setExitCode(await decide(options, cli.io));
        return;
      }
      if (options.apply && !options.alertEndpoint && !options.alertTopic) {
        command.error('--apply needs --alert-endpoint or --alert-topic: an alert topic nobody is subscribed to makes no check pass', {
          exitCode: ExitCode.USAGE,
          code: 'trailwatch.usage',
        });
      }
      cli.setExitCode(await remediate(options, cli.io));
    });
};

function clientsFor(options: RemediateCommandOptions): AwsClients {
  return new AwsClients({
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
}

export async function remediate(options: RemediateCommandOptions, io: CliIo, clients = clientsFor(options)): Promise<ExitCodeValue> {
  // A check the benchmark lacks is a usage error before any AWS call.
  controlsFor(options.benchmark, options.checks);
  const { homeRegion } = options;
  const scanOptions = (accounts?: readonly string[]): ScanOptions => ({
    benchmark: options.benchmark,
    ...(options.checks ? { checks: options.checks } : {}),
    ...(accounts ? { accounts } : {}),
    ...(options.excludeAccounts ? { excludeAccounts: options.excludeAccounts } : {}),
    ...(options.ous ? { ous: options.ous } : {}),
    ...(options.regions ? { regions: options.regions } : {}),
    roleName: options.roleName,
    ...(options.externalId ? { externalId: options.externalId } : {}),
    concurrency: options.concurrency,
    homeRegion,
    clients,
  });
  try {
    const before: ScanResult = await runScan(scanOptions(options.accounts));
    const callerAccountId =
      before.callerAccountId ?? (await clients.sts({ accountId: 'caller' }, homeRegion).send(new GetCallerIdentityCommand({}))).Account ?? '';
    const credentials = new AccountCredentials(clients, {
      callerAccountId,
      roleName: options.roleName,
      ...(options.externalId ? { externalId: options.externalId } : {}),
      region: homeRegion,
    });
    const apply = {
      clients,
      sessionFor: (accountId: string) => credentials.sessionFor(accountId),
      ...(options.maxChanges !== undefined ? { maxChanges: options.maxChanges } : {}),
    };
    const format = options.format;

    if (options.rollback) {
      const plan = await planRollback(rollbackScopes(before.inventories, { alertTopicArn: options.alertTopic }), apply);
      if (options.plan) {
        writeLine(io.stdout, renderRollbackPlan(plan, format));
        return ExitCode.OK;
      }
      const result = await applyRollback(plan, apply);
      writeLine(io.stdout, format === 'json' ? JSON.stringify({ plan, result }, null, 2) : `${renderRollbackPlan(plan, 'table')}\n\n${renderRollbackResult(result, 'table')}`);
      return result.complete && plan.errors.length === 0 ? ExitCode.OK : ExitCode.NOT_OK;
    }

    const remediation: RemediationOptions = {
      benchmark: options.benchmark,
      ...(options.checks ? { checks: options.checks } : {}),
      ...(options.accounts ? { accounts: options.accounts } : {}),
      ...(options.alertTopic ? { alertTopicArn: options.alertTopic } : {}),
      ...(options.alertEndpoint ? { subscription: options.alertEndpoint } : {}),
      ...(options.fixAlarms ? { fixAlarms: true } : {}),
    };
    const run = await remediateScan(before, {
      mode: options.apply ? 'apply' : 'plan',
      remediation,
      apply,
      rescan: async (accounts) => runScan(scanOptions(accounts)),
    });
    if (!run.applied) {
      writeLine(io.stdout, renderPlan(run.plan, format));
      return ExitCode.OK;
    }
    if (format === 'json') {
      writeLine(io.stdout, JSON.stringify({ plan: run.plan, applied: run.applied, changes: run.changes ?? [], after: run.after?.summary }, null, 2));
    } else {
      const sections = [renderPlan(run.plan, 'table'), renderApplyResult(run.applied, 'table')];
      if (run.changes) sections.push(renderFindingChanges(run.changes));
      writeLine(io.stdout, sections.join('\n\n'));
    }
    return run.applied.complete ? ExitCode.OK : ExitCode.NOT_OK;
  } finally {
    clients.destroy();
  }
}

function renderDecision(outcome: DecisionOutcome, format: PlanFormat): string {
  if (format === 'json') {
    return JSON.stringify(outcome.status === 'applied' ? { ...outcome, report: { summary: outcome.report.summary } } : outcome, null, 2);
  }
  switch (outcome.status) {
    case 'refused':
      return [`REFUSED: ${outcome.message}`, ...(outcome.differences ?? []).map((d) => `  - ${d}`)].join('\n');
    case 'rejected':
      return `plan ${outcome.planId} rejected by ${outcome.decision.by} at ${outcome.decision.at}: it can no longer be applied`;
    case 'applied':
      return outcome.text;
  }
}

/**
 * --approve / --reject: the plan is read from (and its decision written to) the report bucket with
 * the caller's credentials, so IAM decides who may, and CloudTrail names the caller for every write.
 * The findings topic only takes the scanner's messages: the result is printed and kept next to the plan.
 */
export async function decide(options: RemediateCommandOptions, io: CliIo, clients = clientsFor(options)): Promise<ExitCodeValue> {
  const { homeRegion } = options;
  const plans = options.plans as { bucket: string; prefix: string };
  try {
    const identity = await clients.sts({ accountId: 'caller' }, homeRegion).send(new GetCallerIdentityCommand({}));
    const store = { s3: clients.s3({ accountId: 'caller' }, homeRegion), bucket: plans.bucket, prefix: plans.prefix };
    const base = { store, principal: identity.Arn ?? 'unknown caller', channel: 'trailwatch remediate', now: () => new Date() };
    let outcome: DecisionOutcome;
    if (options.reject) {
      outcome = await rejectPlan(options.reject, { ...base, channel: 'trailwatch remediate --reject' });
    } else {
      const credentials = new AccountCredentials(clients, {
        callerAccountId: identity.Account ?? '',
        roleName: options.roleName,
        ...(options.externalId ? { externalId: options.externalId } : {}),
        region: homeRegion,
      });
      outcome = await approvePlan(options.approve as string, {
        ...base,
        channel: 'trailwatch remediate --approve',
        apply: { clients, sessionFor: (accountId) => credentials.sessionFor(accountId) },
        rescan: (accounts, settings) =>
          runScan({
            benchmark: settings.benchmark,
            ...(settings.checks ? { checks: settings.checks } : {}),
            accounts,
            // The plan's scope, not this command's: the re-scan must see what the Lambda saw.
            ...(settings.regions ? { regions: settings.regions } : {}),
            roleName: options.roleName,
            ...(options.externalId ? { externalId: options.externalId } : {}),
            concurrency: options.concurrency,
            homeRegion,
            clients,
          }),
      });
    }
    writeLine(io.stdout, renderDecision(outcome, options.format));
    if (outcome.status === 'refused') return ExitCode.NOT_OK;
    return outcome.status === 'applied' && !outcome.applied.complete ? ExitCode.NOT_OK : ExitCode.OK;
  } finally {
    clients.destroy();
  }
}
