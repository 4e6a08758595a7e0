// The optimizer race in the page: paths drawn over the contour plot end near
// Rosenbrock's minimum for Adam and L-BFGS, and a malformed expression gives
// a clear error instead of breaking the page.
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';

const OPTIMIZERS = ['SGD', 'Momentum', 'NAG', 'Adagrad', 'RMSprop', 'Adadelta', 'Adam', 'L-BFGS'];
// Pages that prefer reduced motion draw a race's paths at once instead of
// animating them for 3.5 s: tests about what a race shows, not how it moves,
// use it (the first test and the cancellation test keep the animation).
const STILL = { reducedMotion: 'reduce' } as const;

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
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), STILL);
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
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), STILL);
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

  it('a new race shows at once and cancels the one still running: two quick clicks race only from the second point', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'));
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.getByTestId('race-plot').scrollIntoViewIfNeeded();
    const at = (x: number, y: number) =>
      page.getByTestId('race-plot').evaluate(
        (svg, [u, v]) => {
          // Rosenbrock's window [-2, 2] × [-1, 3] on the 470-px square at (58, 48) of the 800 × 560 SVG.
          const p = new DOMPoint(58 + ((u! + 2) / 4) * 470, 48 + ((3 - v!) / 4) * 470).matrixTransform((svg as SVGSVGElement).getScreenCTM()!);
          return { x: p.x, y: p.y };
        },
        [x, y],
      );
    const first = await at(-1, 2);
    await page.mouse.click(first.x, first.y);
    // At once, before the worker answers: the old paths and start are gone and the new start is marked.
    const now = await page.evaluate(() => ({
      pending: document.querySelector('[data-testid=race-pending-start]')?.textContent ?? null,
      paths: Array.from(document.querySelectorAll('path.race-path')).filter((p) => p.getAttribute('d') !== '').length,
      status: document.querySelector('[data-testid=race-status]')?.textContent ?? '',
    }));
    expect(now).toEqual({ pending: 'racing from (-1, 2)…', paths: 0, status: 'Racing from (-1, 2) in the worker…' });
    // Measured after the first click: the shorter status line moved the plot.
    const second = await at(1.5, -0.5);
    await page.mouse.click(second.x, second.y);
    expect(await page.getByTestId('race-card').getAttribute('data-cancelled-races')).toBe('1');
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('race-plot').textContent()).toContain('start (1.5, -0.5)');
    expect(await page.getByTestId('race-plot').textContent()).not.toContain('start (-1, 2)');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('the surface menu follows the typed f, refuses a decimal comma in the start, and warns when f looks unbounded below', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), STILL);
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.getByTestId('race-expr').fill('x + y');
    expect(await page.getByTestId('race-preset').inputValue()).toBe('custom');
    await page.getByTestId('race-expr').fill('x^2 - y^2');
    expect(await page.getByTestId('race-preset').inputValue()).toBe('saddle');
    await page.getByTestId('race-expr').fill('x + y');
    await page.getByTestId('race-start-x').fill('0,5');
    await page.getByTestId('race-run').click();
    await page.getByTestId('race-error').filter({ hasText: "The start x '0,5' has a decimal comma; write 0.5 with a point" }).waitFor({ timeout: 10_000 });
    await page.getByTestId('race-start-x').fill('0.5');
    await page.getByTestId('race-run').click();
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('race-unbounded').textContent()).toMatch(/^f looks unbounded below: .* left the plot with f still falling/);
    expect(await page.getByTestId('race-unbounded').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a racer that met the target but left it says so (Adadelta on a steep bowl)', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), STILL);
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.getByTestId('race-expr').fill('1e10*(x^2+y^2)');
    await page.getByTestId('race-start-x').fill('0.5');
    await page.getByTestId('race-start-y').fill('0.5');
    await page.getByTestId('race-run').click();
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    const cells = await page.locator('[data-testid=race-table] tr[data-optimizer="Adadelta"] td').allTextContents();
    expect(cells[1]).toMatch(/^\d+, then lost$/);
    expect(Number(cells[2])).toBeGreaterThan(1);
    expect(await page.getByTestId('race-status').textContent()).toMatch(/got there but left again/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('per-optimizer learning-rate and momentum sliders rerun the race with the new values', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), STILL);
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.getByTestId('race-tune').locator('summary').click();
    // Rosenbrock gives SGD 0.001; one slider step up the 1-2-5 grid is 0.002.
    const slider = page.getByTestId('race-lr-SGD');
    await slider.fill(String(Number(await slider.inputValue()) + 1));
    await page.getByTestId('race-momentum-Momentum').fill('0.5');
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=race-table] tr[data-optimizer="SGD"] td')?.textContent === '0.002', undefined, { timeout: 150_000 });
    expect(await page.getByTestId('race-lr-value-SGD').textContent()).toBe('0.002');
    expect(await page.getByTestId('race-momentum-value-Momentum').textContent()).toBe('0.50');
    expect(page.url()).toMatch(/rates=SGD%3A0\.002/);
    expect(page.url()).toMatch(/momenta=Momentum%3A0\.5/);
    await page.getByTestId('race-tune').screenshot({ path: resolve(SCREENSHOTS, 'race-tune.png') });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('steps through one optimizer: its path so far, the gradient and the step it takes', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), STILL);
    await page.getByTestId('race-status').filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });
    await page.getByTestId('race-step-optimizer').selectOption('SGD');
    await page.getByTestId('race-step-toggle').click();
    const readout = page.getByTestId('race-step-readout');
    await readout.filter({ hasText: /^Step 0 of 3000: at \(-1\.2, 1\), f = 24\.2 and ∇f = \(-215\.6, -88\)\./ }).waitFor({ timeout: 10_000 });
    expect(await readout.textContent()).toContain('That is exactly −lr·∇f = (0.2156, 0.088): a plain gradient step.');
    await page.getByTestId('race-step-next').click();
    expect(await readout.textContent()).toMatch(/^Step 1 of 3000:/);
    expect(await page.getByTestId('race-step-overlay').getAttribute('data-step')).toBe('1');
    await page.getByTestId('race-step-optimizer').selectOption('Momentum');
    await readout.filter({ hasText: /^Step 0 of 3000/ }).waitFor({ timeout: 10_000 });
    await page.getByTestId('race-step-slider').fill('40');
    expect(await readout.textContent()).toMatch(/^Step 40 of 3000: .* this one points \d+° away from −∇f/);
    await page.locator('.race-main').screenshot({ path: resolve(SCREENSHOTS, 'race-step.png') });
    await page.getByTestId('race-step-toggle').click();
    expect(await page.getByTestId('race-step-overlay').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a malformed expression shows a clear error, the page keeps working, a valid one clears it', async () => {
    const { page, errors } = await openPage(browser, inject('isolatedUrl'), STILL);
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
