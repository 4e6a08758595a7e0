// The page on a phone (390 × 844): nothing scrolls sideways, with the race's
// results and the training card's epoch table shown, and the test accuracy in view.
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';
import { QUICK, configure, runEnds } from './train-page.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('the page on a 390-px phone', () => {
  it('never scrolls sideways: race results and a finished run shown, test accuracy in view', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), PHONE);
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    expect(await page.locator('[data-testid=race-table] tr[data-optimizer]').count()).toBe(8);
    const width = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    // The race card used to grow to 865 px here.
    expect(await width()).toEqual({ scroll: 390, client: 390 });
    const card = await page.getByTestId('race-card').boundingBox();
    expect(card!.x + card!.width).toBeLessThanOrEqual(390);
    await page.getByTestId('race-plot').evaluate((p) => p.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: resolve(SCREENSHOTS, 'phone-race.png') });

    await configure(page, QUICK);
    await page.getByTestId('train-start').click();
    expect(await runEnds(page)).toContain('done');
    expect(await width()).toEqual({ scroll: 390, client: 390 });
    // "test acc." (and the gap) fit: the table is no wider than its box and the header lies within the screen.
    const fits = await page.evaluate(() => {
      const table = document.querySelector('[data-testid=train-epochs-table]') as HTMLElement;
      const head = Array.from(table.querySelectorAll('th')).find((th) => th.textContent === 'test acc.')!;
      const gap = Array.from(table.querySelectorAll('th')).find((th) => th.textContent === 'gap')!;
      return {
        tableFits: table.scrollWidth <= table.parentElement!.clientWidth,
        testAccVisible: head.getBoundingClientRect().right <= window.innerWidth && head.offsetParent !== null,
        gapVisible: gap.getBoundingClientRect().right <= window.innerWidth && gap.offsetParent !== null,
      };
    });
    expect(fits).toEqual({ tableFits: true, testAccVisible: true, gapVisible: true });
    await page.getByTestId('train-epochs-table').evaluate((t) => t.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: resolve(SCREENSHOTS, 'phone-train.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
