import { existsSync } from 'node:fs';
import { DataFormatError, loadCora, parseCora } from '@dl/gnn';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../helpers.js';

const DIR = datasetPath('cora');

describe.runIf(existsSync(DIR))('Cora (the real files)', () => {
  it('loads 2708 nodes, 5278 undirected edges, 1433 features, the 140/500/1000 public split', { timeout: 60_000 }, () => {
    const cora = loadCora(DIR, { normalizeFeatures: true });
    const g = cora.graph;
    expect(g.numNodes).toBe(2708);
    expect(g.numEdges).toBe(2 * 5278);
    expect(g.isUndirected()).toBe(true);
    expect(g.x!.shape).toEqual([2708, 1433]);
    expect([cora.trainIndex.size, cora.valIndex.size, cora.testIndex.size]).toEqual([140, 500, 1000]);
    expect(Array.from(cora.trainIndex.data.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(cora.valIndex.data[0]).toBe(140);
    expect(cora.testIndex.data[0]).toBe(1708);
    // 20 training nodes per class
    const y = g.y!.data;
    const counts = new Array(7).fill(0);
    for (const i of cora.trainIndex.data) counts[y[i]!]++;
    expect(counts).toEqual(new Array(7).fill(20));
    expect(cora.classes[0]).toBe('Theory');
    // Rows sum to 1 after normalisation.
    let s = 0;
    for (let j = 0; j < 1433; j++) s += g.x!.data[j]!;
    expect(s).toBeCloseTo(1, 5);
    expect(cora.paperIds[0]).toBe('1110563'); // Planetoid node 0
  });
});

describe('Cora parsing errors name the file and line', () => {
  const content = 'a\t1\t0\tTheory\nb\t0\t1\tCase_Based\n';
  it('malformed lines, feature count mismatch, unknown ids, split beyond the node count', () => {
    expect(parseCora({ content, cites: 'a\tb\n' }).graph.numEdges).toBe(2);
    expect(() => parseCora({ content: 'a\t1\t0\tT\nb\t1\tT\n', cites: '' })).toThrow(/cora\.content:2: has 1 features but line 1 has 2/);
    expect(() => parseCora({ content: 'a\t1\t0\tT\nb\tx\t1\tT\n', cites: '' })).toThrow(/cora\.content:2: feature 0 is "x"/);
    expect(() => parseCora({ content, cites: 'a\tb\na\tz\n' })).toThrow(/cora\.cites:2: paper id z is not in cora\.content \(edge index out of range\)/);
    expect(() => parseCora({ content, cites: 'a b\n' })).toThrow(DataFormatError);
    const header = 'planetoid_index\tpaper_id\tcontent_line\tsplit\ttwin\n';
    expect(() => parseCora({ content, cites: '', indexMap: `${header}0\ta\t0\ttrain\t0\n5\tb\t1\ttest\t0\n` })).toThrow(/planetoid_index_map\.tsv:3: planetoid_index 5 is beyond the node count \(2 nodes/);
    expect(() => parseCora({ content, cites: '', indexMap: `${header}0\ta\t0\ttrain\t0\n` })).toThrow(/has no row for cora\.content line 2/);
    expect(() => loadCora('/nonexistent/cora')).toThrow(/cannot read \/nonexistent\/cora\/cora\.content/);
  });
});
