// The GNN card's data: Cora fetched from the page's folder and parsed by
// @dl/gnn (the same graph loadCora reads), each undirected edge once for
// drawing, and the over-smoothing curve the oversmooth command prints.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCora } from '@dl/gnn';
import { oversmoothAction } from '../../src/cli/gnn-commands.js';
import { datasetDir } from '../../src/gnn/data.js';
import { coraUrls, fetchCoraFiles, loadCoraFrom, summarizeCora } from '../../web/gnn/cora-data.js';
import { oversmoothingCurve } from '../../web/gnn/oversmoothing.js';

const dir = datasetDir('cora');
const hasCora = existsSync(`${dir}/cora.content`);

/** A fetch that answers `https://page.test/play/cora/<file>` from the data set folder. */
const fetchFromDisk = async (url: string): Promise<Response> => {
  const name = url.match(/^https:\/\/page\.test\/play\/cora\/([\w.]+)$/)?.[1];
  if (name === undefined || !existsSync(join(dir, name))) return new Response('not found', { status: 404 });
  return new Response(readFileSync(join(dir, name), 'utf8'));
};

describe('coraUrls / fetchCoraFiles', () => {
  it('puts the files under the page folder', () => {
    expect(coraUrls('https://x.org/play/index.html')).toEqual({
      content: 'https://x.org/play/cora/cora.content',
      cites: 'https://x.org/play/cora/cora.cites',
      indexMap: 'https://x.org/play/cora/planetoid_index_map.tsv',
    });
  });

  it('names a file it could not fetch', async () => {
    await expect(fetchCoraFiles('https://page.test/elsewhere/', fetchFromDisk)).rejects.toThrow(/could not fetch https:\/\/page\.test\/elsewhere\/cora\/cora\.(content|cites) \(HTTP 404\)/);
  });
});

describe.runIf(hasCora)('the card on the real Cora files', () => {
  it('parses the fetched files into the graph loadCora reads, and summarises it for drawing', { timeout: 120_000 }, async () => {
    const fetched = await loadCoraFrom('https://page.test/play/', fetchFromDisk);
    const read = loadCora(dir, { normalizeFeatures: true });
    expect(fetched.graph.numEdges).toBe(read.graph.numEdges);
    // Byte comparison: vitest's deep equality walks 3.9 million floats slowly.
    const bytes = (t: typeof read.graph.x) => Buffer.from((t!.data as Float32Array).buffer);
    expect(Buffer.compare(bytes(fetched.graph.x), bytes(read.graph.x))).toBe(0);
    expect(fetched.trainIndex.data).toEqual(read.trainIndex.data);
    const s = summarizeCora(fetched);
    expect(s.numNodes).toBe(2708);
    expect(s.src).toHaveLength(5278);
    expect(s.src.every((v, e) => v < s.dst[e]!)).toBe(true);
    expect(s.classes).toEqual(['Theory', 'Reinforcement_Learning', 'Genetic_Algorithms', 'Neural_Networks', 'Probabilistic_Methods', 'Case_Based', 'Rule_Learning']);
    const count = (code: number) => s.split.reduce((a, v) => a + (v === code ? 1 : 0), 0);
    expect([count(1), count(2), count(3), count(0)]).toEqual([140, 500, 1000, 1068]);
    expect(Array.from(s.labels)).toEqual(Array.from(read.graph.y!.data as Int32Array));
    expect(s.paperIds).toEqual(read.paperIds);
  });

  it('the over-smoothing curve, a propagation at a time, is the oversmooth command’s', { timeout: 120_000 }, () => {
    const cora = loadCora(dir, { normalizeFeatures: true });
    const curve = [...oversmoothingCurve(cora, 4, 150)];
    expect(curve.map((p) => p.depth)).toEqual([0, 1, 2, 3, 4]);
    const cli = oversmoothAction({ depths: [0, 1, 2, 4], sample: 150 }, () => {});
    expect([curve[0], curve[1], curve[2], curve[4]].map((p) => p!.distance)).toEqual(cli);
    // Smoothing: the rows draw together as propagations are added.
    expect(curve[4]!.distance).toBeLessThan(curve[0]!.distance);
    expect(() => oversmoothingCurve(cora, -1, 10).next()).toThrow(/maxDepth/);
  });
});
