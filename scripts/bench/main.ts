/**
 * `npm run bench [-- --accounts N --latency-ms L --concurrency C]`: seeds moto with a synthetic
 * organization (not timed), then scans it with the real runScan while every HTTP attempt waits
 * L ms (an attempt hook, as a far-away AWS would), and prints calls per account, wall time,
 * throughput, concurrency efficiency, peak RSS and projections to 1,000 and 5,000 accounts ×
 * 17 regions; the same organization read the naive per-region way; and the cost of coverage
 * decisions. The last line is for machines.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { AwsClients, CallCounter, type AttemptHook } from '../../src/aws/clients';
import { DEFAULT_BENCHMARK } from '../../src/controls';
import { DISCOVERY_SESSION, listAccounts } from '../../src/discover';
import { AccountCredentials } from '../../src/discover/credentials';
import { MOTO_CREDENTIALS, startMoto } from '../../src/demo/moto';
import { UsageError } from '../../src/errors';
import { runScan } from '../../src/scan';
import { parseBenchArgs, type BenchArgs } from './args';
import { measureRecheck, recheckLines } from './recheck';
import { htmlPageLines, measureHtmlPage } from './html-page';
import { timeCoverageDecisions, timeWorstCoverageDecision } from './coverage';
import { concurrencyEfficiency, formatNumber, machineLine, max, median, projectedSeconds, table, type Target } from './figures';
import { naiveScan } from './naive-scan';
import { startOrganizationTrailProxy } from './organization-trail-proxy';
import { seedSyntheticOrganization, warmUpMoto, SYNTHETIC_REGIONS, SYNTHETIC_ROLE_NAME, type SyntheticOrganization } from './organization';

/** The 17 regions every AWS account has enabled by default. */
export const DEFAULT_17_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

/** The latency the projections and the 10-minute target assume. */
const PROJECTION_LATENCY_MS = 100;
/** Accounts the naive scanner reads in 17 regions (it is slow by design). */
const NAIVE_17_SAMPLE = 20;
const HOME_REGION = 'us-east-1';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function latencyHook(latencyMs: number): AttemptHook {
  return () => (latencyMs > 0 ? sleep(latencyMs) : undefined);
}

/** Samples the resident set while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRssBytes: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssBytes: peak };
  } finally {
    clearInterval(timer);
  }
}

/** CPU time (ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime, fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** CPU the emulator and this process spent during `work`, per HTTP attempt. */
async function withCpu<T extends { attempts: number }>(motoPid: number, work: () => Promise<T>): Promise<T & { motoCpuMsPerAttempt?: number; benchCpuMsPerAttempt: number }> {
  const motoBefore = processCpuMs(motoPid);
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  const motoAfter = processCpuMs(motoPid);
  const perAttempt = (ms: number) => ms / Math.max(1, value.attempts);
  return {
    ...value,
    ...(motoBefore !== undefined && motoAfter !== undefined ? { motoCpuMsPerAttempt: perAttempt(motoAfter - motoBefore) } : {}),
    benchCpuMsPerAttempt: perAttempt((used.user + used.system) / 1000),
  };
}

interface ScanMeasurement {
  readonly wallMs: number;
  readonly attempts: number;
  readonly totalCalls: number;
  /** Calls per account read (discovery's own calls are in totalCalls only). */
  readonly callsByAccount: Map<string, number>;
  readonly scannedAccounts: number;
  readonly peakRssBytes: number;
  readonly summary?: { pass: number; fail: number; error: number };
  readonly findings?: number;
  readonly reportedAccounts?: number;
  readonly errors?: string[];
  readonly motoCpuMsPerAttempt?: number;
  readonly benchCpuMsPerAttempt?: number;
  /** Where the wall time went: discovery, collection (the accounts), evaluation and report. */
  readonly phases?: { readonly discoveryMs: number; readonly collectionMs: number; readonly evaluationMs: number; readonly discoveryCalls: number };
}

function benchClients(endpointUrl: string, latencyMs: number): AwsClients {
  return new AwsClients({ endpointUrl, credentials: MOTO_CREDENTIALS, callCounter: new CallCounter(), attemptHooks: [latencyHook(latencyMs)] });
}

async function measureTrailwatch(endpointUrl: string, args: BenchArgs, regions: readonly string[]): Promise<ScanMeasurement> {
  const clients = benchClients(endpointUrl, args.latencyMs);
  try {
    const started = performance.now();
    let discovered = 0;
    let lastFinished = 0;
    const { value: result, peakRssBytes } = await withPeakRss(() =>
      runScan({
        benchmark: DEFAULT_BENCHMARK,
        regions,
        roleName: SYNTHETIC_ROLE_NAME,
        concurrency: args.concurrency,
        homeRegion: HOME_REGION,
        clients,
        onProgress: (progress) => {
          if (progress.kind === 'discovered') discovered = performance.now();
          if (progress.kind === 'account-finished' || progress.kind === 'account-skipped') lastFinished = performance.now();
        },
      }),
    );
    const wallMs = performance.now() - started;
    const { report } = result;
    // Judged: read, or judged through the organization trail without a call.
    const scanned = report.accounts.filter((a) => a.status === 'SCANNED' || a.status === 'ORGANIZATION_TRAIL');
    return {
      wallMs,
      attempts: clients.callCounter.attempts(),
      totalCalls: clients.callCounter.total(),
      callsByAccount: new Map(scanned.map((a) => [a.accountId, clients.callCounter.totalFor(a.accountId)])),
      scannedAccounts: scanned.length,
      peakRssBytes,
      summary: { ...report.summary },
      findings: report.findings.length,
      reportedAccounts: report.accounts.length,
      errors: report.accounts.filter((a) => a.status === 'ERROR').map((a) => `${a.accountId}: ${a.error ?? ''}`),
      phases: {
        discoveryMs: discovered - started,
        collectionMs: lastFinished - discovered,
        evaluationMs: started + wallMs - lastFinished,
        discoveryCalls: clients.callCounter.totalFor(DISCOVERY_SESSION.accountId),
      },
    };
  } finally {
    clients.destroy();
  }
}

async function measureNaive(
  endpointUrl: string,
  args: BenchArgs,
  regions: readonly string[],
  org: SyntheticOrganization,
  sample?: number,
): Promise<ScanMeasurement> {
  const clients = benchClients(endpointUrl, args.latencyMs);
  try {
    const started = performance.now();
    const { value: scanned, peakRssBytes } = await withPeakRss(async () => {
      const discovery = await listAccounts(clients, DISCOVERY_SESSION, { region: HOME_REGION });
      const ids = discovery.accounts.map((a) => a.accountId).slice(0, sample ?? discovery.accounts.length);
      const credentials = new AccountCredentials(clients, { callerAccountId: org.managementAccountId, roleName: SYNTHETIC_ROLE_NAME, region: HOME_REGION });
      await naiveScan(clients, { accountIds: ids, regions, credentials, concurrency: args.concurrency, homeRegion: HOME_REGION });
      return ids;
    });
    const wallMs = performance.now() - started;
    return {
      wallMs,
      attempts: clients.callCounter.attempts(),
      totalCalls: clients.callCounter.total(),
      callsByAccount: new Map(scanned.map((id) => [id, clients.callCounter.totalFor(id)])),
      scannedAccounts: scanned.length,
      peakRssBytes,
    };
  } finally {
    clients.destroy();
  }
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const minutes = (s: number) => (s < 120 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);

/** `npm run bench -- recheck [--latency-ms L]`: the watch's re-check alone (100 ms per request by default). */
async function mainRecheck(argv: readonly string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  const latencyMs = argv.some((a) => a.startsWith('--latency-ms')) ? args.latencyMs : PROJECTION_LATENCY_MS;
  const moto = await startMoto();
  try {
    process.stderr.write(`bench: the watch's re-check of one account, ${latencyMs} ms per request ...\n`);
    for (const line of recheckLines(await measureRecheck(moto.endpoint, latencyMs))) console.log(line);
    return 0;
  } finally {
    await moto.stop();
  }
}

/** `npm run bench -- html`: the 1,000-account HTML page alone, rendered and opened in Chromium. */
async function mainHtml(): Promise<number> {
  process.stderr.write('bench: the HTML page of 1,000 accounts in Chromium ...\n');
  for (const line of htmlPageLines(await measureHtmlPage())) console.log(line);
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'recheck') return mainRecheck(argv.slice(1));
  if (argv[0] === 'html') return mainHtml();
  const args = parseBenchArgs(argv);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const moto = await startMoto();
  let proxy: { endpoint: string; close(): Promise<void> } | undefined;
  try {
    log(`bench: seeding ${args.accounts} accounts x ${SYNTHETIC_REGIONS.length} regions into moto (${moto.endpoint}), not timed ...`);
    const seedClients = new AwsClients({ endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
    const seedStarted = performance.now();
    let lastPercent = -1;
    const org = await seedSyntheticOrganization(seedClients, {
      accounts: args.accounts,
      onProgress: (done, total) => {
        const percent = Math.floor((done / total) * 10) * 10;
        if (percent !== lastPercent) log(`bench:   seeded ${done}/${total} members`);
        lastPercent = percent;
      },
    });
    await warmUpMoto(seedClients, org);
    seedClients.destroy();
    log(`bench: seeded in ${seconds(performance.now() - seedStarted)}`);

    const trail = org.organizationTrail;
    proxy = await startOrganizationTrailProxy(
      moto.endpoint,
      {
        TrailARN: trail.arn,
        Name: trail.name,
        HomeRegion: trail.homeRegion,
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
        IncludeGlobalServiceEvents: true,
        S3BucketName: trail.bucketName,
        ...(trail.cloudWatchLogsLogGroupArn
          ? {
              CloudWatchLogsLogGroupArn: trail.cloudWatchLogsLogGroupArn,
              CloudWatchLogsRoleArn: `arn:aws:iam::${org.managementAccountId}:role/CloudTrail_CloudWatchLogs_Role`,
            }
          : {}),
      },
      MOTO_CREDENTIALS.accessKeyId,
    );

    const endpoint = proxy.endpoint;
    const regions = [...org.regions];
    log(`bench: trailwatch scan, ${regions.length} regions, ${args.latencyMs} ms per request, concurrency ${args.concurrency} ...`);
    const tw = await withCpu(moto.pid, () => measureTrailwatch(endpoint, args, regions));
    log(`bench: trailwatch scan, ${DEFAULT_17_REGIONS.length} regions ...`);
    const tw17 = await measureTrailwatch(endpoint, args, DEFAULT_17_REGIONS);
    log(`bench: naive scan, ${regions.length} regions ...`);
    const naive = await measureNaive(endpoint, args, regions, org);
    const sample = Math.min(NAIVE_17_SAMPLE, args.accounts);
    log(`bench: naive scan, ${DEFAULT_17_REGIONS.length} regions, first ${sample} accounts ...`);
    const naive17 = await measureNaive(endpoint, args, DEFAULT_17_REGIONS, org, sample);
    log('bench: coverage decisions ...');
    const coverage = timeCoverageDecisions(DEFAULT_BENCHMARK, 100);
    log('bench: the worst coverage decision (hostile filter patterns) ...');
    const worst = timeWorstCoverageDecision(DEFAULT_BENCHMARK);

    log(`bench: the watch's re-check of one account, ${PROJECTION_LATENCY_MS} ms per request ...`);
    // The re-check seeds the demo organization: into an empty moto.
    await moto.reset();
    const recheckMeasurement = await measureRecheck(moto.endpoint, PROJECTION_LATENCY_MS);

    printResults({ args, org, tw, tw17, naive, naive17, coverage, worst, loadAverage: loadavg()[0] ?? 0, cpus: cpus().length });
    console.log('');
    for (const line of recheckLines(recheckMeasurement)) console.log(line);
    log('bench: the HTML page of 1,000 accounts in Chromium ...');
    console.log('');
    for (const line of htmlPageLines(await measureHtmlPage())) console.log(line);
    return 0;
  } finally {
    await proxy?.close();
    await moto.stop();
  }
}

interface Results {
  readonly args: BenchArgs;
  readonly org: SyntheticOrganization;
  readonly tw: ScanMeasurement;
  readonly tw17: ScanMeasurement;
  readonly naive: ScanMeasurement;
  readonly naive17: ScanMeasurement;
  readonly coverage: ReturnType<typeof timeCoverageDecisions>;
  readonly worst: ReturnType<typeof timeWorstCoverageDecision>;
  readonly loadAverage: number;
  readonly cpus: number;
}

function printResults({ args, org, tw, tw17, naive, naive17, coverage, worst, loadAverage, cpus: cpuCount }: Results): void {
  const { latencyMs, concurrency } = args;
  const calls = [...tw.callsByAccount.values()];
  const coveredOnly = org.accounts.filter((a) => a.kind === 'organization-trail-only').map((a) => a.accountId);
  const coveredCalls = coveredOnly.map((id) => tw.callsByAccount.get(id) ?? NaN);
  const coveredCalls17 = coveredOnly.map((id) => tw17.callsByAccount.get(id) ?? NaN);
  const efficiency = concurrencyEfficiency(tw.attempts, latencyMs, concurrency, tw.wallMs);
  const naiveEfficiency = concurrencyEfficiency(naive.attempts, latencyMs, concurrency, naive.wallMs);
  const perAccount17 = tw17.totalCalls / tw17.scannedAccounts;
  const naivePerAccount17 = naive17.totalCalls / naive17.scannedAccounts;
  const project = (accounts: number, perAccount: number, eff: number) =>
    projectedSeconds({ accounts, callsPerAccount: perAccount, latencyMs: PROJECTION_LATENCY_MS, concurrency, efficiency: eff });
  const projected1000 = project(1000, perAccount17, efficiency);
  const projected5000 = project(5000, perAccount17, efficiency);
  const naiveCallRatio = naive.totalCalls / tw.totalCalls;
  const naiveTimeRatio = naive.wallMs / tw.wallMs;
  const managementCalls = tw.callsByAccount.get(org.managementAccountId) ?? NaN;

  const out: string[] = [];
  out.push('');
  out.push(
    `trailwatch benchmark: ${args.accounts} accounts (${tw.scannedAccounts} judged: read, or through the organization trail without a call; ${args.accounts - tw.scannedAccounts} closed) x ${org.regions.length} regions, ` +
      `${latencyMs} ms per request, concurrency ${concurrency}, moto behind a proxy that shows the organization trail to members as AWS does`,
  );
  out.push('');
  out.push(
    table([
      ['measure', 'trailwatch', 'naive per-region', 'naive / trailwatch'],
      ['API calls, total (discovery included)', String(tw.totalCalls), String(naive.totalCalls), `${naiveCallRatio.toFixed(2)}x`],
      ['API calls per account, median', formatNumber(median(calls), 1), formatNumber(median([...naive.callsByAccount.values()]), 1), ''],
      ['API calls per account, max', String(max(calls)), String(max([...naive.callsByAccount.values()])), ''],
      ['wall time', seconds(tw.wallMs), seconds(naive.wallMs), `${naiveTimeRatio.toFixed(2)}x`],
      ['accounts per second', (tw.scannedAccounts / (tw.wallMs / 1000)).toFixed(1), (naive.scannedAccounts / (naive.wallMs / 1000)).toFixed(1), ''],
      ['concurrency efficiency', efficiency.toFixed(2), naiveEfficiency.toFixed(2), ''],
      ['peak RSS of the bench process', mb(tw.peakRssBytes), mb(naive.peakRssBytes), ''],
      [
        `API calls per account, ${DEFAULT_17_REGIONS.length} regions (mean)`,
        perAccount17.toFixed(2),
        `${naivePerAccount17.toFixed(2)} (first ${naive17.scannedAccounts} accounts)`,
        `${(naivePerAccount17 / perAccount17).toFixed(2)}x`,
      ],
      [
        `projected 1,000 accounts x 17 regions @ ${PROJECTION_LATENCY_MS} ms`,
        minutes(projected1000),
        minutes(project(1000, naivePerAccount17, naiveEfficiency)),
        '',
      ],
      [
        `projected 5,000 accounts x 17 regions @ ${PROJECTION_LATENCY_MS} ms`,
        minutes(projected5000),
        minutes(project(5000, naivePerAccount17, naiveEfficiency)),
        '',
      ],
    ]),
  );
  out.push('');
  out.push(
    `calls by kind of account (${org.regions.length} regions -> ${DEFAULT_17_REGIONS.length} regions): ` +
      kindsLine(org, tw.callsByAccount, tw17.callsByAccount),
  );
  if (tw.summary) {
    out.push(
      `scan result: ${tw.reportedAccounts} accounts reported, ${tw.findings} findings, ${tw.summary.pass} PASS, ${tw.summary.fail} FAIL, ${tw.summary.error} ERROR` +
        (tw.errors?.length ? `; accounts in ERROR: ${tw.errors.slice(0, 3).join('; ')}` : ''),
    );
  }
  out.push(
    `coverage decisions: ${coverage.checks} checks x ${coverage.filters} filters on one log group = ${coverage.decisions} decisions ` +
      `(${coverage.covered} covered, ${coverage.notCovered} not covered, ${coverage.undetermined} undetermined, ${coverage.unparsable} filters unparsable) ` +
      `in ${coverage.elapsedMs.toFixed(1)} ms`,
  );
  out.push(
    `worst coverage decision: ${worst.cpuMs.toFixed(1)} ms of CPU (${worst.what}: ${worst.verdict}, ${worst.steps.toLocaleString('en-US')} steps of the ${worst.limit.toLocaleString('en-US')} allowed; ` +
      `${worst.decisions} decisions of hostile filter patterns, each from scratch)`,
  );
  out.push(`projection: accounts x calls per account (17 regions, discovery included) x ${PROJECTION_LATENCY_MS} ms / concurrency / measured efficiency`);
  if (tw.phases) {
    const { discoveryMs, collectionMs, evaluationMs, discoveryCalls } = tw.phases;
    const collectionAttempts = tw.attempts - discoveryCalls;
    out.push(
      `where the time went: discovery ${seconds(discoveryMs)} (${discoveryCalls} calls one after another: who am I, the organization, its accounts 20 a page), ` +
        `collection ${seconds(collectionMs)} (efficiency ${concurrencyEfficiency(collectionAttempts, latencyMs, concurrency, collectionMs).toFixed(2)} on its own), ` +
        `evaluation and report ${seconds(evaluationMs)}`,
    );
  }
  out.push(
    `machine: ${cpuCount} CPUs, load average ${loadAverage.toFixed(1)} at the end; CPU per request during the trailwatch scan: ` +
      `moto ${tw.motoCpuMsPerAttempt === undefined ? 'unknown' : `${tw.motoCpuMsPerAttempt.toFixed(1)} ms`}, this process ${tw.benchCpuMsPerAttempt?.toFixed(1) ?? '?'} ms ` +
      `(at ${concurrency} requests in flight every ${latencyMs} ms the emulator must serve ${Math.round((concurrency * 1000) / Math.max(1, latencyMs))} requests/s)`,
  );

  const targets: Target[] = [
    {
      name: 'calls per member whose every check the organization chain passes',
      measured: `max ${max(coveredCalls)} at ${org.regions.length} regions, max ${max(coveredCalls17)} at ${DEFAULT_17_REGIONS.length}; trail owner ${managementCalls}`,
      target: '0, at any region count',
      met: max(coveredCalls) === 0 && max(coveredCalls17) === 0,
    },
    { name: 'concurrency efficiency', measured: efficiency.toFixed(2), target: '>= 0.8', met: efficiency >= 0.8 },
    {
      name: `projected 1,000 accounts x 17 regions @ ${PROJECTION_LATENCY_MS} ms`,
      measured: minutes(projected1000),
      target: '< 10 min',
      met: projected1000 < 600,
    },
    { name: 'coverage decisions (15 checks x 100 filters)', measured: `${coverage.elapsedMs.toFixed(1)} ms`, target: '< 1 s', met: coverage.elapsedMs < 1000 },
    { name: 'worst coverage decision (hostile patterns)', measured: `${worst.cpuMs.toFixed(1)} ms CPU`, target: '< 250 ms', met: worst.cpuMs < 250 },
  ];
  out.push('');
  out.push(table([['target', 'measured', 'wanted', 'met'], ...targets.map((t) => [t.name, t.measured, t.target, t.met ? 'met' : 'NOT MET'])]));
  out.push('');
  out.push(
    machineLine({
      callsPerAccountMedian: median(calls),
      callsPerAccountMax: max(calls),
      naiveCallRatio,
      efficiency,
      projected1000x17Seconds: projected1000,
      coverageMs: coverage.elapsedMs,
      worstDecisionMs: worst.cpuMs,
    }),
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

function kindsLine(org: SyntheticOrganization, calls: Map<string, number>, calls17: Map<string, number>): string {
  const byKind = new Map<string, { n: number; a: number[]; b: number[] }>();
  for (const account of org.accounts) {
    const a = calls.get(account.accountId);
    const b = calls17.get(account.accountId);
    if (a === undefined || b === undefined) continue;
    const entry = byKind.get(account.kind) ?? { n: 0, a: [], b: [] };
    entry.n += 1;
    entry.a.push(a);
    entry.b.push(b);
    byKind.set(account.kind, entry);
  }
  return [...byKind]
    .map(([kind, e]) => `${kind} (${e.n}): median ${formatNumber(median(e.a), 1)} -> ${formatNumber(median(e.b), 1)}, max ${max(e.a)} -> ${max(e.b)}`)
    .join('; ');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof UsageError ? 2 : 1;
    },
  );
}
