// The playground page as a visitor first sees it: it loads without a single
// console error and says what it runs on.
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the playground page', () => {
  it('loads both cards with no console errors and reports a cross-origin isolated wasm runtime', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await expect(page.title()).resolves.toContain('dl playground');
    await page.getByTestId('train-start').waitFor();
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const runtime = page.getByTestId('runtime');
    expect(await runtime.getAttribute('data-backend')).toBe('wasm');
    expect(await runtime.getAttribute('data-threads')).toBe('2');
    expect(await runtime.textContent()).toContain('cross-origin isolated');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'page-loaded.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('works without cross-origin isolation too, on one thread, and says so', async () => {
    const { page, errors } = await openPage(browser, inject('plainUrl'));
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const runtime = page.getByTestId('runtime');
    expect(await runtime.getAttribute('data-threads')).toBe('1');
    expect(await runtime.textContent()).toContain('✗ cross-origin isolated');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
