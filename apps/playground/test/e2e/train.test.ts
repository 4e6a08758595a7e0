// Training MNIST in the tab: a short run in the page's worker makes the loss
// fall and test accuracy rise far above chance; pause, resume, stop, continue
// and a new learning rate mid-run work; bad input and a blown-up run read well.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';
import { configure, runEnds } from './train-page.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** For each canvas matching `selector`: its distinct colours, its dark (mean channel < 128) pixels, all its pixels and a digest. */
async function canvasContents(page: Page, selector: string): Promise<Array<{ colours: number; dark: number; pixels: number; digest: string }>> {
  return page.$$eval(selector, (canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set<number>();
      let h = 0;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i]! + data[i + 1]! + data[i + 2]! < 3 * 128) dark++;
        const rgba = (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
        colours.add(rgba);
        h = (Math.imul(h, 31) + rgba) | 0;
      }
      return { colours: colours.size, dark, pixels: data.length / 4, digest: String(h) };
    }),
  );
}

/** Starts recording every text the status line shows. */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const status = document.querySelector('[data-testid=train-status]')!;
    const seen: string[] = [];
    (window as unknown as { statuses: string[] }).statuses = seen;
    new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, { childList: true, characterData: true, subtree: true });
  });
}

const numberAttr = async (page: Page, testId: string, name: string): Promise<number> => Number(await page.getByTestId(testId).getAttribute(name));

describe('train MNIST in the browser', () => {
  it('a short SGD run (started with Enter) makes the loss fall and test accuracy rise far above chance (10%)', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    // Before any run the chart's x axis counts whole batches (it read 1, 1.1 … 2).
    await page.getByTestId('train-loss-chart').and(page.locator('[data-x-ticks]')).waitFor();
    expect(await page.getByTestId('train-loss-chart').getAttribute('data-x-ticks')).toMatch(/^\d+( \d+)*$/);
    await configure(page, { sizes: '784-64-10', optimizer: 'sgd', lr: '0.1', schedule: 'constant', batch: '64', epochs: '2', limit: '3000' });
    await recordStatuses(page);
    // Enter in a field starts the run, as the Start button does.
    await page.getByTestId('train-limit').press('Enter');
    // The focus moves to a button that still works, not to <body>.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toMatch(/^train-(pause|stop)$/);
    expect(await runEnds(page)).toContain('done');

    // The batch counter counts within the epoch: 3000 / 64 = 46 batches each.
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    const counters = statuses.flatMap((s) => [...s.matchAll(/epoch (\d) of 2 · batch (\d+) of (\d+)/g)].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]));
    expect(counters.length).toBeGreaterThan(0);
    for (const [, batch, of] of counters) {
      expect(of).toBe(46);
      expect(batch).toBeLessThanOrEqual(46);
    }

    const first = await numberAttr(page, 'train-loss-summary', 'data-first-loss');
    const last = await numberAttr(page, 'train-loss-summary', 'data-last-loss');
    expect(first).toBeGreaterThan(1.5); // ≈ ln 10 = 2.30 at initialization
    expect(last).toBeLessThan(0.6 * first);

    const rows = page.locator('[data-testid=train-epochs-table] tr[data-epoch]');
    expect(await rows.count()).toBe(2);
    const accuracy = Number(await rows.nth(1).getAttribute('data-test-accuracy'));
    expect(accuracy).toBeGreaterThan(0.7);

    const digits = page.locator('[data-testid=train-digits] [data-testid=digit]');
    expect(await digits.count()).toBeGreaterThan(10);
    for (const digit of await digits.all()) {
      const label = await digit.getAttribute('data-label');
      const pred = await digit.getAttribute('data-pred');
      const mistake = (await digit.getAttribute('class'))?.split(/\s+/).includes('mistake') ?? false;
      expect(mistake).toBe(label !== pred);
    }
    // The pictures are pictures: digits with ink on paper, weight images that vary within and between units.
    const digitPixels = await canvasContents(page, '[data-testid=train-digits] canvas');
    expect(digitPixels.length).toBeGreaterThan(10);
    for (const d of digitPixels) {
      expect(d.dark).toBeGreaterThan(0.02 * d.pixels); // ink (an MNIST digit covers ~10–20% of its square)
      expect(d.dark).toBeLessThan(0.5 * d.pixels); // on paper
    }
    const weightPixels = await canvasContents(page, '[data-testid=train-weights] canvas');
    expect(weightPixels.length).toBe(64);
    for (const w of weightPixels) expect(w.colours).toBeGreaterThan(50);
    expect(new Set(weightPixels.map((w) => w.digest)).size).toBe(weightPixels.length);
    expect(await page.getByTestId('train-weights-caption').textContent()).toMatch(/^All 64 hidden units\./);
    const backend = await page.getByTestId('train-backend').textContent();
    expect(backend).toContain('wasm');
    expect(backend).toMatch(/2 threads/);
    // Where both SIMD builds exist, the line says the build was picked by timing.
    if (/relaxed/.test((await page.getByTestId('runtime').textContent()) ?? '') && !/✗ relaxed/.test((await page.getByTestId('runtime').textContent()) ?? '')) {
      expect(backend).toMatch(/in a start-up timing; may differ after a reload/);
    }

    await page.screenshot({ path: resolve(SCREENSHOTS, 'train-done.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('pauses, resumes, takes a new learning rate mid-run, stops, and continues from where it stopped', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await configure(page, { sizes: '784-32-10', optimizer: 'adam', lr: '0.001', schedule: 'cosine', batch: '32', epochs: '50', limit: '2000' });
    await page.getByTestId('train-start').click();
    const summary = page.getByTestId('train-loss-summary');
    const lossChanges = (before: string | null) =>
      page.waitForFunction((b) => document.querySelector('[data-testid=train-loss-summary]')?.getAttribute('data-last-loss') !== b, before, { timeout: 60_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=train-loss-summary]')?.getAttribute('data-last-loss')) > 0, undefined, {
      timeout: 120_000,
    });
    await page.getByTestId('train-pause').click();
    await page.getByTestId('train-status').filter({ hasText: 'paused' }).waitFor({ timeout: 10_000 });
    const lossWhilePaused = await summary.getAttribute('data-last-loss');
    await page.waitForTimeout(500);
    expect(await summary.getAttribute('data-last-loss')).toBe(lossWhilePaused); // nothing trains while paused
    await page.screenshot({ path: resolve(SCREENSHOTS, 'train-paused.png'), fullPage: true });
    await page.getByTestId('train-pause').click();
    await lossChanges(lossWhilePaused);

    // A new rate, typed during the run and applied with Enter: the schedule stops and the run goes on at it.
    await page.getByTestId('train-lr').fill('0.0005');
    await page.getByTestId('train-lr').press('Enter');
    await page.getByTestId('train-status').filter({ hasText: 'learning rate set by hand to 0.0005' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('train-status').filter({ hasText: /lr 5e-4 ·/ }).waitFor({ timeout: 30_000 });

    await page.getByTestId('train-stop').click();
    expect(await runEnds(page, 30_000)).toMatch(/^stopped at epoch \d+ of 50 · batch \d+ of 62 — Continue trains on from here$/);
    const stoppedAt = await summary.getAttribute('data-last-loss');
    const batchesBefore = await page.evaluate(() => document.querySelectorAll('[data-testid=train-epochs-table] tr[data-epoch]').length);
    await page.getByTestId('train-continue').click();
    await page.getByTestId('train-status').filter({ hasText: /^epoch \d+ of 50 · batch/ }).waitFor({ timeout: 30_000 });
    await lossChanges(stoppedAt);
    await page.getByTestId('train-stop').click();
    await page.getByTestId('train-status').filter({ hasText: 'stopped' }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.querySelectorAll('[data-testid=train-epochs-table] tr[data-epoch]').length)).toBeGreaterThanOrEqual(batchesBefore);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses malformed fields with a clear message and trains nothing (1e400 and 0,1 included)', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    const status = page.getByTestId('train-status');
    await page.getByTestId('train-sizes').fill('784-abc-10');
    await page.getByTestId('train-start').click();
    await status.filter({ hasText: /Layer sizes: '784-abc-10' is not a list of whole numbers/ }).waitFor({ timeout: 10_000 });
    await page.getByTestId('train-sizes').fill('784-32-10');
    // A number input reported 1e400 as "is empty" and read 0,1 as 01 (lr 1).
    await page.getByTestId('train-lr').fill('1e400');
    await page.getByTestId('train-start').click();
    await status.filter({ hasText: "error — Learning rate: '1e400' is too large for a number (the largest is about 1.8e308)" }).waitFor({ timeout: 10_000 });
    await page.getByTestId('train-lr').fill('0,1');
    await page.getByTestId('train-start').click();
    await status.filter({ hasText: "error — Learning rate: '0,1' has a decimal comma; write 0.1 with a point" }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('train-lr').getAttribute('class')).toContain('invalid');
    expect(await page.getByTestId('train-loss-summary').textContent()).toBe('loss —');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a run that blows up (lr 1000) says so, with a readable loss line and a labelled log axis', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await configure(page, { sizes: '784-64-10', optimizer: 'sgd', lr: '1000', schedule: 'constant', batch: '64', epochs: '1', limit: '3000' });
    await page.getByTestId('train-start').click();
    const status = await runEnds(page);
    expect(status).toMatch(/^error — loss became (NaN|Infinity) at epoch 1, batch \d+; learning rate 1000 is too high for SGD — try a smaller one$/);
    const summary = (await page.getByTestId('train-loss-summary').textContent()) ?? '';
    // It printed 3.3892192339508596e+25 → 4.956884674044612e+34.
    expect(summary).toMatch(/^loss [\d.]+(e\d+)? → [\d.]+(e\d+)?$/);
    expect(summary).not.toContain('e+');
    const yTicks = ((await page.getByTestId('train-loss-chart').getAttribute('data-y-ticks')) ?? '').split(' ').filter(Boolean);
    expect(yTicks.length).toBeGreaterThanOrEqual(3);
    expect(yTicks.length).toBeLessThanOrEqual(6);
    for (const t of yTicks) expect(t).toMatch(/^(\d+(\.\d+)?|1e\d+)$/);
    // And they are drawn: ink on the canvas between the axis title and the plot (uPlot's log axis drew nothing past 1e17).
    const labelInk = await page.getByTestId('train-loss-chart').evaluate((root) => {
      const canvas = root.querySelector('canvas')!;
      const scale = canvas.width / canvas.clientWidth;
      const left = Number(root.dataset['plotLeft']);
      const top = Number(root.dataset['plotTop']);
      const height = Number(root.dataset['plotHeight']);
      const band = canvas.getContext('2d')!.getImageData(Math.round((left - 45) * scale), Math.round(top * scale), Math.round(33 * scale), Math.round(height * scale)).data;
      let ink = 0;
      for (let i = 3; i < band.length; i += 4) if (band[i]! > 128) ink++;
      return ink;
    });
    expect(labelInk).toBeGreaterThan(50);
    expect(await page.getByTestId('train-download').isVisible()).toBe(false);
    // After a blow-up there is no model to continue.
    expect(await page.getByTestId('train-continue').isDisabled()).toBe(true);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'train-diverged.png'), fullPage: false });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
