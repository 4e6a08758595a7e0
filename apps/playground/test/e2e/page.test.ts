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
    // The thread count is on the pill itself, not only in a tooltip.
    expect(await runtime.textContent()).toContain('✓ cross-origin isolated · 2 threads');
    // The footer's self-check link reads at WCAG AA contrast (≥ 4.5:1; it was 4.40:1).
    const contrast = await page.locator('.page-footer a').evaluate((a) => {
      const rgb = (c: string) => c.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number);
      const lum = (c: number[]) => {
        const [r, g, b] = c.map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const fg = lum(rgb(getComputedStyle(a).color));
      const bg = lum(rgb(getComputedStyle(document.body).backgroundColor === 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.documentElement).backgroundColor : getComputedStyle(document.body).backgroundColor));
      return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    });
    expect(contrast).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'page-loaded.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('works without cross-origin isolation too, on one thread, and says so', async () => {
    const { page, errors } = await openPage(browser, inject('plainUrl'));
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const runtime = page.getByTestId('runtime');
    expect(await runtime.getAttribute('data-threads')).toBe('1');
    expect(await runtime.textContent()).toContain('✗ not cross-origin isolated · 1 thread');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
