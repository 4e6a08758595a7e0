import { gradients } from '@dl/autograd';
import { ChebConv, GATConv, GCNConv, GINConv, SAGEConv } from '@dl/gnn';
import { type AnyModule, Linear, ReLU, Sequential, type Tensor } from '@dl/tensor';
import { describe, it } from 'vitest';
import { type LayerCase, expectClose, fixtures, karate, t } from '../helpers.js';

// Every layer against PyTorch (tools/golden_gnn.py, the formulas in plain
// torch) on the karate-club graph: same weights in, same output and
// gradients (of Σ out ⊙ G for a fixed random G) out, in float64.

type Layer = AnyModule & { forward(x: Tensor, g: ReturnType<typeof karate>): Tensor };

function build(c: LayerCase): Layer {
  const dtype = 'float64';
  switch (c.name) {
    case 'GCNConv':
      return new GCNConv(8, 16, { dtype });
    case 'ChebConv':
      return new ChebConv(8, 16, c.K!, { dtype });
    case 'GINConv':
      return new GINConv(new Sequential(new Linear(8, 16, { dtype }), new ReLU(), new Linear(16, 16, { dtype })), { trainEps: true, dtype });
    case 'SAGEConv':
      return new SAGEConv(8, 16, { aggr: c.aggr as 'mean', project: c.project ?? false, dtype });
    case 'GATConv':
      return new GATConv(8, c.outChannels!, { heads: c.heads!, concat: c.concat!, dtype });
    default:
      throw new Error(`no layer ${c.name}`);
  }
}

describe('layers against PyTorch on the karate club', () => {
  const f = fixtures();
  const graph = karate();
  for (const c of f.cases) {
    const label = `${c.name} ${c.aggr ?? ''}${c.project ? ' project' : ''}${c.concat === false ? ' mean heads' : ''}`.trim();
    it(label, { timeout: 60_000 }, () => {
      const layer = build(c);
      const state: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.params)) state[k] = t(v);
      layer.loadStateDict(state);
      const x = t(f.x, true);
      const out = layer.forward(x, graph);
      expectClose(`${label} output`, out, c.output);
      const names = Object.keys(c.params);
      const params = new Map(layer.namedParameters());
      const wrt = [x, ...names.map((n) => params.get(n)!)];
      const grads = gradients(out.mul(t(c.gradOutput)).sum(), wrt);
      expectClose(`${label} dx`, grads[0]!, c.gradX);
      names.forEach((n, i) => expectClose(`${label} d${n}`, grads[i + 1]!, c.gradParams[n]!));
    });
  }
});
