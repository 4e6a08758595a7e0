// The attention card in Chromium: a weights file written by the
// transformer-task command's code loads; typed digits give one heat map per
// layer and head, of the typed length, equal to the maps Node.js computes;
// the positional tables are drawn; a character outside the vocabulary is
// reported and the card recovers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Generator, writeSafetensorsFile } from '@dl/tensor';
import { Gpt } from '../../src/attention/gpt.js';
import { attentionMaps } from '../../src/attention/inspect.js';
import { makeBatch } from '../../src/attention/sequence-task.js';
import { trainLm } from '../../src/attention/lm-train.js';
import { launchChromium, openPage } from './browser.js';

let browser: Browser;
let page: Page;
let errors: string[];
let model: Gpt;
const dir = mkdtempSync(join(tmpdir(), 'dl-attention-e2e-'));
const weightsFile = join(dir, 'transformer-task.safetensors');
const spec = { task: 'copy' as const, length: 3, digits: 4, delay: 1 };

beforeAll(async () => {
  // A tiny copy model, a few dozen steps: enough for structured maps, made in a second or two.
  const g = new Generator(11);
  model = new Gpt({ vocabSize: 5, blockSize: 7, nLayer: 2, nHead: 2, nEmbd: 16, dropout: 0 }, g);
  trainLm(model, () => makeBatch(spec, 16, g), [makeBatch(spec, 16, new Generator(12))], { steps: 40, lr: 1e-2, minLr: 1e-3, warmup: 5, weightDecay: 0, clip: 1, evalEvery: 40 });
  writeSafetensorsFile(weightsFile, model.stateDict(), { model: 'transformer-task copy', heads: '2', vocabulary: '0123_', framework: 'dl' });
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser, inject('isolatedUrl')));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const status = () => page.getByTestId('attention-status');

describe('attention card', () => {
  it('loads a transformer-task weights file and draws both positional tables', async () => {
    await page.getByTestId('attention-load').setInputFiles(weightsFile);
    await status().filter({ hasText: /^loaded / }).waitFor({ timeout: 120_000 });
    expect(await status().textContent()).toBe('loaded transformer-task.safetensors (transformer-task copy): 2 layers × 2 heads, d_model 16, context 7, 5 symbols — type below');
    expect(await page.getByTestId('attention-tables').locator('canvas').count()).toBe(2);
    const size = await page.getByTestId('attention-tables').locator('canvas').first().evaluate((c) => [(c as HTMLCanvasElement).height, (c as HTMLCanvasElement).width]);
    expect(size).toEqual([7, 16]);
  });

  it('draws one map per layer and head for typed digits, with the weights Node.js computes', async () => {
    const text = page.getByTestId('attention-text');
    await text.fill('012_0');
    const maps = page.getByTestId('attention-maps');
    await page.waitForFunction(() => document.querySelector('[data-testid="attention-maps"]')?.getAttribute('data-tokens') === '5', undefined, { timeout: 60_000 });
    expect(await maps.locator('canvas').count()).toBe(4);
    // The first head of layer 2, read back from the canvas: the brightest key of each query row matches Node's weights.
    const pixels = await maps.locator('canvas').nth(2).evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      return Array.from({ length: canvas.width * canvas.height }, (_, p) => data[4 * p]! + data[4 * p + 1]! + data[4 * p + 2]!);
    });
    const node = attentionMaps(model, [0, 1, 2, 4, 0])[1]![0]!;
    for (let i = 0; i < 5; i++) {
      const row = (a: ArrayLike<number>) => Array.from({ length: 5 }, (_, j) => a[i * 5 + j]!);
      const argmax = (r: number[]) => r.indexOf(Math.max(...r));
      expect(argmax(row(pixels)), `query ${i}`).toBe(argmax(row(node)));
      // Causal: keys after the query are black.
      for (let j = i + 1; j < 5; j++) expect(pixels[i * 5 + j]).toBe(0);
    }
  });

  it('reports a character outside the vocabulary, then recovers', async () => {
    const text = page.getByTestId('attention-text');
    await text.fill('01x');
    await status().filter({ hasText: 'is not in the model' }).waitFor({ timeout: 60_000 });
    expect(await status().textContent()).toBe('"x" is not in the model\'s vocabulary ("0123_")');
    await text.fill('01');
    await page.waitForFunction(() => document.querySelector('[data-testid="attention-maps"]')?.getAttribute('data-tokens') === '2', undefined, { timeout: 60_000 });
    expect(await status().textContent()).toMatch(/^loaded /);
    expect(errors).toEqual([]);
  });
});
