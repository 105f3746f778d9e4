/**
 * `trailwatch recheck --event FILE`: replays one CloudTrail event (or its EventBridge envelope)
 * as the watch would: which accounts it re-reads, what changed since the stored report, and the
 * message it would publish. Nothing is published and no stored report is written.
 */
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { AwsClients } from '../../aws/clients';
import { controlsFor } from '../../controls';
import type { BenchmarkId, CheckSlug } from '../../controls/types';
import { UsageError } from '../../errors';
import { parseS3Uri } from '../../notify/archive';
import { parseStoredReport } from '../../notify/store';
import type { ScanReport } from '../../report/types';
import { parseAnyCloudTrailEvent, WatchEventError, type WatchEvent } from '../../watch/events';
import { planRecheck, type RecheckPlan } from '../../watch/plan';
import { recheck, type RecheckOutcome } from '../../watch/recheck';
import { changeLine } from '../../watch/changes';
import { formatOption, parsedBy, required } from '../options';
import type { CliIo, RegisterCommand } from '../types';
import { addScopeOptions } from './scan';
import { exceptionsOption } from '../exceptions';
import type { ExceptionRules } from '../../exceptions';

type BaselineSource = { readonly kind: 'file'; readonly report: ScanReport } | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

interface RecheckCommandOptions {
  readonly event: WatchEvent;
  readonly baseline?: BaselineSource;
  readonly planOnly?: boolean;
  readonly benchmark: BenchmarkId;
  readonly checks?: CheckSlug[];
  readonly regions?: string[];
  readonly roleName: string;
  readonly externalId?: string;
  readonly endpointUrl?: string;
  readonly profile?: string;
  readonly homeRegion: string;
  readonly concurrency: number;
  readonly format: 'text' | 'json';
  readonly exceptions?: ExceptionRules;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export function parseEventFile(path: string): WatchEvent {
  const text = readText(path, 'event file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseAnyCloudTrailEvent(json);
  } catch (error) {
    if (error instanceof WatchEventError) throw new UsageError(`${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

export function parseBaselineSource(value: string): BaselineSource {
  if (value.startsWith('s3://')) {
    const parsed = parseS3Uri(value);
    if (!parsed) throw new UsageError(`'${value}' is not an S3 location (expected s3://bucket/prefix/)`);
    return { kind: 's3', bucket: parsed.bucket, prefix: parsed.prefix === '' || parsed.prefix.endsWith('/') ? parsed.prefix : `${parsed.prefix}/` };
  }
  try {
    return { kind: 'file', report: parseStoredReport(readText(value, 'report'), value) };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError((error as Error).message, { cause: error });
  }
}

export const registerRecheck: RegisterCommand = (program, cli) => {
  const command = addScopeOptions(program.command('recheck').description('replay one CloudTrail event as the watch would: accounts re-read, what changed, the message'), 'the role assumed in every other account')
    .addOption(required(new Option('--event <file>', 'required: a CloudTrail event (or its EventBridge envelope), JSON').argParser(parsedBy(parseEventFile))))
    .addOption(new Option('--baseline <file|s3://bucket/prefix/>', 'the report to compare with: a JSON report, or the report bucket (its baseline/<benchmark>.json)').argParser(parsedBy(parseBaselineSource)))
    .addOption(exceptionsOption())
    .addOption(new Option('--plan-only', 'only say which accounts the event re-reads (no AWS call but reading --baseline)'))
    .addOption(formatOption(['text', 'json'] as const, 'text'));
  // The event decides the accounts: the scan's scope flags would only mislead.
  const scopeFlags = new Set(['--accounts', '--exclude-accounts', '--ous']);
  const added = command.options as Option[];
  for (let i = added.length - 1; i >= 0; i -= 1) if (scopeFlags.has(added[i]?.long ?? '')) added.splice(i, 1);
  command.action(async (options: RecheckCommandOptions) => cli.setExitCode(await recheckFromTerminal(options, cli.io)));
};

function describePlan(plan: RecheckPlan): string[] {
  const lines = [`re-reads: ${plan.accounts.length ? plan.accounts.join(', ') : 'nothing'}`];
  if (plan.supporting.length) lines.push(`also reads (organization trail owners, not compared): ${plan.supporting.join(', ')}`);
  for (const { owner, members } of plan.throughOwner) lines.push(`re-judges from ${owner}'s organization trail, without reading them: ${members.join(', ')}`);
  for (const q of plan.roleQuestions) lines.push(`asks CloudTrail whether role ${JSON.stringify(q.roleName)} delivers a trail of ${q.accountId} to CloudWatch Logs`);
  for (const i of plan.ignored) lines.push(`ignores event ${JSON.stringify(i.eventID)}: ${i.reason}`);
  return lines;
}

export async function recheckFromTerminal(options: RecheckCommandOptions, io: CliIo): Promise<0 | 1> {
  controlsFor(options.benchmark, options.checks);
  const clients = new AwsClients({ endpointUrl: options.endpointUrl, profile: options.profile });
  try {
    const given = options.baseline?.kind === 'file' ? options.baseline.report : undefined;
    if (options.planOnly) {
      if (options.baseline?.kind === 's3') throw new UsageError('--plan-only makes no AWS call: give --baseline a report file');
      const plan = planRecheck([options.event], given);
      io.stdout.write(options.format === 'json' ? `${JSON.stringify({ plan }, null, 2)}\n` : `${describePlan(plan).join('\n')}\n`);
      return 0;
    }
    const outcome: RecheckOutcome = await recheck([options.event], {
      benchmark: options.benchmark,
      ...(options.checks ? { checks: options.checks } : {}),
      ...(options.regions ? { regions: options.regions } : {}),
      roleName: options.roleName,
      ...(options.externalId ? { externalId: options.externalId } : {}),
      homeRegion: options.homeRegion,
      concurrency: options.concurrency,
      clients,
      ...(options.exceptions ? { exceptions: options.exceptions } : {}),
      baseline:
        options.baseline?.kind === 's3'
          ? { kind: 'bucket', location: { bucket: options.baseline.bucket, prefix: options.baseline.prefix, benchmark: options.benchmark }, region: options.homeRegion, readOnly: true }
          : { kind: 'given', ...(given ? { report: given } : {}) },
      log: (level, message) => {
        if (level !== 'debug') io.stderr.write(`trailwatch: ${message}\n`);
      },
    });
    if (options.format === 'json') {
      io.stdout.write(`${JSON.stringify({ plan: outcome.plan, changes: outcome.changes, ...(outcome.excepted ? { excepted: outcome.excepted } : {}), messages: outcome.messages }, null, 2)}\n`);
    } else {
      const lines = [...describePlan(outcome.plan), ''];
      if (!options.baseline) lines.push('no --baseline: nothing to compare with, so no change can be told', '');
      else if (outcome.changes.length === 0) lines.push('no verdict changed: nothing would be published');
      for (const change of outcome.changes) lines.push(changeLine(change));
      for (const change of outcome.excepted ?? []) lines.push(`not published, excepted until ${change.exception?.expires ?? '?'}: ${changeLine(change)}`);
      for (const message of outcome.messages) {
        lines.push('', `would publish: ${message.subject}`, '', (JSON.parse(message.message) as { email: string }).email);
      }
      io.stdout.write(`${lines.join('\n')}\n`);
    }
    return outcome.changes.some((c) => c.status !== 'PASS') ? 1 : 0;
  } finally {
    clients.destroy();
  }
}
