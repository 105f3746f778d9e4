/**
 * `trailwatch demo` (npm run demo): starts moto on a free loopback port, seeds the demo
 * organization, runs the real scan against it, prints the report and stops moto. The demo
 * checks itself: it exits 0 only when every verdict is the one the organization was built to get.
 */
import { AwsClients } from '../../aws/clients';
import { CHECK_SLUGS } from '../../controls/types';
import {
  DEMO_BENCHMARK,
  DEMO_REGIONS,
  DEMO_ROLE_NAME,
  MOTO_CREDENTIALS,
  MOTO_INSTALL_HINT,
  motoInstalled,
  seedDemoOrganization,
  seedMotoIds,
  startMoto,
  type DemoOrganization,
} from '../../demo';
import type { ExceptionRules } from '../../exceptions';
import { runScan } from '../../scan';
import type { ScanReport } from '../../report/types';
import { writeLine } from '../output';
import { exitCodeOf, writeReport, type ReportFormat } from '../report-output';
import { ExitCode, type CliIo, type ExitCodeValue, type RegisterCommand } from '../types';
import { exceptionsOption } from '../exceptions';
import { addReportOptions } from './scan';

interface DemoCommandOptions {
  readonly format: ReportFormat;
  readonly output?: string;
  readonly color?: boolean;
  readonly exceptions?: ExceptionRules;
}

export const registerDemo: RegisterCommand = (program, cli) => {
  const command = program
    .command('demo')
    .description('scan a demo organization in moto (the AWS emulator): start it, seed it, scan it, print the report, stop it')
    .addOption(exceptionsOption());
  addReportOptions(command).action(async (options: DemoCommandOptions) => cli.setExitCode(await runDemo(options, cli.io)));
};

export async function runDemo(
  options: DemoCommandOptions,
  io: CliIo,
  env: { python?: string; now?: () => Date } = {},
): Promise<ExitCodeValue> {
  if (!motoInstalled(env.python)) {
    writeLine(io.stderr, `trailwatch demo: ${MOTO_INSTALL_HINT}`);
    return ExitCode.USAGE;
  }
  // The demo runs on the Node.js at hand; the SDK's advice to move to Node 22 is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const moto = await startMoto({ python: env.python });
  const seeder = new AwsClients({ endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
  const clients = new AwsClients({ endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
  try {
    // The same account and OU IDs on every run, so a file (examples/exceptions.yml) can name them.
    const demo = await seedDemoOrganization(seeder, { fixIds: (seed) => seedMotoIds(moto.endpoint, seed) });
    if (options.format === 'table' && options.output === undefined) describeDemo(demo, moto.endpoint, io);
    const { report, callerAccountId } = await runScan({
      benchmark: DEMO_BENCHMARK,
      regions: [...DEMO_REGIONS],
      roleName: DEMO_ROLE_NAME,
      concurrency: 4,
      homeRegion: 'us-east-1',
      clients,
      ...(options.format === 'html' ? { organizationalUnits: true } : {}),
      ...(options.exceptions ? { exceptions: options.exceptions } : {}),
      ...(env.now ? { now: env.now } : {}),
    });
    writeReport(report, { ...options, homeRegion: 'us-east-1' }, io, undefined, callerAccountId);
    const surprises = unexpectedVerdicts(demo, report);
    if (surprises.length > 0) {
      writeLine(io.stderr, `trailwatch demo: ${surprises.length} verdict(s) differ from what the demo organization was built to get:`);
      for (const line of surprises.slice(0, 20)) writeLine(io.stderr, `  ${line}`);
      return ExitCode.NOT_OK;
    }
    const excepted = report.summary.excepted ?? 0;
    const onPurpose = exitCodeOf(report) === 1 ? ' (its FAILs are on purpose' : excepted > 0 ? ' (its FAILs are on purpose' : '';
    const exceptedNote = excepted > 0 ? `; ${excepted} excepted by ${options.exceptions?.source ?? 'the exceptions file'}` : '';
    writeLine(io.stderr, `trailwatch demo: all ${report.findings.length} verdicts are the ones the demo organization was built to get` +
      (onPurpose ? `${onPurpose}${exceptedNote}).` : '.'));
    return ExitCode.OK;
  } finally {
    seeder.destroy();
    clients.destroy();
    await moto.stop();
  }
}

function describeDemo(demo: DemoOrganization, endpoint: string, io: CliIo): void {
  writeLine(io.stdout, `Demo organization ${demo.organizationId} in moto at ${endpoint} (regions ${demo.regions.join(', ')}):`);
  for (const account of demo.accounts) {
    const unit = account.organizationalUnit ? ` (OU ${account.organizationalUnit.name} ${account.organizationalUnit.id})` : '';
    writeLine(io.stdout, `  ${account.accountId}  ${account.name.padEnd(28)} ${account.description}${unit}`);
  }
  writeLine(io.stdout);
}

/** Every finding whose status or broken link is not the one the demo account was seeded to have. */
export function unexpectedVerdicts(demo: DemoOrganization, report: ScanReport): string[] {
  const surprises: string[] = [];
  for (const account of demo.accounts.filter((a) => a.scanned)) {
    for (const check of CHECK_SLUGS) {
      const want = account.expected[check];
      const got = report.findings.find((f) => f.accountId === account.accountId && f.check === check);
      if (!want || !got) {
        surprises.push(`${account.name} ${check}: ${got ? 'not expected' : 'no finding'}`);
      } else if (got.status !== want.status || got.brokenLink !== want.brokenLink) {
        surprises.push(`${account.name} ${check}: ${got.status}/${got.brokenLink ?? '-'} (expected ${want.status}/${want.brokenLink ?? '-'}): ${got.reason}`);
      }
    }
  }
  return surprises;
}
