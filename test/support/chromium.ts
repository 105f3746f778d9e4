/**
 * Headless Chromium for the browser tests: Debian's `chromium` package (installed by .ci/run),
 * driven by playwright-core, which never downloads a browser of its own. In CI a missing browser
 * fails the run with a message saying how to install it; elsewhere the browser tests are skipped
 * with that message printed, so nobody mistakes them for passing.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TRAILWATCH_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING = `Chromium not found at ${CHROMIUM_PATH}: the browser tests need it (apt-get update && apt-get install -y chromium; .ci/run does this).`;

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Whether the browser tests can run here; throws in CI when they cannot. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) throw new Error(CHROMIUM_MISSING);
  console.warn(`${CHROMIUM_MISSING} Skipping the browser tests.`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

/** What a page did that a self-contained report must never do. */
export interface PageWatch {
  readonly consoleErrors: string[];
  readonly requests: string[];
}

/** Records console errors, uncaught exceptions and every request other than the page's own file. */
export function watchPage(page: Page, ownUrl: string): PageWatch {
  const watch: PageWatch = { consoleErrors: [], requests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') watch.consoleErrors.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => watch.consoleErrors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    if (request.url() !== ownUrl) watch.requests.push(request.url());
  });
  return watch;
}
