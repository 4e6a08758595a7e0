import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { depthList, dgiAction, dropRate, fanouts, ginAction, hypergraphAction, nodeAction, oversmoothAction } from '../../src/cli/gnn-commands.js';
import { datasetDir } from '../../src/gnn/data.js';
import { meanStd, percent } from '../../src/gnn/report.js';

const hasData = existsSync(`${datasetDir('cora')}/cora.content`) && existsSync(`${datasetDir('mutag')}/MUTAG_A.txt`);

describe('gnn command arguments', () => {
  it('parse dropout rates, fan-outs and depths strictly', () => {
    expect(dropRate('0.6')).toBe(0.6);
    for (const bad of ['1', '-0.1', 'x', '0.5a']) expect(() => dropRate(bad), bad).toThrow(InvalidArgumentError);
    expect(fanouts('25,10')).toEqual([25, 10]);
    for (const bad of ['25,', '0,1', 'a']) expect(() => fanouts(bad), bad).toThrow(/neighbours per hop/);
    expect(depthList('0,1,4')).toEqual([0, 1, 4]);
    expect(() => depthList('1,-2')).toThrow(/propagation counts/);
  });

  it('summarise runs as mean ± sample std', () => {
    expect(meanStd([0.8, 0.82]).mean).toBeCloseTo(0.81, 12);
    expect(percent([0.8, 0.82])).toBe('81.00 ± 1.41%');
  });
});

describe.runIf(hasData)('gnn commands on the real data (a few epochs)', () => {
  const lines: string[] = [];
  const log = (l: string): void => void lines.push(l);

  it('gcn, gat, cheb and sage train, print the epoch table and the mean over seeds', { timeout: 120_000 }, () => {
    const base = { seeds: 1, seed: 0, epochs: 2, lr: 0.01, weightDecay: 5e-4, hidden: 4, dropout: 0.5, patience: 0, heads: 2, outHeads: 1, k: 2, aggr: 'mean' as const, fanouts: [5, 5], denseFeatures: false, every: 1, quiet: true };
    for (const kind of ['gcn', 'gat', 'cheb', 'sage'] as const) {
      lines.length = 0;
      const runs = nodeAction(kind, base, log);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.history).toHaveLength(2);
      expect(lines.join('\n')).toMatch(new RegExp(`${kind} test accuracy over 1 seed: [\\d.]+ ± 0\\.00%`));
      expect(lines[0]).toMatch(/public split 140\/500\/1000/);
    }
    lines.length = 0;
    nodeAction('sage', { ...base, batchSize: 70 }, log);
    expect(lines[0]).toMatch(/mini-batches of 70 with fan-outs 5,5/);
  });

  it('gin cross-validates on MUTAG; dgi probes its embeddings; oversmooth prints the curve', { timeout: 120_000 }, () => {
    lines.length = 0;
    const r = ginAction({ seeds: 1, seed: 0, epochs: 1, lr: 0.01, hidden: 8, layers: 2, dropout: 0.5, batchSize: 64, folds: 3, decayEvery: 50, trainEps: false, quiet: true }, log);
    expect(r.finalAccuracy).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/gin last-epoch test accuracy over 3 folds × seeds/);
    lines.length = 0;
    const accs = dgiAction({ seeds: 1, seed: 0, hidden: 8, lr: 0.001, patience: 2, maxEpochs: 2, quiet: true }, log);
    expect(accs).toHaveLength(1);
    const curve = oversmoothAction({ depths: [0, 4], sample: 200 }, log);
    expect(curve[1]!).toBeLessThan(curve[0]!);
    expect(hypergraphAction({ seeds: 1, seed: 0, epochs: 2, hidden: 4 }, log)).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/co-citation hyperedges/);
  });

  it('hypergraph trains HyperGCN and FastHyperGCN above chance in 30 epochs', { timeout: 120_000 }, () => {
    for (const model of ['hypergcn', 'fasthypergcn'] as const) {
      lines.length = 0;
      const [acc] = hypergraphAction({ model, seeds: 1, seed: 0, epochs: 30, hidden: 16 }, log);
      // 7 classes: chance is about 14% (the largest class 32%).
      expect(acc, model).toBeGreaterThan(0.5);
      expect(lines[0], model).toMatch(model === 'hypergcn' ? /HyperGCN .*fresh random direction/ : /FastHyperGCN .*one graph from the input features/);
    }
  });
});
