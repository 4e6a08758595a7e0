import { VGAE, averagePrecision, pairTensors, superpixelGraph, heldKarp, negativeSampling, rocAuc, sbm, splitEdges, tspInstance, undirectedPairs } from '@dl/gnn';
import { gradients } from '@dl/autograd';
import { Generator, eye, noGrad, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { karate } from './helpers.js';

describe('link prediction', () => {
  it('ranks with ROC AUC and average precision as scikit-learn', () => {
    expect(rocAuc([0.9, 0.2, 0.6, 0.1], [1, 0, 1, 0])).toBe(1);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.5, 0.5], [1, 0])).toBe(0.5);
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.8333333333, 9);
    expect(() => rocAuc([1, 2], [1, 1])).toThrow(/both positive and negative/);
  });

  it('splits edges into train / val / test with as many non-edges', () => {
    const g = karate();
    const split = splitEdges(g, 0.1, 0.2, new Generator(0));
    expect(split.val.src.length).toBe(2 * 7);
    expect(split.test.src.length).toBe(2 * 15);
    expect(split.trainPos.src.length).toBe(78 - 7 - 15);
    expect(split.train.numEdges).toBe(2 * (78 - 22));
    const edges = new Set(Array.from(undirectedPairs(g).src, (u, i) => `${u}-${undirectedPairs(g).dst[i]}`));
    split.test.src.forEach((u, i) => expect(edges.has(`${u}-${split.test.dst[i]}`)).toBe(split.test.label[i] === 1));
    const neg = negativeSampling(g, 50, new Generator(1));
    neg.src.forEach((u, i) => expect(edges.has(`${u}-${neg.dst[i]}`)).toBe(false));
  });

  it('trains a VGAE on the karate club to beat chance on held-out edges', { timeout: 60_000 }, () => {
    const g = karate();
    const split = splitEdges(g, 0.05, 0.15, new Generator(2));
    const gen = new Generator(3);
    const vgae = new VGAE(34, 16, 8, { generator: gen, dtype: 'float64' });
    const x = eye(34, 34, { dtype: 'float64' }); // one-hot identity features
    const params = [...vgae.parameters()];
    const m = params.map((p) => new Float64Array(p.size));
    const v = params.map((p) => new Float64Array(p.size));
    for (let t = 1; t <= 150; t++) {
      const grads = gradients(vgae.loss(x, split.train, split.trainPos, gen), params);
      // Adam (β 0.9 / 0.999, lr 0.01) by hand: @dl/optim is not a dependency of this package.
      params.forEach((p, k) => {
        const d = p.data;
        const gd = grads[k]!.data;
        for (let j = 0; j < d.length; j++) {
          m[k]![j] = 0.9 * m[k]![j]! + 0.1 * gd[j]!;
          v[k]![j] = 0.999 * v[k]![j]! + 0.001 * gd[j]! ** 2;
          d[j] = d[j]! - (0.01 * (m[k]![j]! / (1 - 0.9 ** t))) / (Math.sqrt(v[k]![j]! / (1 - 0.999 ** t)) + 1e-8);
        }
      });
    }
    vgae.eval();
    const z = noGrad(() => vgae.forward(x, split.train));
    const scores = noGrad(() => vgae.decode(z, ...pairTensors(split.test))).data;
    expect(rocAuc(scores, split.test.label)).toBeGreaterThan(0.6);
  });
});



describe('generators', () => {
  it('SBM: dense blocks, sparse between, labels per block', () => {
    const g = sbm([40, 40], [[0.5, 0.02], [0.02, 0.5]], new Generator(0), { featureFraction: 0.5 });
    expect(g.numNodes).toBe(80);
    expect(g.isUndirected()).toBe(true);
    let inside = 0;
    for (let e = 0; e < g.numEdges; e++) if (g.y!.data[g.src.data[e]!] === g.y!.data[g.dst.data[e]!]) inside++;
    expect(inside / g.numEdges).toBeGreaterThan(0.8);
    expect(() => sbm([2, 2], [[0.5, 0.1], [0.2, 0.5]])).toThrow(/symmetric/);
  });

  it('TSP: the dynamic-programming tour is optimal (checked by brute force) and labels its edges', () => {
    const inst = tspInstance(7, new Generator(4));
    expect(inst.graph.numEdges).toBe(42);
    expect(Array.from(inst.graph.y!.data).reduce((a, b) => a + b, 0)).toBe(14);
    const p = inst.points;
    const dist = (a: number, b: number): number => Math.hypot(p[2 * a]! - p[2 * b]!, p[2 * a + 1]! - p[2 * b + 1]!);
    let best = Infinity;
    const perm = (rest: number[], path: number[]): void => {
      if (rest.length === 0) {
        let l = 0;
        for (let i = 0; i < path.length; i++) l += dist(path[i]!, path[(i + 1) % path.length]!);
        best = Math.min(best, l);
        return;
      }
      rest.forEach((v, i) => perm([...rest.slice(0, i), ...rest.slice(i + 1)], [...path, v]));
    };
    perm([1, 2, 3, 4, 5, 6], [0]);
    expect(inst.length).toBeCloseTo(best, 12);
    expect(new Set(inst.tour).size).toBe(7);
    expect(heldKarp(3, () => 1).length).toBe(3);
    expect(() => tspInstance(20)).toThrow(/\[3, 16\]/);
  });
});

describe('superpixel graphs', () => {
  it('segment an image into about the requested superpixels with k-NN edges and mean intensities', () => {
    // A 28×28 image: a bright vertical bar on a dark background.
    const img = new Float32Array(28 * 28);
    for (let r = 4; r < 24; r++) for (let c = 12; c < 16; c++) img[r * 28 + c] = 1;
    const g = superpixelGraph(img, 28, 28, { segments: 49, k: 6 });
    expect(g.numNodes).toBeGreaterThan(30);
    expect(g.numNodes).toBeLessThanOrEqual(49);
    expect(Array.from(g.degree())).toEqual(new Array(g.numNodes).fill(6));
    const intensities = Array.from({ length: g.numNodes }, (_, i) => g.x!.data[i * 3]!);
    expect(Math.max(...intensities)).toBeGreaterThan(0.5);
    expect(Math.min(...intensities)).toBeLessThan(0.1);
    for (const w of g.edgeWeight!.data) expect(w).toBeGreaterThan(0);
    expect(() => superpixelGraph(img, 10, 10)).toThrow(/need width·height/);
  });
});

