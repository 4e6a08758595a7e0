// The optimizer race in the page: paths drawn over the contour plot end near
// Rosenbrock's minimum for Adam and L-BFGS, and a malformed expression gives
// a clear error instead of breaking the page.
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';

const OPTIMIZERS = ['SGD', 'Momentum', 'NAG', 'Adagrad', 'RMSprop', 'Adadelta', 'Adam', 'L-BFGS'];

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('optimizer race in the browser', () => {
  it('races all eight optimizers on Rosenbrock; Adam and L-BFGS end near (1, 1)', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await page.getByTestId('race-preset').selectOption('rosenbrock');
    await page.getByTestId('race-run').click();
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const plot = page.getByTestId('race-plot');
    for (const name of OPTIMIZERS) {
      expect(await plot.locator(`[data-optimizer="${name}"]`).count(), name).toBeGreaterThan(0);
      expect(await page.locator(`[data-testid=race-table] tr[data-optimizer="${name}"]`).count(), name).toBe(1);
    }
    for (const name of ['Adam', 'L-BFGS']) {
      const path = plot.locator(`[data-optimizer="${name}"][data-end-x]`).first();
      const x = Number(await path.getAttribute('data-end-x'));
      const y = Number(await path.getAttribute('data-end-y'));
      expect(Math.hypot(x - 1, y - 1), `${name} ends at (${x}, ${y})`).toBeLessThan(0.1);
    }
    await page.screenshot({ path: resolve(SCREENSHOTS, 'race-rosenbrock.png'), fullPage: true });
    await page.getByTestId('race-plot').screenshot({ path: resolve(SCREENSHOTS, 'race-rosenbrock-plot.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows the symbolic derivative beside the autograd gradient', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await page.getByTestId('race-preset').selectOption('saddle');
    await page.getByTestId('race-run').click();
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const text = (await page.getByTestId('race-derivative').textContent()) ?? '';
    expect(text).toContain('2 * x');
    expect(text).toMatch(/autograd/i);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a click on the plot starts a new race from the point under the pointer', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.getByTestId('race-plot').scrollIntoViewIfNeeded();
    // Rosenbrock's window is [-2, 2] × [-1, 3] on the 470-px square at (58, 48) of the 800 × 560 SVG: its centre is (0, 1).
    const centre = await page.getByTestId('race-plot').evaluate((svg) => {
      const p = new DOMPoint(58 + 235, 48 + 235).matrixTransform((svg as SVGSVGElement).getScreenCTM()!);
      return { x: p.x, y: p.y };
    });
    await page.mouse.click(centre.x, centre.y);
    // A click lands on a whole screen pixel, and the point snaps to Rosenbrock's 0.05 grid: within a step of the centre.
    const x = Number(await page.getByTestId('race-start-x').inputValue());
    const y = Number(await page.getByTestId('race-start-y').inputValue());
    expect(Math.abs(x - 0)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(y - 1)).toBeLessThanOrEqual(0.05);
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('race-plot').textContent()).toContain(`start (${x}, ${y})`);
    await page.getByTestId('race-plot').screenshot({ path: resolve(SCREENSHOTS, 'race-clicked-start.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a malformed expression shows a clear error, the page keeps working, a valid one clears it', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const alert = page.getByTestId('race-error');
    // Each message names what was typed, where it went wrong and what is allowed.
    const cases: Array<[string, RegExp]> = [
      ['x^^2 + (y', /Cannot parse "x\^\^2 \+ \(y".*character 3/],
      ['x + z', /Unknown variable "z" at character 5.*only x and y/],
      ['foo(x) + y', /Unsupported function "foo".*Supported functions: sin, cos/],
    ];
    for (const [bad, message] of cases) {
      await page.getByTestId('race-expr').fill(bad);
      await page.getByTestId('race-run').click();
      await alert.filter({ hasText: message }).waitFor({ state: 'visible', timeout: 10_000 });
      expect(await alert.getAttribute('role')).toBe('alert');
    }
    await page.screenshot({ path: resolve(SCREENSHOTS, 'race-error.png'), fullPage: true });
    await page.getByTestId('race-expr').fill('(x - 1)^2 + (y + 0.5)^2');
    await page.getByTestId('race-run').click();
    await alert.waitFor({ state: 'hidden', timeout: 10_000 });
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
