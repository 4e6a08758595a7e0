// The GNN card in Chromium: Cora is served with the page and parsed in the
// worker; a force layout draws it; a GCN trained for a fixed number of epochs
// recolours every node and reports the test accuracy Node.js reaches with the
// same seed; a briefly trained GAT answers a click on the best-connected node
// with its attention over that node's edges; the over-smoothing curve falls.
import type { Browser, Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadCora } from '@dl/gnn';
import { datasetDir } from '../../src/gnn/data.js';
import { CardTrainer } from '../../web/gnn/card-trainer.js';
import { schemeTableau10 } from 'd3-scale-chromatic';
import { SCREENSHOTS, launchChromium, openPage } from './browser.js';

const GCN_EPOCHS = 30;
const GAT_EPOCHS = 3;
const hasCora = existsSync(`${datasetDir('cora')}/cora.content`);

let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launchChromium();
  ({ page, errors } = await openPage(browser, inject('isolatedUrl')));
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

const card = () => page.getByTestId('gnn-card');
const status = () => page.getByTestId('gnn-status');
const cardData = (key: string) => page.evaluate((k) => document.querySelector<HTMLElement>('[data-testid="gnn-card"]')?.dataset[k], key);
const waitForCard = (key: string, value: string) =>
  page.waitForFunction(([k, v]) => document.querySelector<HTMLElement>('[data-testid="gnn-card"]')?.dataset[k!] === v, [key, value] as const, { timeout: 170_000 });

describe.runIf(hasCora)('gnn card', () => {
  it('loads Cora, lays it out and recolours it as a GCN trains for a fixed number of epochs', async () => {
    await card().scrollIntoViewIfNeeded();
    await status().filter({ hasText: /^Cora: 2708 papers/ }).waitFor({ timeout: 120_000 });
    expect(await status().textContent()).toMatch(/^Cora: 2708 papers, 5278 citation links, 7 classes; public split 140 \/ 500 \/ 1000 \(train \/ val \/ test\)/);
    const legend = await page.getByTestId('gnn-legend').textContent();
    for (const name of ['Theory', 'Reinforcement Learning', 'Genetic Algorithms', 'Neural Networks', 'Probabilistic Methods', 'Case Based', 'Rule Learning']) expect(legend).toContain(name);

    await page.getByTestId('gnn-epochs').fill(String(GCN_EPOCHS));
    await page.getByTestId('gnn-train').click();
    await waitForCard('done', 'gcn');
    expect(await cardData('epoch')).toBe(String(GCN_EPOCHS));
    expect(await cardData('predictedEpoch')).toBe(String(GCN_EPOCHS));
    expect(await status().textContent()).toMatch(new RegExp(`^GCN trained for ${GCN_EPOCHS} epochs: test accuracy \\d+\\.\\d%\\.$`));
    const shown = Number((await page.getByTestId('gnn-accuracy').textContent())?.match(new RegExp(`^GCN test accuracy (\\d+\\.\\d)% after epoch ${GCN_EPOCHS} `))?.[1]);
    // Node.js, same seed and epochs: the page's kernels may round differently, so a few test nodes may flip.
    const node = new CardTrainer(loadCora(datasetDir('cora'), { normalizeFeatures: true }), 'gcn', 0);
    for (let e = 0; e < GCN_EPOCHS; e++) node.step();
    expect(Math.abs(shown / 100 - node.testAccuracy())).toBeLessThan(0.03);
    expect(await page.getByTestId('gnn-training-chart').getAttribute('data-points')).toBe(String(GCN_EPOCHS));
    expect(await page.getByTestId('gnn-graph').getAttribute('data-coloured')).toBe('2708');

    await waitForCard('layout', 'done');
    // The canvas shows the graph: most of the seven class colours are on it, and a good share of it is not background.
    const { painted, colours } = await page.getByTestId('gnn-graph').evaluate((c, palette) => {
      const canvas = c as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const rgb = palette.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
      const seen = new Set<number>();
      let painted = 0;
      for (let p = 0; p < data.length; p += 4) {
        const [r, g, b] = [data[p]!, data[p + 1]!, data[p + 2]!];
        if (r < 250 || g < 250 || b < 250) painted++;
        rgb.forEach(([pr, pg, pb], k) => {
          if (Math.abs(r - pr!) + Math.abs(g - pg!) + Math.abs(b - pb!) < 6) seen.add(k);
        });
      }
      return { painted: painted / (data.length / 4), colours: seen.size };
    }, schemeTableau10.slice(0, 7));
    expect(painted).toBeGreaterThan(0.01);
    expect(colours).toBeGreaterThanOrEqual(5);
    await card().screenshot({ path: `${SCREENSHOTS}/gnn-gcn.png` });
  });

  it('trains a GAT briefly, and a click on a node lists its neighbours with attention weights summing to 1', async () => {
    await page.getByTestId('gnn-model').selectOption('gat');
    await page.getByTestId('gnn-epochs').fill(String(GAT_EPOCHS));
    await page.getByTestId('gnn-train').click();
    await waitForCard('done', 'gat');
    expect(await status().textContent()).toMatch(new RegExp(`^GAT trained for ${GAT_EPOCHS} epochs: test accuracy \\d+\\.\\d%\\. Click a node`));

    const graph = page.getByTestId('gnn-graph');
    const hub = Number(await graph.getAttribute('data-hub'));
    const x = Number(await graph.getAttribute('data-hub-x'));
    const y = Number(await graph.getAttribute('data-hub-y'));
    await graph.click({ position: { x, y } });
    const rows = page.getByTestId('gnn-attention-row');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await cardData('selected')).toBe(String(hub));
    expect(await graph.getAttribute('data-highlight')).toBe(String(hub));
    // One row per incoming edge of the GAT's graph: every neighbour and the node itself.
    const cora = loadCora(datasetDir('cora'));
    const dst = cora.graph.dst.data as Int32Array;
    const degree = dst.reduce((a, d) => a + (d === hub ? 1 : 0), 0);
    expect(await rows.count()).toBe(degree + 1);
    const weights = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset['weights']!.split(',').map(Number)));
    for (const layer of [0, 1]) expect(weights.reduce((s, w) => s + w[layer]!, 0)).toBeCloseTo(1, 3);
    expect(await page.getByTestId('gnn-attention-info').textContent()).toMatch(new RegExp(`^Node ${hub} \\(paper \\d+\\): .* The GAT’s attention α over its ${degree + 1} incoming edges`));
    await card().screenshot({ path: `${SCREENSHOTS}/gnn-gat-attention.png` });
  });

  it('draws the over-smoothing curve a propagation at a time, falling as layers are added', async () => {
    await page.getByTestId('gnn-oversmooth').click();
    const chart = page.getByTestId('gnn-oversmooth-chart');
    await page.waitForFunction(() => document.querySelector('[data-testid="gnn-oversmooth-chart"]')?.getAttribute('data-points') === '33', undefined, { timeout: 170_000 });
    const first = Number(await chart.getAttribute('data-first'));
    const last = Number(await chart.getAttribute('data-last'));
    expect(last).toBeLessThan(0.8 * first);
    await card().screenshot({ path: `${SCREENSHOTS}/gnn-oversmoothing.png` });
  });

  it('stops a long run on request and keeps what it learned on the page', async () => {
    await page.getByTestId('gnn-model').selectOption('gcn');
    await page.getByTestId('gnn-epochs').fill('2000');
    await page.getByTestId('gnn-train').click();
    // Bounded by epochs: wait for the fifth, then stop.
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-testid="gnn-card"]')?.dataset['epoch']) >= 5, undefined, { timeout: 170_000 });
    await page.getByTestId('gnn-stop').click();
    await waitForCard('done', 'gcn');
    const stoppedAt = Number((await status().textContent())?.match(/^GCN stopped after (\d+) epochs: test accuracy \d+\.\d%\.$/)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(5);
    expect(stoppedAt).toBeLessThan(2000);
    expect(await cardData('predictedEpoch')).toBe(String(stoppedAt));
    expect(await page.getByTestId('gnn-accuracy').textContent()).toMatch(new RegExp(`^GCN test accuracy \\d+\\.\\d% after epoch ${stoppedAt} `));
    expect(await page.getByTestId('gnn-train').isDisabled()).toBe(false);
    expect(errors).toEqual([]);
  });
});
