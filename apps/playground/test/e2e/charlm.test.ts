// The character-model card in Chromium: a weights file written by the
// `charlm train` command's code loads and continues a prompt with exactly the
// text `charlm sample` prints; a file that is not a charlm model and a prompt
// character outside the vocabulary are named; a model trained in the tab's
// worker (30 batches: bounded by work, not time) streams a continuation with
// a heat map of its gates under it, and saved, samples the same text with
// the CLI; Stop ends a long run and keeps what it learned.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randn, writeSafetensorsFile } from '@dl/tensor';
import { charlmAction, charlmSampleAction } from '../../src/cli/rnn-commands.js';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';

let browser: Browser;
let page: Page;
let errors: string[];
const dir = mkdtempSync(join(tmpdir(), 'dl-charlm-e2e-'));
const weightsFile = join(dir, 'charlm-lstm.safetensors');
const notCharlm = join(dir, 'other.safetensors');
const quiet = (): void => {};

beforeAll(async () => {
  // A tiny LSTM from the command's own code, a few batches: the file format is what matters here.
  const textPath = join(dir, 'text.txt');
  writeFileSync(textPath, 'ROMEO:\nBut soft, what light through yonder window breaks?\nJULIET:\nAy me!\n\n'.repeat(30));
  charlmAction({ text: textPath, cell: 'lstm', hidden: 24, layers: 1, embedding: 8, dropout: 0, epochs: 1, batchSize: 8, seqLen: 16, lr: 1e-2, clip: 5, seed: 0, sampleEvery: 0, sampleLength: 10, temperature: 1, batchLimit: 10, out: weightsFile }, quiet);
  writeSafetensorsFile(notCharlm, new Map([['wte.weight', randn([4, 3])]]), { model: 'something else' });
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser, inject('isolatedUrl')));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const status = () => page.getByTestId('charlm-status');
const outputDone = () => page.waitForFunction(() => document.querySelector('[data-testid="charlm-output"]')?.getAttribute('data-state') === 'done', undefined, { timeout: 120_000 });

/** Pixels of the heat map's unit rows that are neither white nor transparent. */
async function paintedPixels(): Promise<number> {
  return page.getByTestId('charlm-heatmap').evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const rows = Number(canvas.dataset['rows']) * 7;
    if (canvas.width === 0 || rows === 0) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, rows).data;
    let n = 0;
    for (let p = 0; p < data.length; p += 4) if (data[p + 3]! > 0 && data[p]! + data[p + 1]! + data[p + 2]! < 3 * 250) n++;
    return n;
  });
}

describe('character-model card', () => {
  it('loads the charlm command’s weights and continues a prompt exactly as charlm sample does', async () => {
    await page.getByTestId('charlm-load').setInputFiles(weightsFile);
    await status().filter({ hasText: /^loaded / }).waitFor({ timeout: 120_000 });
    expect(await status().textContent()).toMatch(/^loaded charlm-lstm\.safetensors: LSTM 1 × 24, \d+ characters, [\d,]+ parameters — validation loss \d\.\d{3} nats\/char\. Type a prompt and Generate\.$/);
    await page.getByTestId('charlm-length').selectOption('100');
    await page.getByTestId('charlm-generate').click();
    await outputDone();
    // The page's defaults: temperature 0.8, seed 0.
    const cli = charlmSampleAction({ weights: weightsFile, prompt: 'ROMEO:', length: 100, temperature: 0.8, seed: 0 }, quiet);
    expect(await page.getByTestId('charlm-output').textContent()).toBe(cli);
    expect(await page.getByTestId('charlm-card').getAttribute('data-generated')).toBe('100');
    expect(await page.getByTestId('charlm-heatmap').getAttribute('data-columns')).toBe('106');
    expect(await paintedPixels()).toBeGreaterThan(100);
  });

  it('names what a file that is not a charlm model lacks, and a prompt character the model does not know', async () => {
    await page.getByTestId('charlm-load').setInputFiles(notCharlm);
    await status().filter({ hasText: 'not a charlm weights file' }).waitFor({ timeout: 60_000 });
    expect(await status().textContent()).toBe('other.safetensors: not a charlm weights file — its metadata has no "config" and no "vocabulary" (train one with the playground\'s charlm command, or in this card)');
    // The model loaded before stays usable.
    await page.getByTestId('charlm-prompt').fill('ROMEO: é');
    await page.getByTestId('charlm-generate').click();
    const gen = page.getByTestId('charlm-gen-status');
    await gen.filter({ hasText: 'is not in the model' }).waitFor({ timeout: 60_000 });
    expect(await gen.textContent()).toMatch(/^the prompt's character "é" \(position 8\) is not in the model's vocabulary of \d+ characters: /);
    await page.getByTestId('charlm-prompt').fill('');
    await page.getByTestId('charlm-generate').click();
    await gen.filter({ hasText: 'the prompt is empty' }).waitFor({ timeout: 60_000 });
    // A pasted text too short to train on says how long it must be.
    await page.getByText('Train on your own text').click();
    await page.getByTestId('charlm-text').fill('To be, or not to be.');
    await page.getByTestId('charlm-train').click();
    await status().filter({ hasText: 'the text has' }).waitFor({ timeout: 60_000 });
    expect(await status().textContent()).toBe('the text has 20 characters; need at least 650 (64-character windows in its last 10%, kept for validation)');
    await page.getByTestId('charlm-text').fill('');
  });

  it('trains in the tab for 30 batches with a live loss, then streams a continuation with a heat map of its gates', async () => {
    await page.getByTestId('charlm-hidden').selectOption('64');
    await page.getByTestId('charlm-batches').fill('30');
    await page.getByTestId('charlm-train').click();
    await status().filter({ hasText: /^trained 30 batches on Tiny Shakespeare/ }).waitFor({ timeout: 150_000 });
    expect(await status().textContent()).toMatch(/^trained 30 batches on Tiny Shakespeare \(first 99,843 characters\): LSTM 1 × 64, 61 characters, [\d,]+ parameters — validation loss \d\.\d{3} nats\/char\./);
    expect(await page.getByTestId('charlm-card').getAttribute('data-batches')).toBe('30');
    expect(await page.getByTestId('charlm-backend').textContent()).toMatch(/^backend: /);
    await page.getByTestId('charlm-prompt').fill('KING:');
    await page.getByTestId('charlm-length').selectOption('100');
    await page.getByTestId('charlm-generate').click();
    await outputDone();
    const text = (await page.getByTestId('charlm-output').textContent()) ?? '';
    expect(text.startsWith('KING:')).toBe(true);
    expect([...text].length).toBe(105);
    expect(await page.getByTestId('charlm-heatmap').getAttribute('data-columns')).toBe('105');
    expect(await page.getByTestId('charlm-heatmap').getAttribute('data-rows')).toBe('32');
    expect(await paintedPixels()).toBeGreaterThan(100);
    // Another signal redraws the same columns.
    await page.getByTestId('charlm-signal').selectOption('h');
    await page.waitForFunction(() => document.querySelector('[data-testid="charlm-caption"]')?.textContent?.startsWith('hidden state h'), undefined, { timeout: 30_000 });
    expect(await paintedPixels()).toBeGreaterThan(100);
    await page.getByTestId('charlm-card').screenshot({ path: join(SCREENSHOTS, 'charlm-card.png') });
    // Saved from the tab, the model samples the same continuation with the CLI.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('charlm-save').click()]);
    expect(download.suggestedFilename()).toBe('charlm-lstm.safetensors');
    const saved = join(dir, 'from-the-tab.safetensors');
    await download.saveAs(saved);
    expect(charlmSampleAction({ weights: saved, prompt: 'KING:', length: 100, temperature: 0.8, seed: 0 }, quiet)).toBe(text);
  });

  it('Stop ends a long run and keeps the model so far', async () => {
    await page.getByTestId('charlm-batches').fill('100000');
    await page.getByTestId('charlm-train').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="charlm-card"]')?.getAttribute('data-batches')) >= 2, undefined, { timeout: 120_000 });
    await page.getByTestId('charlm-stop').click();
    await status().filter({ hasText: /^stopped after \d+ batch/ }).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('charlm-card').getAttribute('data-model')).toBe('stopped');
    expect(await page.getByTestId('charlm-generate').isEnabled()).toBe(true);
    expect(errors).toEqual([]);
  });
});
