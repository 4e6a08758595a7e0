// What the network learned, on the page: probabilities and hidden activations
// for a chosen digit, a drawn digit read live, the confusion matrix, the
// train–test gap with dropout, weight decay and augmentation, explanations
// beside the controls, and weights that download, load back with the same
// test accuracy and train further.
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OPTIMIZER_HELP, SCHEDULE_HELP } from '../../src/train/explanations.js';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';
import { configure, draw, runEnds } from './train-page.js';

let browser: Browser;
let page: Page;
let errors: string[];
let weightsFile: string;
let finalTestAccuracy: number;

beforeAll(async () => {
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser, inject('isolatedUrl')));
  await configure(page, {
    sizes: '784-128-10',
    optimizer: 'sgd',
    lr: '0.1',
    schedule: 'constant',
    batch: '64',
    epochs: '2',
    limit: '6000',
    dropout: '0.2',
    weightDecay: '0.0001',
    augment: 'shift',
  });
  await page.getByTestId('train-start').click();
  await runEnds(page);
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

const lastEpoch = () => page.locator('[data-testid=train-epochs-table] tr[data-epoch]').last();

describe('what the network learned', () => {
  it('trains with dropout, weight decay and augmentation and shows the train–test gap', async () => {
    expect(await page.getByTestId('train-status').textContent()).toMatch(/^done — 2 epochs · test accuracy/);
    const row = lastEpoch();
    const train = Number(await row.getAttribute('data-train-eval-accuracy'));
    const test = Number(await row.getAttribute('data-test-accuracy'));
    finalTestAccuracy = test;
    expect(test).toBeGreaterThan(0.85);
    expect(Number(await row.getAttribute('data-gap'))).toBeCloseTo(train - test, 12);
    expect(await page.getByTestId('train-gap').textContent()).toMatch(/^After epoch 2: train [\d.]+%, test [\d.]+%, a gap of -?[\d.]+ points\./);
    await page.locator('.train-plot').screenshot({ path: resolve(SCREENSHOTS, 'learner-gap.png') });
    // 128 hidden units, 64 of them drawn: the caption says so.
    expect(await page.getByTestId('train-weights-caption').textContent()).toMatch(/^The first 64 of 128 hidden units\./);
  });

  it('shows a confusion matrix over the 10,000 test digits whose diagonal is the test accuracy', async () => {
    const counts = await page.$$eval('[data-testid=train-confusion] td[data-count]', (tds) => tds.map((td) => Number((td as HTMLElement).dataset['count'])));
    expect(counts).toHaveLength(100);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    const diagonal = Array.from({ length: 10 }, (_, k) => counts[11 * k]!).reduce((a, b) => a + b, 0);
    expect(diagonal / 10000).toBeCloseTo(finalTestAccuracy, 12);
  });

  it('a clicked test digit shows ten probabilities summing to 1 and every hidden neuron’s activation', async () => {
    const digit = page.locator('[data-testid=train-digits] [data-testid=digit]').nth(5);
    await digit.click();
    const inspector = page.getByTestId('digit-inspector');
    await inspector.locator('[data-digit]').first().waitFor({ timeout: 10_000 });
    const probs = await inspector.locator('[data-digit]').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset['p'])));
    expect(probs).toHaveLength(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(await inspector.getAttribute('data-predicted')).toBe(await digit.getAttribute('data-pred'));
    const label = await digit.getAttribute('data-label');
    expect(await page.getByTestId('digit-inspector-verdict').textContent()).toMatch(new RegExp(`^A ${label}: the network says \\d \\([\\d.]+% sure\\) — (right|wrong)\\.$`));
    const layer = page.locator('[data-testid=digit-inspector-activations] [data-layer="1"]');
    expect(await layer.getAttribute('data-units')).toBe('128');
    expect(await layer.locator('.train-act').count()).toBe(128);
    const active = Number(await layer.getAttribute('data-active'));
    expect(active).toBeGreaterThan(0);
    expect(active).toBeLessThan(128); // ReLU silences some neurons for any one digit
    await page.locator('.train-bottom').screenshot({ path: resolve(SCREENSHOTS, 'learner-inside.png') });
  });

  it('reads a drawn 1 and a drawn 0', async () => {
    const inspector = page.getByTestId('draw-inspector');
    // Settled: every answer for the strokes so far is in, so the one shown is for the whole drawing.
    const settled = () => page.locator('[data-testid=draw-inspector][data-pending="0"][data-predicted]').waitFor({ timeout: 10_000 });
    await draw(page, [
      [0.5, 0.12],
      [0.5, 0.88],
    ]);
    await settled();
    expect(await inspector.getAttribute('data-predicted')).toBe('1');
    expect(await page.getByTestId('draw-inspector-verdict').textContent()).toMatch(/^The network reads 1 \([\d.]+% sure\)\.$/);
    await page.getByTestId('draw-clear').click();
    await page.getByTestId('draw-inspector-verdict').filter({ hasText: 'Draw a digit in the box.' }).waitFor({ timeout: 5_000 });
    // An ellipse, a little taller than wide, as zeros are written.
    const ring = Array.from({ length: 33 }, (_, i) => [0.5 + 0.27 * Math.sin((2 * Math.PI * i) / 32), 0.5 - 0.36 * Math.cos((2 * Math.PI * i) / 32)] as const);
    await draw(page, ring);
    await settled();
    expect(await inspector.getAttribute('data-predicted')).toBe('0');
    await page.locator('.train-bottom').screenshot({ path: resolve(SCREENSHOTS, 'learner-draw.png') });
  });

  it('explains the controls in one line each, following the chosen optimizer and schedule', async () => {
    expect(await page.getByTestId('train-optimizer-help').textContent()).toContain(OPTIMIZER_HELP.sgd);
    await page.getByTestId('train-optimizer').selectOption('adam');
    expect(await page.getByTestId('train-optimizer-help').textContent()).toContain(OPTIMIZER_HELP.adam);
    await page.getByTestId('train-schedule').selectOption('one-cycle');
    expect(await page.getByTestId('train-schedule-help').textContent()).toBe(SCHEDULE_HELP['one-cycle']);
    expect(await page.locator('.train-form .hint').count()).toBeGreaterThanOrEqual(10);
    await page.locator('.train-controls').screenshot({ path: resolve(SCREENSHOTS, 'learner-controls.png') });
  });

  it('downloads the weights as safetensors', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('train-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('mnist-mlp-784-128-10.safetensors');
    weightsFile = resolve(SCREENSHOTS, '..', file.suggestedFilename());
    await file.saveAs(weightsFile);
    expect(errors).toEqual([]);
  });

  it('loads them back in a fresh page with the same test accuracy, then continues training them', async () => {
    const fresh = await openPage(browser, inject('isolatedUrl'));
    const p = fresh.page;
    await p.getByTestId('train-epochs').fill('1');
    await p.getByTestId('train-limit').fill('3000');
    await p.getByTestId('train-load').setInputFiles(weightsFile);
    const status = await runEnds(p);
    expect(status).toMatch(/^loaded mnist-mlp-784-128-10\.safetensors: 784-128-10, test accuracy [\d.]+% on the 10,000 test images — Continue trains it further$/);
    expect(Number(await p.getByTestId('train-status').getAttribute('data-loaded-test-accuracy'))).toBe(finalTestAccuracy);
    expect(await p.getByTestId('train-sizes').inputValue()).toBe('784-128-10');
    await p.getByTestId('train-status').evaluate((s) => s.scrollIntoView({ block: 'center' }));
    await p.screenshot({ path: resolve(SCREENSHOTS, 'learner-loaded.png') });
    await p.getByTestId('train-continue').click();
    await p.getByTestId('train-status').filter({ hasText: /^done — 1 epoch/ }).waitFor({ timeout: 170_000 });
    expect(Number(await p.locator('[data-testid=train-epochs-table] tr[data-epoch]').last().getAttribute('data-test-accuracy'))).toBeGreaterThan(0.85);
    expect(fresh.errors).toEqual([]);
    await p.context().close();
  });
});
