import { existsSync } from 'node:fs';
import { Batch, kFold, loadKarate, loadTUDataset, parseEdgeList, parseTUDataset } from '@dl/gnn';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../helpers.js';

const MUTAG = datasetPath('mutag');
const KARATE = datasetPath('karate');

describe.runIf(existsSync(MUTAG))('MUTAG (the real files)', () => {
  it('loads 188 graphs of 10–28 nodes, 7 atom types one-hot, 2 classes, bond types as edge features', () => {
    const d = loadTUDataset(MUTAG, 'MUTAG');
    expect(d.graphs.length).toBe(188);
    expect(d.numClasses).toBe(2);
    expect(d.labelValues).toEqual([-1, 1]);
    expect(d.numFeatures).toBe(7);
    const sizes = d.graphs.map((g) => g.numNodes);
    expect(Math.min(...sizes)).toBe(10);
    expect(Math.max(...sizes)).toBe(28);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(3371);
    expect(d.graphs.reduce((a, g) => a + g.numEdges, 0)).toBe(7442);
    expect(d.graphs[0]!.edgeAttr!.shape[1]).toBe(4);
    expect(Array.from(d.labels).filter((l) => l === 1).length).toBe(125);
    expect(Batch.fromGraphs(d.graphs).graph.numNodes).toBe(3371);
  });

  it('splits into 10 stratified folds', () => {
    const d = loadTUDataset(MUTAG, 'MUTAG');
    const folds = kFold(d.labels, 10, 0);
    expect(folds.length).toBe(10);
    const seen = new Set(folds.flatMap((f) => f.test));
    expect(seen.size).toBe(188);
    for (const f of folds) {
      expect(f.train.length + f.test.length).toBe(188);
      const pos = f.test.filter((i) => d.labels[i] === 1).length;
      expect(pos).toBeGreaterThanOrEqual(12);
      expect(pos).toBeLessThanOrEqual(13);
    }
  });
});

describe('TU parsing errors name the file and line', () => {
  const ok = { A: '1, 2\n2, 1\n', graphIndicator: '1\n1\n', graphLabels: '1\n' };
  it('edge out of range, edges across graphs, label count mismatch, malformed numbers', () => {
    expect(parseTUDataset('T', ok).graphs[0]!.numEdges).toBe(2);
    expect(() => parseTUDataset('T', { ...ok, A: '1, 2\n2, 9\n' })).toThrow(/T_A\.txt:2: node 9 is out of range for the 2 nodes/);
    expect(() => parseTUDataset('T', { ...ok, A: '1, 2\n', graphIndicator: '1\n2\n', graphLabels: '1\n0\n' })).toThrow(/T_A\.txt:1: edge 1 → 2 joins graph 1 to graph 2/);
    expect(() => parseTUDataset('T', { ...ok, nodeLabels: '0\n' })).toThrow(/T_node_labels\.txt:1: has 1 lines but T_graph_indicator\.txt has 2 nodes/);
    expect(() => parseTUDataset('T', { ...ok, A: '1; 2\n' })).toThrow(/T_A\.txt:1: "1; 2"; need "row, col"/);
    expect(() => parseTUDataset('T', { ...ok, graphIndicator: '1\nx\n' })).toThrow(/T_graph_indicator\.txt:2: graph id is "x"/);
    expect(() => parseTUDataset('T', { ...ok, graphIndicator: '1\n3\n' })).toThrow(/graph id 3 is out of range/);
    expect(() => loadTUDataset('/nonexistent', 'MUTAG')).toThrow(/cannot read \/nonexistent\/MUTAG_A\.txt/);
  });
});

describe.runIf(existsSync(KARATE))('karate club', () => {
  it('has 34 nodes, 78 undirected edges, the documented degrees', () => {
    const g = loadKarate(KARATE);
    expect(g.numNodes).toBe(34);
    expect(g.numEdges).toBe(156);
    const deg = g.degree();
    expect([deg[0], deg[33], deg[32], deg[11]]).toEqual([16, 17, 12, 1]);
    expect(() => parseEdgeList('1 2\n0 3\n', { fileName: 'k.txt' })).toThrow(/k\.txt:2: node 0 is below 1/);
    expect(() => parseEdgeList('1 x\n', { fileName: 'k.txt' })).toThrow(/k\.txt:1: v is "x"/);
  });
});
