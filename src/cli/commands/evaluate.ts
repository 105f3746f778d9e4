/** `trailwatch evaluate --inventory FILE`: re-evaluate a saved scan offline, with no AWS call. */
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import { AwsClients } from '../../aws/clients';
import { readInventoryFile } from '../../collect/inventory-file';
import { controlsFor, parseCheckSlugs } from '../../controls';
import type { BenchmarkId, CheckSlug } from '../../controls/types';
import { UsageError } from '../../errors';
import { evaluate, summarize } from '../../evaluate';
import { exceptReport, type ExceptionRules } from '../../exceptions';
import { exceptionsOption } from '../exceptions';
import type { ScanReport } from '../../report/types';
import { benchmarkOption, parsedBy, required } from '../options';
import { exitCodeOf, writeReport, type ReportFormat } from '../report-output';
import type { CliIo, RegisterCommand } from '../types';
import { checkHistoryFormat, htmlHistory, type HistoryLocation } from '../history';
import { addReportOptions, historyOption, strictPatternsOption } from './scan';

interface EvaluateCommandOptions {
  readonly inventory: string;
  readonly benchmark: BenchmarkId;
  readonly checks?: CheckSlug[];
  readonly format: ReportFormat;
  readonly output?: string;
  readonly color?: boolean;
  readonly history?: HistoryLocation;
  readonly exceptions?: ExceptionRules;
  readonly strictPatterns?: boolean;
}

export const registerEvaluate: RegisterCommand = (program, cli) => {
  const command = program
    .command('evaluate')
    .description('evaluate a saved inventory (scan --save-inventory) again, offline: another benchmark, other checks')
    .addOption(required(new Option('-i, --inventory <file>', 'required: the inventory file')))
    .addOption(benchmarkOption())
    .addOption(new Option('--checks <slugs>', 'only these checks, comma-separated').argParser(parsedBy(parseCheckSlugs)))
    .addOption(exceptionsOption())
    .addOption(historyOption())
    .addOption(strictPatternsOption());
  addReportOptions(command).action(async (options: EvaluateCommandOptions) => cli.setExitCode(await evaluateInventoryFile(options, cli.io)));
};

export async function evaluateInventoryFile(options: EvaluateCommandOptions, io: CliIo): Promise<0 | 1> {
  controlsFor(options.benchmark, options.checks);
  checkHistoryFormat(options);
  let text: string;
  try {
    text = readFileSync(options.inventory, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the inventory file ${options.inventory}: ${(error as Error).message}`, { cause: error });
  }
  const { inventories, organization } = readInventoryFile(text);
  const findings = evaluate(inventories, { benchmark: options.benchmark, checks: options.checks, organization, ...(options.strictPatterns ? { strictPatterns: true } : {}) });
  // The report describes the accounts as they were when read, not when re-evaluated.
  const collected = inventories.map((inventory) => inventory.collectedAt).sort();
  const now = new Date().toISOString();
  const evaluated: ScanReport = {
    benchmark: options.benchmark,
    startedAt: collected[0] ?? now,
    finishedAt: collected[collected.length - 1] ?? now,
    accounts: inventories.map((inventory) => {
      // The inventory keeps each account's units by id (not name): enough to group the HTML page.
      const units = organization?.accountParents?.[inventory.accountId];
      const unit = units?.[units.length - 1];
      return {
        accountId: inventory.accountId,
        status: 'SCANNED' as const,
        regions: inventory.regions,
        ...(inventory.regionsNotEnabled?.length ? { regionsNotEnabled: inventory.regionsNotEnabled } : {}),
        ...(units && unit ? { ou: { id: unit, path: units, ids: units } } : {}),
      };
    }),
    findings,
    summary: summarize(findings),
  };
  const report = options.exceptions
    ? exceptReport(evaluated, options.exceptions, {
        now: new Date(),
        ...(organization?.accountParents ? { accountParents: organization.accountParents } : {}),
      })
    : evaluated;
  // Only --history s3://... makes an AWS call: evaluating stays offline.
  const html = await htmlHistory(report, options, io, { clients: () => new AwsClients(), region: process.env.AWS_REGION ?? 'us-east-1' });
  writeReport(report, { ...options, ...(html ? { html } : {}) }, io, undefined, organization?.managementAccountId);
  return exitCodeOf(report);
}
