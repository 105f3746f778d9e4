// The HTML page in a real browser (headless Chromium): the demo organization's page, scanned in
// moto, and a generated 1,000-account page with hostile names. Load time is written to the test
// output, not asserted (speed belongs to the benchmark).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { DEMO_REGIONS, DEMO_ROLE_NAME, seedDemoOrganization } from '../../../src/demo';
import type { Finding } from '../../../src/evaluate/types';
import { renderHtml, STATUS_LETTER, cellStatus } from '../../../src/report/html';
import type { ScanReport } from '../../../src/report/types';
import { runCli } from '../../cli/run-cli';
import { chromiumAvailable, launchChromium, watchPage, type PageWatch } from '../../support/chromium';
import { motoClients, motoEndpoint, useMoto } from '../../support/moto';
import { HOSTILE_NAMES, syntheticReport } from './organization';

// The functions passed to page.evaluate run in the browser; the project compiles without the DOM
// library, so the little of it they use is declared here.
interface DomElement {
  readonly textContent: string | null;
  readonly cellIndex: number;
  readonly cells: ArrayLike<DomElement>;
  readonly parentElement: DomElement | null;
  readonly firstChild: DomElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<DomElement> };
declare const window: Record<string, unknown>;

const OUTPUT = join(__dirname, '..', '..', '..', 'test-output', 'html');
const DOCS_SCREENSHOT = join(__dirname, '..', '..', '..', 'docs', 'report-page.png');

/** [account, check, letter] of every matrix cell that holds a finding. */
async function matrixCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const heads = Array.from(document.querySelectorAll('#matrix thead th')).map((th) => th.getAttribute('data-check'));
    const cells: string[] = [];
    for (const row of Array.from(document.querySelectorAll('#matrix tr.a'))) {
      const account = row.querySelector('.id')?.textContent ?? '';
      for (const cell of Array.from(row.cells).slice(1)) {
        const link = cell.querySelector('a');
        if (link) cells.push(`${account} ${heads[cell.cellIndex]} ${link.firstChild?.textContent ?? ''}`);
      }
    }
    return cells.sort();
  });
}

function expectedCells(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.accountId} ${f.check} ${STATUS_LETTER[cellStatus(f)]}`).sort();
}

async function open(browser: Browser, file: string, height = 1000): Promise<{ page: Page; watch: PageWatch; loadMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height } });
  const url = pathToFileURL(file).href;
  const watch = watchPage(page, url);
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  return { page, watch, loadMs: Date.now() - started };
}

/** Clicks the first failing cell and returns the panel's text and the finding the cell stands for. */
async function selectFailingCell(page: Page, report: ScanReport): Promise<{ panel: string; finding: Finding }> {
  const link = page.locator('#matrix td.F > a').first();
  const where = await link.evaluate((a) => {
    const cell = (a as unknown as DomElement).parentElement as DomElement;
    const head = document.querySelectorAll('#matrix thead th')[cell.cellIndex];
    return { account: cell.parentElement?.querySelector('.id')?.textContent ?? '', check: head?.getAttribute('data-check') ?? '' };
  });
  await link.click();
  await page.locator('#panel').waitFor({ state: 'visible' });
  const finding = report.findings.find((f) => f.accountId === where.account && f.check === where.check);
  if (!finding) throw new Error(`no finding for ${where.account} ${where.check}`);
  return { panel: (await page.locator('#panel').textContent()) ?? '', finding };
}

const available = chromiumAvailable();

(available ? describe : describe.skip)('The HTML report in Chromium', () => {
  useMoto();
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the demo organization: one lettered cell per finding, a failing cell shows its fix, nothing fetched, no console error', async () => {
    // Prepare: the demo organization in moto, scanned by the CLI.
    const seeder = motoClients();
    await seedDemoOrganization(seeder);
    seeder.destroy();
    const inventoryFile = join(OUTPUT, 'demo-inventory.json');
    const pageFile = join(OUTPUT, 'demo.html');
    const savedEnv = { ...process.env };
    const scan = ['scan', '--endpoint-url', motoEndpoint(), '--regions', DEMO_REGIONS.join(','), '--role-name', DEMO_ROLE_NAME];
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    let report: ScanReport;
    try {
      expect((await runCli([...scan, '--format', 'html', '--output', pageFile, '--save-inventory', inventoryFile])).code).toBe(1);
      // The same findings, for comparison: the saved inventory evaluated again, offline.
      report = JSON.parse((await runCli(['evaluate', '--inventory', inventoryFile, '--format', 'json'])).stdout) as ScanReport;
    } finally {
      process.env = savedEnv;
    }

    // Act
    const { page, watch } = await open(browser, pageFile, 1350);
    const cells = await matrixCells(page);
    const groups = await page.locator('#matrix tr.g th').allTextContents();
    const { panel, finding } = await selectFailingCell(page, report);
    const screenshot = join(OUTPUT, 'demo.png');
    await page.screenshot({ path: screenshot });
    if (process.env.TRAILWATCH_UPDATE_SCREENSHOT === '1') copyFileSync(screenshot, DOCS_SCREENSHOT);

    // Assess
    expect(cells).toEqual(expectedCells(report.findings));
    expect(cells.filter((c) => c.endsWith(' F')).length).toBeGreaterThan(0);
    expect(groups.map((g) => g.replace(/ \d+ accounts?.*/, ''))).toEqual(['Root', 'Root / sandbox']);
    expect(finding.status).toBe('FAIL');
    expect(panel).toContain(finding.fix);
    expect(panel).toContain(finding.uncoveredRegions.join(', '));
    expect(await page.locator('#panel button.copy').isVisible()).toBe(true);
    expect(watch.requests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });

  it('keeps a 1,000-account page with hostile names usable: every cell, filters, collapsed passing rows, no script but its own', async () => {
    // Prepare
    const report = syntheticReport({ accounts: 1000, hostile: true });
    const html = renderHtml(report);
    const pageFile = join(OUTPUT, 'org-1000.html');
    writeFileSync(pageFile, html);

    // Act
    const { page, watch, loadMs } = await open(browser, pageFile);
    const cells = await matrixCells(page);
    const { panel, finding } = await selectFailingCell(page, report);
    await page.keyboard.press('Escape');
    const pwned = await page.evaluate(() => window.__pwned);
    const shownNames = await page.locator('#matrix th.r .nm').allTextContents();
    const visibleRows = () => page.locator('#matrix tr.a:visible');
    const passingVisible = await page.locator('#matrix tr.ok:visible').count();
    await page.locator('label[for=st-F]').click();
    const failRowsHaveFail = await visibleRows().evaluateAll((rows) => rows.every((r) => r.querySelector('td.F') !== null));
    const failRows = await visibleRows().count();
    await page.locator('#f-check').selectOption('vpc_changes');
    const vpcFailRows = await visibleRows().evaluateAll((rows) => rows.map((r) => r.querySelector('td.F:not([hidden])') !== null));
    const visibleColumns = await page.locator('#matrix thead th.c:visible').count();
    await page.locator('label[for=st-all]').click();
    await page.locator('#f-check').selectOption('');
    await page.locator('#f-ou').selectOption('ou-sand-33333333');
    const sandboxRows = await page.locator('#matrix tbody:visible').evaluateAll((bodies) => bodies.map((b) => b.getAttribute('data-ou')));
    writeFileSync(join(OUTPUT, 'org-1000.json'), JSON.stringify({ bytes: Buffer.byteLength(html), findings: report.findings.length, loadMs }, null, 2));

    // Assess
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(cells).toEqual(expectedCells(report.findings));
    expect(panel).toContain(finding.fix);
    expect(pwned).toBeUndefined();
    for (const name of HOSTILE_NAMES) expect(shownNames).toContain(name);
    expect(passingVisible).toBe(0);
    expect(failRows).toBeGreaterThan(0);
    expect(failRowsHaveFail).toBe(true);
    expect(vpcFailRows.length).toBeGreaterThan(0);
    expect(vpcFailRows.every(Boolean)).toBe(true);
    expect(visibleColumns).toBe(1);
    expect(sandboxRows).toEqual(['ou-sand-33333333']);
    expect(watch.requests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.close();
  });
});
