/**
 * No report carries a subscription's secret. The inventory is an inventory file as an older
 * trailwatch (or a person) wrote it, with a pending https subscription whose URL holds a token
 * and a pending email subscription; it enters through the file edge, which redacts. (moto never
 * leaves a subscription pending, so this is a fixture; the collection edge is tested on moto in
 * test/collect/collect-account.test.ts.) Every output is then searched for the secrets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInventoryFile, serializeInventories } from '../../src/collect/inventory-file';
import { evaluate, summarize } from '../../src/evaluate';
import { logReport } from '../../src/notify/observe';
import { singleMessage, splitMessages } from '../../src/notify/message';
import { diffReports } from '../../src/report/diff';
import { renderEmail } from '../../src/report/email';
import { renderAsff, renderCsv, renderJson, renderTable, type ScanReport } from '../../src/report';
import { planRemediation } from '../../src/remediate/plan';
import { renderPlan, renderRemediationSection } from '../../src/remediate/render';
import { runCli } from '../cli/run-cli';
import { recordingLogger } from '../notify/capture';

const TOKEN = 'T0KEN-9f8e7d6c5b4a';
const PASSWORD = 'pa55w0rd-in-url';
const WEBHOOK = `https://alerts:${PASSWORD}@hooks.example.com:8443/services/${TOKEN}?sig=${TOKEN}`;
const EMAIL = 'jane.doe.secret@example.com';
const SECRETS = [TOKEN, PASSWORD, 'jane.doe', '/services/'];
const TOPIC = 'arn:aws:sns:us-east-1:111111111111:cis-alarms';

function expectNoSecret(output: string, where: string): void {
  for (const secret of SECRETS) {
    if (output.includes(secret)) throw new Error(`${where} contains '${secret}'`);
  }
}

describe('no secrets in reports', () => {
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailwatch-redaction-'));
    file = join(dir, 'inventory.json');
    const fixture = JSON.parse(readFileSync(join(__dirname, '../evaluate/fixtures/single-account.json'), 'utf8')) as {
      inventories: { topics: Record<string, { subscriptions?: unknown[] }> }[];
    };
    const topic = fixture.inventories[0]?.topics[TOPIC];
    if (!topic) throw new Error('fixture without its topic');
    topic.subscriptions = [
      { subscriptionArn: 'PendingConfirmation', protocol: 'https', endpoint: WEBHOOK, owner: '111111111111' },
      { subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: EMAIL, owner: '111111111111' },
    ];
    writeFileSync(file, JSON.stringify(fixture));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function scanReport(): ScanReport {
    const { inventories } = readInventoryFile(readFileSync(file, 'utf8'));
    const findings = evaluate(inventories, { benchmark: 'cis-aws-v4.0.0' });
    return {
      benchmark: 'cis-aws-v4.0.0',
      startedAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:05.000Z',
      accounts: [{ accountId: '111111111111', status: 'SCANNED', regions: inventories[0]?.regions ?? [] }],
      findings,
      summary: summarize(findings),
    };
  }

  /** The same scan before anything broke, for the on-change email. */
  function allPassing(report: ScanReport): ScanReport {
    const findings = report.findings.map((f) => ({ ...f, status: 'PASS' as const, brokenLink: null, reason: 'every in-scope region reaches a working chain' }));
    return { ...report, findings, summary: summarize(findings) };
  }

  it('names the pending endpoints by scheme and host, and masked address, in the finding', () => {
    // Act
    const report = scanReport();
    // Assess
    const pending = report.findings.filter((f) => f.brokenLink === 'subscription');
    expect(pending).toHaveLength(report.findings.length);
    expect(pending[0]?.reason).toContain('https://hooks.example.com:8443');
    expect(pending[0]?.reason).toContain('j***@example.com');
    expectNoSecret(JSON.stringify(report), 'the findings');
  });

  it.each(['table', 'json', 'csv', 'asff', 'html', 'ocsf'])('trailwatch evaluate --format %s prints no secret', async (format) => {
    // Act
    const { code, stdout, stderr } = await runCli(['evaluate', '--inventory', file, '--format', format]);
    // Assess
    expect(code).toBe(1);
    expect(stdout).toContain('hooks.example.com');
    expectNoSecret(stdout + stderr, `--format ${format}`);
  });

  it('no email (any level, on-change), SNS message, log line, saved inventory or ASFF/CSV/table/JSON render carries one', () => {
    // Prepare
    const report = scanReport();
    const { inventories } = readInventoryFile(readFileSync(file, 'utf8'));
    const logger = recordingLogger();
    // Act
    const outputs: Record<string, string> = {
      table: renderTable(report, { color: false }),
      json: renderJson(report),
      csv: renderCsv(report),
      asff: JSON.stringify(renderAsff(report, { region: 'us-east-1', awsAccountId: '111111111111' })),
      'email verbose': renderEmail(report, { level: 'verbose' }).text,
      'email error': renderEmail(report, { level: 'error' }).text,
      'email on-change': renderEmail(report, { level: 'info', diff: diffReports(allPassing(report), report) }).text,
      'SNS message': JSON.stringify(singleMessage(report, { email: { level: 'verbose' } })),
      'SNS parts': JSON.stringify(splitMessages(report, { email: { level: 'verbose' }, maxMessageBytes: 4096 }).messages),
      'saved inventory': serializeInventories(inventories),
    };
    logReport(logger, report);
    outputs.logs = JSON.stringify(logger.lines);
    // Assess
    for (const [where, output] of Object.entries(outputs)) {
      expect(output.length).toBeGreaterThan(0);
      expectNoSecret(output, where);
    }
    expect(outputs.csv).toContain('https://hooks.example.com:8443');
  });

  it('no remediation plan, in any format, nor its email section, carries one', () => {
    // Prepare
    const report = scanReport();
    const { inventories } = readInventoryFile(readFileSync(file, 'utf8'));
    // Act
    // The alert topic reused is the one with the pending subscriptions, so the plan lists them as waiting.
    const plan = planRemediation(report.findings, inventories, { benchmark: 'cis-aws-v4.0.0', alertTopicArn: TOPIC });
    // Assess
    expect(plan.pending.map((p) => p.endpoint).sort()).toEqual(['https://hooks.example.com:8443', 'j***@example.com']);
    for (const format of ['table', 'json', 'cli'] as const) expectNoSecret(renderPlan(plan, format), `remediation plan --format ${format}`);
    expectNoSecret(renderRemediationSection({ plan }), 'the remediation section of the email');
  });

  it("shows the operator's own alert endpoint redacted in the plan and its email section, whole only in the command that subscribes it", () => {
    // Prepare
    const report = scanReport();
    const { inventories } = readInventoryFile(readFileSync(file, 'utf8'));
    const webhook = `https://hooks.example.com/services/${TOKEN}`;
    // Act
    const plan = planRemediation(report.findings, inventories, { benchmark: 'cis-aws-v4.0.0', alertTopicArn: TOPIC, subscription: { protocol: 'https', endpoint: webhook } });
    // Assess
    const subscribe = plan.changes.find((c) => c.kind === 'subscribe');
    expect(subscribe?.summary).toBe(`subscribe https https://hooks.example.com to ${TOPIC}`);
    expect(subscribe?.cli).toContain(webhook);
    expectNoSecret(renderPlan(plan, 'table'), 'remediation plan --format table');
    expectNoSecret(renderRemediationSection({ plan }), 'the remediation section of the email');
    expect(plan.pending.map((p) => p.endpoint)).toContain('https://hooks.example.com');
  });
});
