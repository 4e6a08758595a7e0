// The GNN card's trainer: the recipes are the gcn / gat commands' defaults,
// a few epochs learn, predictions cover every node, and a GAT's attention on
// a node is a softmax over its edges (the self-loop included).
import { existsSync } from 'node:fs';
import { Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { type CoraDataset, loadCora } from '@dl/gnn';
import { addGnnCommands } from '../../src/cli/gnn-commands.js';
import { datasetDir } from '../../src/gnn/data.js';
import { CARD_RECIPES, CardTrainer } from '../../web/gnn/card-trainer.js';

const hasCora = existsSync(`${datasetDir('cora')}/cora.content`);
let cached: CoraDataset | undefined;
const cora = () => (cached ??= loadCora(datasetDir('cora'), { normalizeFeatures: true }));

describe('card recipes', () => {
  it("are the gcn and gat commands' defaults", () => {
    const program = new Command();
    addGnnCommands(program, () => {});
    const defaults = (name: string) => {
      const cmd = program.commands.find((c) => c.name() === name)!;
      const get = (flag: string) => (cmd.options as Option[]).find((o) => o.long === flag)?.defaultValue as unknown;
      return { hidden: get('--hidden'), dropout: get('--dropout'), lr: get('--lr'), weightDecay: get('--weight-decay'), heads: get('--heads') ?? 8, outHeads: get('--out-heads') ?? 1 };
    };
    for (const kind of ['gcn', 'gat'] as const) {
      const { hidden, dropout, lr, weightDecay, heads, outHeads } = CARD_RECIPES[kind];
      expect({ hidden, dropout, lr, weightDecay, heads, outHeads }, kind).toEqual(defaults(kind));
    }
    expect(CARD_RECIPES.gcn.decayFirstLayerOnly).toBe(true);
    expect(CARD_RECIPES.gat.decayFirstLayerOnly).toBe(false);
  });
});

describe.runIf(hasCora)('CardTrainer on Cora', () => {
  it('a GCN learns in a few epochs and predicts a class for every node', { timeout: 120_000 }, () => {
    const t = new CardTrainer(cora(), 'gcn', 0);
    expect(t.epoch).toBe(0);
    const history = Array.from({ length: 12 }, () => t.step());
    expect(t.epoch).toBe(12);
    expect(history.map((e) => e.epoch)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
    const p = t.predictions();
    expect(p).toHaveLength(2708);
    expect(p.every((c) => c >= 0 && c < 7)).toBe(true);
    // The streamed accuracy is the one computed from the predictions.
    const labels = cora().graph.y!.data as Int32Array;
    const test = cora().testIndex.data as Int32Array;
    expect(t.testAccuracy()).toBeCloseTo(test.reduce((a, i) => a + (p[i] === labels[i] ? 1 : 0), 0) / test.length, 12);
    expect(history.at(-1)!.testAccuracy).toBe(t.testAccuracy());
    // The same seed gives the same run.
    const again = new CardTrainer(cora(), 'gcn', 0);
    for (let e = 0; e < 12; e++) again.step();
    expect(again.predictions()).toEqual(p);
    expect(() => t.attention(0)).toThrow(/need a GAT/);
  });

  it("a GAT's attention on a node sums to 1 per layer over its neighbours and itself", { timeout: 120_000 }, () => {
    const data = cora();
    const t = new CardTrainer(data, 'gat', 0);
    t.step();
    t.step();
    const src = data.graph.src.data as Int32Array;
    const dst = data.graph.dst.data as Int32Array;
    const node = 1358;
    const expected = new Set<number>([node]);
    for (let e = 0; e < dst.length; e++) if (dst[e] === node) expected.add(src[e]!);
    const a = t.attention(node);
    expect(a.heads).toEqual([8, 1]);
    expect(new Set(a.neighbours.map((n) => n.node))).toEqual(expected);
    expect(a.neighbours).toHaveLength(expected.size);
    for (const layer of [0, 1]) expect(a.neighbours.reduce((s, n) => s + n.weights[layer]!, 0)).toBeCloseTo(1, 4);
    for (let i = 1; i < a.neighbours.length; i++) expect(a.neighbours[i - 1]!.weights[0]).toBeGreaterThanOrEqual(a.neighbours[i]!.weights[0]!);
    // Cached until the next step, then recomputed from the new weights.
    expect(t.attention(node)).toEqual(a);
    t.step();
    expect(t.attention(node).neighbours).toHaveLength(expected.size);
    expect(() => t.attention(2708)).toThrow(/not in the graph/);
  });
});
