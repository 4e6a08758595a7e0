import { type FloatDType, type Generator, Module, type Parameter, Tensor, concat, indexSelect, matmul, sigmoid, split, tanh, uniform_, zeros } from '@dl/tensor';
import type { Graph } from '../graph.js';
import { checkInt } from '../internal/options.js';

/** Per step t: the source of each node's t-th incoming edge (N, a zero row, past its degree) and whether it exists. */
interface Schedule {
  readonly steps: Tensor[];
  readonly masks: Tensor[];
}

const schedules = new WeakMap<Graph, Map<string, Schedule>>();

function scheduleOf(graph: Graph, dtype: FloatDType): Schedule {
  let per = schedules.get(graph);
  if (per === undefined) schedules.set(graph, (per = new Map()));
  let s = per.get(dtype);
  if (s !== undefined) return s;
  const n = graph.numNodes;
  const g = graph.coalesce();
  const src = g.src.data as Int32Array;
  const dst = g.dst.data as Int32Array;
  const start = new Int32Array(n + 1);
  for (let e = 0; e < dst.length; e++) start[dst[e]! + 1]!++;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  let maxDeg = 0;
  for (let i = 0; i < n; i++) maxDeg = Math.max(maxDeg, start[i + 1]! - start[i]!);
  const steps: Tensor[] = [];
  const masks: Tensor[] = [];
  for (let t = 0; t < maxDeg; t++) {
    const idx = new Int32Array(n).fill(n);
    const m = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) {
      if (start[i]! + t < start[i + 1]!) {
        idx[i] = src[start[i]! + t]!;
        m[i] = 1;
      }
    }
    steps.push(new Tensor(idx, [n]));
    masks.push(new Tensor(m, [n, 1]));
  }
  s = { steps, masks };
  per.set(dtype, s);
  return s;
}

/**
 * GraphSAGE's LSTM aggregator (Hamilton et al. 2017), written on the core's
 * ops: an LSTM (gates i, f, g, o as `torch.nn.LSTM`, parameters
 * `lstm.weight_ih_l0` `[4H, F]`, `lstm.weight_hh_l0` `[4H, H]`,
 * `lstm.bias_ih_l0`, `lstm.bias_hh_l0`) reads each node's in-neighbours in
 * source order and the node receives its state after the last one (0 with no
 * neighbours). Nodes of different degrees run in one batch: past its degree
 * a node's state is carried unchanged. (PyG's `LSTMAggregation` instead reads
 * the output after the zero padding up to the largest degree.)
 *
 * @example new LSTMAggregation(16, 16).forward(x, graph) // [N, 16]
 */
export class LSTMAggregation extends Module<[Tensor, Graph], Tensor> {
  readonly inChannels: number;
  readonly hidden: number;
  readonly lstm: LstmWeights;

  constructor(inChannels: number, hidden: number, options: { generator?: Generator; dtype?: FloatDType } = {}) {
    super();
    checkInt('LSTMAggregation', 'inChannels', inChannels, 1);
    checkInt('LSTMAggregation', 'hidden', hidden, 1);
    this.inChannels = inChannels;
    this.hidden = hidden;
    this.lstm = this.module('lstm', new LstmWeights(inChannels, hidden, options.generator, options.dtype ?? 'float32'));
  }

  forward(x: Tensor, graph: Graph): Tensor {
    const n = graph.numNodes;
    const H = this.hidden;
    const { steps, masks } = scheduleOf(graph, x.dtype as FloatDType);
    const padded = concat([x, zeros([1, x.shape[1]!], { dtype: x.dtype })], 0);
    let h = zeros([n, H], { dtype: x.dtype });
    let c = zeros([n, H], { dtype: x.dtype });
    const { weight_ih_l0: wih, weight_hh_l0: whh, bias_ih_l0: bih, bias_hh_l0: bhh } = this.lstm;
    for (let t = 0; t < steps.length; t++) {
      const xt = indexSelect(padded, 0, steps[t]!);
      const gates = matmul(xt, wih, { transposeB: true }).add(bih).add(matmul(h, whh, { transposeB: true })).add(bhh);
      const [i, f, g, o] = split(gates, H, 1) as [Tensor, Tensor, Tensor, Tensor];
      const cNew = sigmoid(f).mul(c).add(sigmoid(i).mul(tanh(g)));
      const hNew = sigmoid(o).mul(tanh(cNew));
      const m = masks[t]!;
      c = c.add(m.mul(cNew.sub(c)));
      h = h.add(m.mul(hNew.sub(h)));
    }
    return h;
  }
}

/** The parameters of a one-layer `torch.nn.LSTM` (PyTorch names and init: U(−1/√H, 1/√H)). */
export class LstmWeights extends Module<never[], never> {
  readonly weight_ih_l0: Parameter;
  readonly weight_hh_l0: Parameter;
  readonly bias_ih_l0: Parameter;
  readonly bias_hh_l0: Parameter;

  constructor(inSize: number, hidden: number, generator: Generator | undefined, dtype: FloatDType) {
    super();
    const k = 1 / Math.sqrt(hidden);
    const make = (shape: number[]): Tensor => uniform_(zeros(shape, { dtype }), -k, k, { generator });
    this.weight_ih_l0 = this.param('weight_ih_l0', make([4 * hidden, inSize]));
    this.weight_hh_l0 = this.param('weight_hh_l0', make([4 * hidden, hidden]));
    this.bias_ih_l0 = this.param('bias_ih_l0', make([4 * hidden]));
    this.bias_hh_l0 = this.param('bias_hh_l0', make([4 * hidden]));
  }

  forward(): never {
    throw new Error('LstmWeights holds parameters only');
  }
}
