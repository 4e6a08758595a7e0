// Debian's Chromium driven by playwright-core: the page under test, the
// console errors it printed and a place for screenshots.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, type BrowserContextOptions, type Page, chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Where the tests write screenshots (looked at by a person; not committed). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../out/screenshots');

/** Launches headless Chromium with the flags this machine's closed network needs (playwright gives it a fresh profile). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`e2e: no Chromium at ${CHROMIUM}; install Debian's package with \`apt-get install chromium\` (.ci/run does)`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page plus every console error and uncaught exception it produced. */
export interface WatchedPage {
  page: Page;
  errors: string[];
}

/** Records console errors and page errors of `page`. */
export function watch(page: Page): WatchedPage {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { page, errors };
}

/** Opens `url` in a fresh context (its own in-memory cache, like a private window), recording console errors and page errors. */
export async function openPage(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, ...options });
  const watched = watch(await context.newPage());
  await watched.page.goto(url);
  return watched;
}
