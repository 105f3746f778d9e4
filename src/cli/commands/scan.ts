/** `trailwatch scan`: the organization's scan from a terminal, on the one orchestrator. */
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { AwsClients } from '../../aws/clients';
import { assertProfileExists } from '../../aws/profiles';
import { serializeInventories } from '../../collect/inventory-file';
import { controlsFor, FRAMEWORK_IDS, frameworkFrom, parseCheckSlugs, type FrameworkId } from '../../controls';
import type { BenchmarkId, CheckSlug } from '../../controls/types';
import { UsageError } from '../../errors';
import { runScan, type ScanOptions, type ScanProgress, type ScanResult } from '../../scan';
import type { ExceptionRules } from '../../exceptions';
import { exceptionsOption } from '../exceptions';
import { checkHistoryFormat, htmlHistory, parseHistoryLocation, type HistoryLocation } from '../history';
import { benchmarkOption, formatOption, parsedBy } from '../options';
import { describeImport } from '../../notify/security-hub';
import { writeLine } from '../output';
import { type CliIo, type RegisterCommand } from '../types';
import { writeReport, writeFileWhole, exitCodeOf, type ReportFormat, REPORT_FORMATS } from '../report-output';

export const DEFAULT_ROLE_NAME = 'trailwatch-member-read';
export const DEFAULT_CONCURRENCY = 8;

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const OU_OR_ROOT = /^(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** STS AssumeRole's ExternalId: 2 to 1224 of these characters. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function listOf(what: string, valid: RegExp, example: string): (value: string, previous?: string[]) => string[] {
  return (value, previous = []) => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (items.length === 0) throw new UsageError(`no ${what} given (e.g. ${example})`);
    const bad = items.filter((item) => !valid.test(item));
    if (bad.length > 0) throw new UsageError(`'${bad.join("', '")}' ${bad.length > 1 ? 'are not' : 'is not'} ${what === 'regions' ? 'a region' : `a valid ${what.replace(/s$/, '')}`} (e.g. ${example})`);
    return [...new Set([...previous, ...items])];
  };
}

export function parseFramework(value: string): FrameworkId {
  const framework = frameworkFrom(value);
  if (!framework) throw new UsageError(`'${value}' is not a framework (one of ${FRAMEWORK_IDS.join(', ')})`);
  return framework;
}

export const parseAccountIds = listOf('account IDs', ACCOUNT_ID, '123456789012');
export const parseRegions = listOf('regions', REGION, 'us-east-1,eu-west-1');
export const parseOus = listOf('organizational unit IDs', OU_OR_ROOT, 'ou-ab12-cd34ef56');

export function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 1000) {
    throw new UsageError(`'${value}' is not a whole number from 1 to 1000`);
  }
  return Number(value);
}

/** "90s", "15m", "1h" -> milliseconds. A bare number is refused: 10 could be seconds or minutes. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`'${value}' is not a duration (e.g. 90s, 15m, 1h)`);
  if (match[2] === undefined) throw new UsageError(`'${value}' has no unit: write ${match[1]}s, ${match[1]}m or ${match[1]}h`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  const ms = Number(match[1]) * unit;
  if (ms <= 0) throw new UsageError(`'${value}' is not a positive duration`);
  return ms;
}

export function parseRoleName(value: string): string {
  if (!ROLE_NAME.test(value)) throw new UsageError(`'${value}' is not an IAM role name`);
  return value;
}

export function parseExternalId(value: string): string {
  if (!EXTERNAL_ID.test(value)) throw new UsageError(`'${value}' is not an external ID (2 to 1224 letters, digits or +=,.@:/-)`);
  return value;
}

export function parseProfile(value: string): string {
  if (value.trim() === '') throw new UsageError('no profile name given');
  return value;
}

/** A file a report or inventory can be written to, checked before any AWS call: a typo must not cost a whole scan. */
export function parseOutputPath(value: string): string {
  if (value.trim() === '') throw new UsageError('no file name given');
  const directory = dirname(resolve(value));
  try {
    if (!statSync(directory).isDirectory()) throw new UsageError(`cannot write ${value}: ${directory} is not a directory`);
    accessSync(directory, constants.W_OK);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot write ${value}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? `directory ${directory} does not exist` : (error as Error).message}`);
  }
  if (existsSync(value) && statSync(value).isDirectory()) throw new UsageError(`cannot write ${value}: it is a directory`);
  probeWrite(value);
  return value;
}

/**
 * Does what writing the file whole will do (a temporary sibling, written, then removed), so a
 * place where that fails (/proc, a read-only mount) is refused now rather than after the scan.
 */
function probeWrite(path: string): void {
  let probe: string | undefined;
  try {
    probe = mkdtempSync(join(dirname(resolve(path)), `.${basename(path)}.`));
    writeFileSync(join(probe, 'part'), '');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot write ${path}: no file can be created in ${dirname(resolve(path))} (${why})`);
  } finally {
    if (probe) rmSync(probe, { recursive: true, force: true });
  }
}

/** The options of `scan` that `demo` shares. */
export interface ScanCommandOptions {
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
  readonly deadline?: number;
  readonly format: ReportFormat;
  readonly output?: string;
  readonly saveInventory?: string;
  /** Read every member even where the organization trail settles every check. */
  readonly readEveryAccount?: boolean;
  readonly color?: boolean;
  readonly exceptions?: ExceptionRules;
  readonly framework?: FrameworkId;
  /** Earlier reports for the HTML page's trend. */
  readonly history?: HistoryLocation;
  /** Import the findings into Security Hub (scan only). */
  readonly securityHub?: boolean;
  /** Decide filters on the reference patterns' text alone, without CloudTrail knowledge. */
  readonly strictPatterns?: boolean;
}

/** --history, for scan and evaluate. */
export function historyOption(): Option {
  return new Option('--history <dir|s3://bucket/prefix>', "earlier reports for the HTML page's 90-day trend (with --format html)").argParser(
    parsedBy(parseHistoryLocation),
  );
}

/** Adds the report options (format, output, inventory) shared by scan, demo and evaluate. */
export function addReportOptions(command: Command): Command {
  return command
    .addOption(formatOption(REPORT_FORMATS, 'table'))
    .addOption(new Option('-o, --output <file>', 'write the report to this file (written whole, or not at all)').argParser(parsedBy(parseOutputPath)))
    .addOption(new Option('--no-color', 'no ANSI colours in the table, even on a terminal'))
    .addOption(new Option('--framework <id>', `also group the table by this framework's requirements: ${FRAMEWORK_IDS.join(', ')}`).argParser(parsedBy(parseFramework)));
}

/** What to scan and how to reach it: the options `scan` and `remediate` share. */
/** --strict-patterns, for scan and evaluate. */
export function strictPatternsOption(): Option {
  return new Option(
    '--strict-patterns',
    "take the reference patterns' text at its word: a filter must also catch events of other services and event types CloudTrail never writes for the check (default: CloudTrail-aware)",
  );
}

export function addScopeOptions(command: Command, roleNameHelp = 'the role assumed in every other account'): Command {
  // A profile that is not there is named before any call, not lost in the SDK's "could not load credentials".
  command.hook('preAction', async (action) => {
    const { profile } = action.opts<{ profile?: string }>();
    if (profile !== undefined) await assertProfileExists(profile);
  });
  return command
    .addOption(benchmarkOption())
    .addOption(new Option('--checks <slugs>', 'only these checks, comma-separated (see trailwatch controls)').argParser(parsedBy(parseCheckSlugs)))
    .addOption(new Option('--accounts <ids>', 'only these account IDs, comma-separated').argParser(parsedBy(parseAccountIds)))
    .addOption(new Option('--exclude-accounts <ids>', 'skip these account IDs').argParser(parsedBy(parseAccountIds)))
    .addOption(new Option('--ous <ids>', 'only accounts under these organizational units (or roots), at any depth').argParser(parsedBy(parseOus)))
    .addOption(new Option('--regions <regions>', 'only these regions (default: every region enabled for each account)').argParser(parsedBy(parseRegions)))
    .addOption(new Option('--role-name <name>', roleNameHelp).default(DEFAULT_ROLE_NAME).argParser(parsedBy(parseRoleName)))
    .addOption(new Option('--external-id <id>', 'the external ID the member role requires').argParser(parsedBy(parseExternalId)))
    .addOption(new Option('--endpoint-url <url>', 'send every AWS call here (an emulator such as moto); AWS_ENDPOINT_URL works too'))
    .addOption(new Option('--profile <name>', 'the AWS profile of the scanner\'s own credentials').argParser(parsedBy(parseProfile)))
    .addOption(new Option('--home-region <region>', 'the region for account-wide calls (STS, Organizations, CloudTrail ListTrails)').default(process.env.AWS_REGION ?? 'us-east-1').argParser(parsedBy((v) => parseRegions(v)[0] as string)))
    .addOption(new Option('--concurrency <n>', 'accounts scanned at once').default(DEFAULT_CONCURRENCY).argParser(parsedBy(parsePositiveInteger)))
    .addOption(new Option('--verbose', 'also say on stderr what is worth knowing about this machine (e.g. the Node.js version the AWS SDK will need)'));
}

export const registerScan: RegisterCommand = (program, cli) => {
  const command = addScopeOptions(
    program.command('scan').description('scan the organization: every account and enabled region, every check of the benchmark'),
  )
    .addOption(new Option('--deadline <duration>', 'stop starting accounts after this long (a number and a unit: 90s, 10m, 1h) and report the rest as not scanned').argParser(parsedBy(parseDuration)))
    .addOption(new Option('--save-inventory <file>', 'also save what was read, for trailwatch evaluate --inventory').argParser(parsedBy(parseOutputPath)))
    .addOption(new Option('--read-every-account', 'read every member, even those whose organization trail settles every check (judged through it without a call by default)'))
    .addOption(exceptionsOption())
    .addOption(historyOption())
    .addOption(strictPatternsOption())
    .addOption(
      new Option(
        '--security-hub',
        "also import the findings into Security Hub in the scanner's account and home region (BatchImportFindings); exit 1 if any could not be",
      ),
    );
  addReportOptions(command).action(async (options: ScanCommandOptions) => {
    cli.setExitCode(await scanFromTerminal(options, cli.io));
  });
};

/** Runs the scan as the options say and writes the report; returns the exit code. */
export async function scanFromTerminal(
  options: ScanCommandOptions,
  io: CliIo,
  extra: { clients?: AwsClients; title?: string } = {},
): Promise<0 | 1> {
  // A check the benchmark lacks is a usage error before any AWS call.
  controlsFor(options.benchmark, options.checks);
  checkHistoryFormat(options);
  const clients = extra.clients ?? new AwsClients({ endpointUrl: options.endpointUrl, profile: options.profile });
  const progress = io.stderr.isTTY ? progressPrinter(io) : undefined;
  let result: ScanResult;
  try {
    const scanOptions: ScanOptions = {
      benchmark: options.benchmark,
      checks: options.checks,
      accounts: options.accounts,
      excludeAccounts: options.excludeAccounts,
      ous: options.ous,
      // The page groups accounts by OU: read the tree only when it is drawn.
      ...(options.format === 'html' ? { organizationalUnits: true } : {}),
      regions: options.regions,
      roleName: options.roleName,
      externalId: options.externalId,
      concurrency: options.concurrency,
      deadline: options.deadline === undefined ? undefined : Date.now() + options.deadline,
      homeRegion: options.homeRegion,
      clients,
      onProgress: progress,
      ...(options.exceptions ? { exceptions: options.exceptions } : {}),
      // A saved inventory keeps each account's OU, so evaluate --exceptions can match OUs offline.
      ...(options.saveInventory ? { organizationalUnits: true } : {}),
      ...(options.readEveryAccount ? { readEveryAccount: true } : {}),
      ...(options.securityHub ? { securityHub: { archiveMissing: coversWholeScope(options) } } : {}),
      ...(options.strictPatterns ? { strictPatterns: true } : {}),
    };
    result = await runScan(scanOptions);
  } finally {
    if (progress) io.stderr.write('\r\x1b[2K');
    if (!extra.clients) clients.destroy();
  }
  if (options.saveInventory) {
    writeFileWhole(options.saveInventory, serializeInventories(result.inventories, result.organization));
  }
  const html = await htmlHistory(result.report, options, io, {
    clients: () => new AwsClients({ endpointUrl: options.endpointUrl, profile: options.profile }),
    region: options.homeRegion,
  });
  writeReport(result.report, { ...options, ...(html ? { html } : {}) }, io, extra.title, result.callerAccountId);
  if (result.securityHub) for (const line of describeImport(result.securityHub)) writeLine(io.stderr, line);
  // A finding Security Hub did not take is a failure of the run, whatever the findings say.
  return result.securityHub && result.securityHub.failed.length > 0 ? 1 : exitCodeOf(result.report);
}

/**
 * A scan of every account and check the organization has: only then may Security Hub findings of
 * pairs it did not produce be archived (a narrowed scan says nothing of the others).
 */
export function coversWholeScope(options: Pick<ScanCommandOptions, 'accounts' | 'excludeAccounts' | 'ous' | 'checks'>): boolean {
  return !options.accounts && !options.excludeAccounts && !options.ous && !options.checks;
}

function progressPrinter(io: CliIo): (progress: ScanProgress) => void {
  return (progress) => {
    if (progress.kind === 'discovered') io.stderr.write(`\r\x1b[2Kdiscovered ${progress.total} account(s)`);
    if (progress.kind === 'account-finished' || progress.kind === 'account-skipped') {
      io.stderr.write(`\r\x1b[2Kscanned ${progress.done}/${progress.total} account(s)`);
    }
  };
}
