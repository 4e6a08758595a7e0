// Training MNIST in the tab: a short run in the page's worker makes the loss
// fall and test accuracy rise far above chance, and pause/stop work.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface RunSettings {
  sizes: string;
  optimizer: string;
  lr: string;
  schedule: string;
  batch: string;
  epochs: string;
  limit: string;
}

async function configure(page: Page, s: RunSettings): Promise<void> {
  await page.getByTestId('train-sizes').fill(s.sizes);
  await page.getByTestId('train-optimizer').selectOption(s.optimizer);
  await page.getByTestId('train-lr').fill(s.lr);
  await page.getByTestId('train-schedule').selectOption(s.schedule);
  await page.getByTestId('train-batch').fill(s.batch);
  await page.getByTestId('train-epochs').fill(s.epochs);
  await page.getByTestId('train-limit').fill(s.limit);
}

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

const numberAttr = async (page: Page, testId: string, name: string): Promise<number> => Number(await page.getByTestId(testId).getAttribute(name));

describe('train MNIST in the browser', () => {
  it('a short SGD run makes the loss fall and test accuracy rise far above chance (10%)', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await configure(page, { sizes: '784-64-10', optimizer: 'sgd', lr: '0.1', schedule: 'constant', batch: '64', epochs: '2', limit: '3000' });
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: /done|error|failed/i }).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('train-status').textContent()).toContain('done');

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
    expect(weightPixels.length).toBeGreaterThan(0);
    for (const w of weightPixels) expect(w.colours).toBeGreaterThan(50);
    expect(new Set(weightPixels.map((w) => w.digest)).size).toBe(weightPixels.length);
    const backend = await page.getByTestId('train-backend').textContent();
    expect(backend).toContain('wasm');
    expect(backend).toMatch(/2 threads/);

    await page.screenshot({ path: resolve(SCREENSHOTS, 'train-done.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('pauses, resumes and stops with Adam and a cosine schedule', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await configure(page, { sizes: '784-32-10', optimizer: 'adam', lr: '0.001', schedule: 'cosine', batch: '32', epochs: '50', limit: '2000' });
    await page.getByTestId('train-start').click();
    const summary = page.getByTestId('train-loss-summary');
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
    await page.waitForFunction((before) => document.querySelector('[data-testid=train-loss-summary]')?.getAttribute('data-last-loss') !== before, lossWhilePaused, {
      timeout: 30_000,
    });
    await page.getByTestId('train-stop').click();
    await page.getByTestId('train-status').filter({ hasText: 'stopped' }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses malformed layer sizes with a clear message and trains nothing', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await page.getByTestId('train-sizes').fill('784-abc-10');
    await page.getByTestId('train-start').click();
    await page.getByTestId('train-status').filter({ hasText: /Layer sizes: '784-abc-10' is not a list of whole numbers/ }).waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
