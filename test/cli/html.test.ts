// `--format html` and `--history` on `trailwatch evaluate` (offline, no moto needed): the page,
// the trend drawn from a directory of earlier reports, and the usage errors.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

const INVENTORY = join(__dirname, '..', 'evaluate', 'fixtures', 'organization.json');

function earlierReport(finishedAt: string, pass: number): string {
  const findings = Array.from({ length: 4 }, (_, i) => ({ accountId: '111111111111', check: 'root_usage', status: i < pass ? 'PASS' : 'FAIL' }));
  return JSON.stringify({ benchmark: 'cis-aws-v4.0.0', startedAt: finishedAt, finishedAt, accounts: [{ accountId: '111111111111' }], findings, summary: {} });
}

describe('Command: trailwatch evaluate --format html', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trailwatch-html-'));
  });

  it('writes one self-contained page whose trend comes from --history DIR, skipping what is not a report', async () => {
    // Prepare: the Lambda's layout, a baseline (never a point of its own) and a stray file.
    const history = join(dir, 'history-dir');
    // The evaluated report is dated by its inventory's collection, so the trend's 90 days end there.
    const collectedAt = Date.parse((JSON.parse(readFileSync(INVENTORY, 'utf8')) as { inventories: { collectedAt: string }[] }).inventories[0]?.collectedAt ?? '');
    const day = (offset: number) => new Date(collectedAt - offset * 86_400_000).toISOString();
    for (const [offset, pass] of [[30, 1], [20, 2], [10, 3]] as const) {
      const at = day(offset);
      mkdirSync(join(history, 'reports', at.slice(0, 10)), { recursive: true });
      writeFileSync(join(history, 'reports', at.slice(0, 10), `${at.replace(/:/g, '')}-cis-aws-v4.0.0.json`), earlierReport(at, pass));
    }
    mkdirSync(join(history, 'baseline'));
    writeFileSync(join(history, 'baseline', 'cis-aws-v4.0.0.json'), earlierReport(day(5), 0));
    writeFileSync(join(history, 'notes.json'), '{"hello": "world"}');
    const page = join(dir, 'page.html');
    // Act
    const { code, stderr } = await runCli(['evaluate', '--inventory', INVENTORY, '--format', 'html', '--output', page, '--history', history]);
    // Assess
    const html = readFileSync(page, 'utf8');
    expect(code).toBe(1); // the fixture's organization has failing findings
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`4 scans in the last 90 days from ${history}`);
    expect(html).toContain(`${day(30).slice(0, 10)}: 25% pass`);
    expect(stderr).toContain(`trailwatch: history: skipped ${join(history, 'notes.json')}: not a trailwatch report`);
    expect(stderr).not.toContain('baseline');
  });

  it('refuses --history without --format html, and a directory that does not exist, before doing anything', async () => {
    const withTable = await runCli(['evaluate', '--inventory', INVENTORY, '--history', dir]);
    const missing = await runCli(['evaluate', '--inventory', INVENTORY, '--format', 'html', '--history', join(dir, 'nope')]);
    const badUri = await runCli(['evaluate', '--inventory', INVENTORY, '--format', 'html', '--history', 's3://']);
    expect(withTable.code).toBe(2);
    expect(withTable.stderr).toContain("--history draws the HTML page's trend: use it with --format html (not table)");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    expect(badUri.code).toBe(2);
    expect(badUri.stderr).toContain('is not an S3 location');
  });
});
