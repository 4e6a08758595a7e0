// The kernels give the same numbers in the browser as in Node.js: the
// self-check page runs the fixed computation in a Web Worker under every
// SIMD build and thread count Chromium offers; this test runs it here and
// compares fingerprints bit for bit.
import { resolve } from 'node:path';
import { setSimdVariant, withBackend } from '@dl/tensor';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FixedResult, fixedComputation } from '../../src/selfcheck/fixed-computation.js';
import type { SelfCheckReport, SelfCheckRun } from '../../web/selfcheck/protocol.js';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';

let browser: Browser;
let isolated: { report: SelfCheckReport; errors: string[]; verdict: { pass: string | null; text: string | null; alarming: number } };
beforeAll(async () => {
  browser = await launchChromium();
  isolated = await selfCheck(inject('isolatedUrl'), 'selfcheck-isolated.png');
});
afterAll(async () => {
  await browser?.close();
});

async function selfCheck(baseUrl: string, shot: string): Promise<typeof isolated> {
  const { page, errors } = await openPage(browser, new URL('selfcheck.html', baseUrl).href);
  await page.getByTestId('selfcheck-status').filter({ hasText: /done|failed/ }).waitFor({ timeout: 60_000 });
  await page.screenshot({ path: resolve(SCREENSHOTS, shot), fullPage: true });
  const status = await page.getByTestId('selfcheck-status').textContent();
  expect(status).toContain('done');
  const verdict = {
    pass: await page.getByTestId('selfcheck-verdict').getAttribute('data-pass'),
    text: await page.getByTestId('selfcheck-verdict').textContent(),
    alarming: await page.locator('table.selfcheck td.differs').count(),
  };
  const report = JSON.parse((await page.getByTestId('selfcheck-json').textContent()) ?? '') as SelfCheckReport;
  await page.context().close();
  return { report, errors, verdict };
}

const fingerprints = (results: FixedResult[]): string[] => results.map((r) => `${r.name}: ${r.fingerprint}`);
const wasmRun = (report: SelfCheckReport, variant: string, threads: number): SelfCheckRun | undefined =>
  report.runs.find((r) => r.backend === 'wasm' && r.variant === variant && r.threadsUsed === threads);

describe('kernels in Chromium against Node.js', () => {
  setSimdVariant('plain');
  const nodePlain = fixedComputation();
  const nodeReference = withBackend('reference', fixedComputation);
  setSimdVariant('auto');

  it('cross-origin isolated page: plain SIMD on 1 and 2 threads, js and reference kernels match Node bit for bit', async () => {
    const { report, errors } = isolated;
    expect(errors).toEqual([]);
    expect(report.crossOriginIsolated).toBe(true);
    expect(report.features).toMatchObject({ simd: true, sharedMemory: true });
    for (const threads of [1, 2]) {
      const run = wasmRun(report, 'plain', threads);
      expect(run, `a plain-SIMD run on ${threads} thread(s)`).toBeDefined();
      expect(fingerprints(run!.results)).toEqual(fingerprints(nodePlain));
    }
    const reference = report.runs.find((r) => r.backend === 'reference')!;
    expect(fingerprints(reference.results)).toEqual(fingerprints(nodeReference));
    expect(fingerprints(report.runs.find((r) => r.backend === 'js')!.results)).toEqual(fingerprints(withBackend('js', fixedComputation)));
  });

  it('the page gives a verdict in words, and no alarm colour for a difference that is expected', () => {
    // Builds may differ bit for bit (relaxed SIMD rounds once per multiply-add); the verdict says whether that is all.
    expect(isolated.verdict.alarming).toBe(0);
    expect(isolated.verdict.text).toMatch(/^✓ Pass: the thread count never changes a bit/);
    expect(isolated.verdict.pass).toBe('true');
  });

  it('relaxed SIMD (fused multiply-add, where Chromium has it) stays within float32 rounding of the reference', async () => {
    const { report } = isolated;
    const relaxed = report.runs.filter((r) => r.variant === 'relaxed');
    expect(relaxed.length).toBe(report.features.relaxedSimd ? 2 : 0);
    for (const run of relaxed) {
      expect(fingerprints(run.results)).toEqual(fingerprints(relaxed[0]!.results)); // thread count never changes a bit
      run.results.forEach((r, i) => {
        const ref = nodeReference[i]!;
        // Sums of up to 784-term float32 dot products: 2⁻²⁴ per term, times the count, is far under 1e-5.
        expect(Math.abs(r.sum - ref.sum) / ref.absSum, r.name).toBeLessThan(1e-5);
      });
    }
  });

  it('a page without cross-origin isolation falls back to one thread and computes the same numbers', async () => {
    const { report, errors } = await selfCheck(inject('plainUrl'), 'selfcheck-not-isolated.png');
    expect(errors).toEqual([]);
    expect(report.crossOriginIsolated).toBe(false);
    expect(report.features.sharedMemory).toBe(false);
    const plainRuns = report.runs.filter((r) => r.backend === 'wasm' && r.variant === 'plain');
    expect(plainRuns.map((r) => r.threadsUsed)).toEqual([1, 1]);
    for (const run of plainRuns) expect(fingerprints(run.results)).toEqual(fingerprints(nodePlain));
  });
});
