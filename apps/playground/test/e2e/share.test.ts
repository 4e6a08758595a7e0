// A shared link restores the page: the training settings and the race's f,
// start and rates come back from the address, and "Copy link" copies it.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, openPage } from './browser.js';
import { configure } from './train-page.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('settings in the address', () => {
  it('Copy link copies an address that restores the training settings and the race in a fresh window', async () => {
    const url = inject('isolatedUrl');
    const { page, errors } = await openPage(browser, url, { permissions: ['clipboard-read', 'clipboard-write'] });
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await configure(page, { sizes: '784-48-10', optimizer: 'adam', lr: '0.002', schedule: 'cosine', batch: '32', epochs: '4', limit: '5000', dropout: '0.25', weightDecay: '0.0005', augment: 'shift' });
    await page.getByTestId('race-expr').fill('(x - 1)^2 + 3 (y + 0.5)^2');
    await page.getByTestId('race-start-x').fill('-1.5');
    await page.getByTestId('race-start-y').fill('1.25');
    await page.getByTestId('race-run').click();
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.getByTestId('copy-link').click();
    await page.getByTestId('copy-link-note').filter({ hasText: 'Link copied' }).waitFor({ timeout: 5_000 });
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toBe(page.url());
    expect(errors).toEqual([]);
    await page.context().close();

    const shared = await openPage(browser, link);
    const p = shared.page;
    await p.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const fields = {
      sizes: await p.getByTestId('train-sizes').inputValue(),
      optimizer: await p.getByTestId('train-optimizer').inputValue(),
      lr: await p.getByTestId('train-lr').inputValue(),
      schedule: await p.getByTestId('train-schedule').inputValue(),
      batch: await p.getByTestId('train-batch').inputValue(),
      epochs: await p.getByTestId('train-epochs').inputValue(),
      limit: await p.getByTestId('train-limit').inputValue(),
      dropout: await p.getByTestId('train-dropout').inputValue(),
      weightDecay: await p.getByTestId('train-weight-decay').inputValue(),
      augment: await p.getByTestId('train-augment').inputValue(),
    };
    expect(fields).toEqual({ sizes: '784-48-10', optimizer: 'adam', lr: '0.002', schedule: 'cosine', batch: '32', epochs: '4', limit: '5000', dropout: '0.25', weightDecay: '0.0005', augment: 'shift' });
    expect(await p.getByTestId('race-expr').inputValue()).toBe('(x - 1)^2 + 3 (y + 0.5)^2');
    expect(await p.getByTestId('race-preset').inputValue()).toBe('custom');
    expect(await p.getByTestId('race-plot').textContent()).toContain('start (-1.5, 1.25)');
    expect(await p.getByTestId('race-plot').textContent()).toContain('f(x, y) = (x - 1)^2 + 3 (y + 0.5)^2');
    expect(shared.errors).toEqual([]);
    await p.context().close();
  });

  it('says which parts of a link it could not use and applies the rest', async () => {
    const { page, errors } = await openPage(browser, `${inject('isolatedUrl')}?opt=rmsprop2&lr=0.3&start=oops`);
    await page.getByTestId('share-problems').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('share-problems').textContent()).toBe(
      "Parts of this link could not be used: opt='rmsprop2' is not one of sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw, adamax, lbfgs, newton; start='oops' is not two numbers x,y.",
    );
    expect(await page.getByTestId('train-lr').inputValue()).toBe('0.3');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
