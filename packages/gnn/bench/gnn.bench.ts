/**
 * GCN and GAT training epochs on Cora (full batch, 2 layers): dl against
 * TensorFlow.js built from its ops (wasm and cpu backends) and PyTorch
 * (sparse and dense adjacency for GCN; GAT in plain torch), in the same run.
 *
 * Workloads (one epoch = zero grads, forward, cross-entropy on the 140
 * training nodes, backward, Adam step; no evaluation):
 * - GCN as /work/shared/bench/pytorch_anchors.py's anchor: X [2708, 1433]
 *   row-normalised, Â = D̃^−½(A + I)D̃^−½, relu(Â·X·W₁ + b₁) → dropout 0.5 →
 *   Â·H·W₂ + b₂, hidden 16, Adam lr 0.01, weight decay 5e-4 on every parameter.
 * - GAT: 8 heads × 8 hidden, ELU, one output head; dropout 0.6 on both
 *   layers' inputs and on attention; Adam lr 0.005, weight decay 5e-4.
 * dl runs each with X dense (as PyTorch's anchor) and with X as sparse CSR
 * (49,216 non-zeros: what the playground commands use; Kipf & Welling's own
 * code feeds sparse features too), on 2 threads.
 * TF.js has no sparse × dense product with a gradient: the aggregation is
 * gather · w → sparseSegmentSum (sorted targets) under tf.customGrad, its
 * gradient the same aggregation over the transpose (gather of dy at the
 * targets → sparseSegmentSum over sources sorted). unsortedSegmentSum is not
 * used: the wasm backend has no kernel for it and the cpu one is O(N·E·F)
 * (packages/tensor/bench/graph-ops.bench.ts). The training loss is a masked
 * mean over all nodes (a gather's gradient would need unsortedSegmentSum).
 *
 * Rounds are interleaved (dl, TF.js wasm, TF.js cpu, PyTorch); each cell is
 * the median ms per epoch over rounds with min–max. Run alone on the machine:
 *
 *   flock /tmp/dl-bench.lock pnpm --filter @dl/gnn bench            # 5 rounds
 *   flock /tmp/dl-bench.lock pnpm --filter @dl/gnn bench -- --quick # 2 rounds, no TF.js cpu
 *   flock /tmp/dl-bench.lock pnpm --filter @dl/gnn bench -- --rounds 3
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type CoraDataset, GATConv, GCNConv, type NodeFeatures, featureDropout, loadCora, toSparseFeatures } from '@dl/gnn';
import { Generator, type Tensor, crossEntropy, dropout, elu, getNumThreads, indexSelect, relu, setNumThreads, wasmThreadsReady } from '@dl/tensor';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients by itself; loading tfjs-layers does.
import '@tensorflow/tfjs-layers';
import { backward } from '../../autograd/src/index.js';
import { Adam } from '../../optim/src/index.js';
import { initTfjs } from '../../../tools/bench/tfjs.js';

const quick = process.argv.includes('--quick');
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : quick ? 2 : 5;
const EPOCHS_PER_ROUND = quick ? 10 : 20;
const coraDir = process.env.CORA_DIR ?? new URL('../../../../shared/datasets/cora/', import.meta.url).pathname;
const anchors = process.env.DL_BENCH_DIR ?? '/work/shared/bench';

const cora: CoraDataset = loadCora(coraDir, { normalizeFeatures: true });
const graph = cora.graph;
const N = graph.numNodes;

type Step = () => void;

// ---- dl
function dlGcn(sparse: boolean): Step {
  const gen = new Generator(0);
  const x: NodeFeatures = sparse ? toSparseFeatures(graph.x!) : graph.x!;
  const c1 = new GCNConv(1433, 16, { generator: gen });
  const c2 = new GCNConv(16, 7, { generator: gen });
  const opt = new Adam([...c1.parameters(), ...c2.parameters()], { lr: 0.01, weightDecay: 5e-4 });
  const y = indexSelect(graph.y!, 0, cora.trainIndex);
  return () => {
    opt.zeroGrad();
    const h = dropout(relu(c1.forward(x, graph)), 0.5, true, gen);
    backward(crossEntropy(indexSelect(c2.forward(h, graph), 0, cora.trainIndex), y));
    opt.step();
  };
}

function dlGat(sparse: boolean): Step {
  const gen = new Generator(0);
  const x: NodeFeatures = sparse ? toSparseFeatures(graph.x!) : graph.x!;
  const a1 = new GATConv(1433, 8, { heads: 8, dropout: 0.6, generator: gen });
  const a2 = new GATConv(64, 7, { heads: 1, concat: false, dropout: 0.6, generator: gen });
  const opt = new Adam([...a1.parameters(), ...a2.parameters()], { lr: 0.005, weightDecay: 5e-4 });
  const y = indexSelect(graph.y!, 0, cora.trainIndex);
  return () => {
    opt.zeroGrad();
    const h = dropout(elu(a1.forward(featureDropout(x, 0.6, true, gen), graph)), 0.6, true, gen);
    backward(crossEntropy(indexSelect(a2.forward(h, graph), 0, cora.trainIndex), y));
    opt.step();
  };
}

// ---- TF.js built from its ops
interface TfGraph {
  src: tf.Tensor1D;
  dst: tf.Tensor1D;
  ids: tf.Tensor1D;
  /** Edges ordered by source, for the transposed aggregation. */
  tPerm: tf.Tensor1D;
  tSrcSorted: tf.Tensor1D;
  tDstOfPerm: tf.Tensor1D;
  w: tf.Tensor2D;
  wT: tf.Tensor2D;
  x: tf.Tensor2D;
  onehot: tf.Tensor2D;
  mask: tf.Tensor1D;
}

function tfGraph(): TfGraph {
  const loops = graph.addSelfLoops(); // coalesced: sorted by target
  const src = loops.src.data as Int32Array;
  const dst = loops.dst.data as Int32Array;
  const wv = loops.normalizedWeights('sym').data as Float32Array;
  const E = src.length;
  const perm = Int32Array.from({ length: E }, (_, i) => i).sort((a, b) => src[a]! - src[b]! || a - b);
  const onehot = new Float32Array(N * 7);
  const mask = new Float32Array(N);
  const y = graph.y!.data as Int32Array;
  for (let i = 0; i < N; i++) onehot[i * 7 + y[i]!] = 1;
  for (const i of cora.trainIndex.data as Int32Array) mask[i] = 1;
  return {
    src: tf.tensor1d(src, 'int32'),
    dst: tf.tensor1d(dst, 'int32'),
    ids: tf.tensor1d(Int32Array.from({ length: E }, (_, k) => k), 'int32'),
    tPerm: tf.tensor1d(perm, 'int32'),
    tSrcSorted: tf.tensor1d(Int32Array.from(perm, (k) => src[k]!), 'int32'),
    tDstOfPerm: tf.tensor1d(Int32Array.from(perm, (k) => dst[k]!), 'int32'),
    w: tf.tensor2d(wv, [E, 1]),
    wT: tf.tensor2d(Int32Array.from(perm).reduce((a, k, i) => ((a[i] = wv[k]!), a), new Float32Array(E)), [E, 1]),
    x: tf.tensor2d(graph.x!.data as Float32Array, [N, 1433]),
    onehot: tf.tensor2d(onehot, [N, 7]),
    mask: tf.tensor1d(mask),
  };
}

/** Rows of h at idx, with a gradient that scatters back by a sparseSegmentSum over idx sorted (perm, sorted ids). */
function tfGatherOp(idx: tf.Tensor1D, perm: tf.Tensor1D, sortedIdx: tf.Tensor1D): (h: tf.Tensor) => tf.Tensor {
  return tf.customGrad(((h: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return { value: tf.gather(h, idx), gradFunc: (dy: tf.Tensor) => tf.sparse.sparseSegmentSum(dy, perm, sortedIdx) };
  }) as never) as (h: tf.Tensor) => tf.Tensor;
}

/** Σ_{e: dst[e] = i} m[e] for edges sorted by dst; gradient: dy gathered at dst. */
function tfSegmentSumOp(g: TfGraph): (m: tf.Tensor) => tf.Tensor {
  return tf.customGrad(((m: tf.Tensor, save: tf.GradSaveFunc) => {
    save([]);
    return { value: tf.sparse.sparseSegmentSum(m, g.ids, g.dst), gradFunc: (dy: tf.Tensor) => tf.gather(dy, g.dst) };
  }) as never) as (m: tf.Tensor) => tf.Tensor;
}

function glorot(shape: number[]): tf.Variable {
  const [a, b] = shape.slice(-2) as [number, number];
  const bound = Math.sqrt(6 / (a + b));
  return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', 1));
}

function tfLoss(g: TfGraph, logits: tf.Tensor): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(g.onehot, logits as tf.Tensor2D, g.mask, undefined, tf.Reduction.SUM_BY_NONZERO_WEIGHTS) as tf.Scalar;
}

function tfGcn(g: TfGraph): Step {
  const gatherSrc = tfGatherOp(g.src, g.tPerm, g.tSrcSorted);
  const segSum = tfSegmentSumOp(g);
  const agg = (h: tf.Tensor): tf.Tensor => segSum(tf.mul(gatherSrc(h), g.w));
  const W1 = glorot([1433, 16]);
  const b1 = tf.variable(tf.zeros([16]));
  const W2 = glorot([16, 7]);
  const b2 = tf.variable(tf.zeros([7]));
  const opt = tf.train.adam(0.01);
  const vars = [W1, b1, W2, b2];
  return () => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const h = tf.dropout(tf.relu(tf.add(agg(tf.matMul(g.x, W1)), b1)), 0.5);
        const l = tfLoss(g, tf.add(agg(tf.matMul(h, W2)), b2));
        // L2-coupled weight decay as torch.optim.Adam(weight_decay=5e-4): ½·5e-4·‖θ‖² in the loss.
        return tf.add(l, tf.mul(2.5e-4, tf.addN(vars.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
      }, vars);
      opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
    });
  };
}

function tfGat(g: TfGraph): Step {
  const gatherSrc = tfGatherOp(g.src, g.tPerm, g.tSrcSorted);
  // dst is sorted: its gather's transpose is the segment sum itself.
  const gatherDst = tfGatherOp(g.dst, g.ids, g.dst);
  const segSum = tfSegmentSumOp(g);
  const E = g.src.shape[0];
  const layer = (fin: number, heads: number, fout: number) => ({ W: glorot([fin, heads * fout]), as: glorot([1, heads, fout]), ad: glorot([1, heads, fout]), heads, fout });
  const l1 = layer(1433, 8, 8);
  const l2 = layer(64, 1, 7);
  const b1 = tf.variable(tf.zeros([64]));
  const b2 = tf.variable(tf.zeros([7]));
  const vars = [l1.W, l1.as, l1.ad, l2.W, l2.as, l2.ad, b1, b2];
  const opt = tf.train.adam(0.005);
  const gat = (x: tf.Tensor, L: ReturnType<typeof layer>): tf.Tensor => {
    const h = tf.reshape(tf.matMul(x as tf.Tensor2D, L.W), [N, L.heads, L.fout]);
    const es = tf.sum(tf.mul(h, L.as), -1);
    const ed = tf.sum(tf.mul(h, L.ad), -1);
    const e = tf.leakyRelu(tf.add(gatherSrc(es), gatherDst(ed)), 0.2);
    // A global maximum keeps exp in range (softmax is shift-invariant per target; TF.js has no sparse segment max).
    const ex = tf.exp(tf.sub(e, tf.max(e)));
    const alpha = tf.dropout(tf.div(ex, gatherDst(segSum(ex))), 0.6);
    const msg = tf.mul(tf.reshape(alpha, [E, L.heads, 1]), gatherSrc(h));
    return tf.reshape(segSum(msg), [N, L.heads * L.fout]);
  };
  return () => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const h = tf.dropout(tf.elu(tf.add(gat(tf.dropout(g.x, 0.6), l1), b1)), 0.6);
        const l = tfLoss(g, tf.add(gat(h, l2), b2));
        return tf.add(l, tf.mul(2.5e-4, tf.addN(vars.map((v) => tf.sum(tf.square(v)))))) as tf.Scalar;
      }, vars);
      opt.applyGradients(grads as Parameters<typeof opt.applyGradients>[0]);
    });
  };
}

// ---- harness
function timeEpochs(step: Step, epochs: number): number {
  const t0 = performance.now();
  for (let i = 0; i < epochs; i++) step();
  return (performance.now() - t0) / epochs;
}

function stats(xs: number[]): string {
  const s = xs.slice().sort((a, b) => a - b);
  return `${s[s.length >> 1]!.toFixed(2)} (${s[0]!.toFixed(2)}–${s[s.length - 1]!.toFixed(2)})`;
}

function pytorch(args: string[]): number | null {
  try {
    const out = execFileSync('/usr/bin/python3', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, DL_BENCH_DIR: anchors } });
    const m = /median ([\d.]+)/.exec(out);
    return m ? 1000 / Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  setNumThreads(2);
  await wasmThreadsReady();
  console.log(`dl on ${getNumThreads()} threads; Cora ${N} nodes, ${graph.numEdges} directed edges; ${ROUNDS} rounds × ${EPOCHS_PER_ROUND} epochs`);
  const rows = new Map<string, number[]>();
  const add = (k: string, v: number | null): void => {
    if (v === null) return;
    if (!rows.has(k)) rows.set(k, []);
    rows.get(k)!.push(v);
  };
  const dl: [string, Step][] = [
    ['GCN dl, X sparse (CSR)', dlGcn(true)],
    ['GCN dl, X dense', dlGcn(false)],
    ['GAT dl, X sparse (CSR)', dlGat(true)],
    ['GAT dl, X dense', dlGat(false)],
  ];
  for (const [, s] of dl) timeEpochs(s, 3);
  const backends = quick ? (['wasm'] as const) : (['wasm', 'cpu'] as const);
  const tfSteps = new Map<string, { gcn: Step; gat: Step }>();
  for (const b of backends) {
    await initTfjs(b);
    const g = tfGraph();
    const steps = { gcn: tfGcn(g), gat: tfGat(g) };
    steps.gcn();
    steps.gat();
    tfSteps.set(b, steps);
  }
  const havePy = existsSync(`${anchors}/pytorch_anchors.py`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, s] of dl) add(name, timeEpochs(s, EPOCHS_PER_ROUND));
    for (const b of backends) {
      await initTfjs(b);
      const s = tfSteps.get(b)!;
      const n = b === 'cpu' ? 2 : Math.max(2, EPOCHS_PER_ROUND >> 2);
      add(`GCN TF.js ${b} (gather·w → sparseSegmentSum, custom gradients)`, timeEpochs(s.gcn, n));
      add(`GAT TF.js ${b} (same aggregation, global-max softmax)`, timeEpochs(s.gat, b === 'cpu' ? 1 : 2));
    }
    if (havePy) {
      add('GCN PyTorch sparse (torch.sparse.mm, 2 threads)', pytorch([`${anchors}/pytorch_anchors.py`, 'gcn_sparse', '2', '3']));
      add('GCN PyTorch dense Â (2 threads)', pytorch([`${anchors}/pytorch_anchors.py`, 'gcn_dense', '2', '3']));
      add('GAT PyTorch (gather / index_add, 2 threads)', pytorch([new URL('./pytorch_gat.py', import.meta.url).pathname, '2', '2', '5']));
    }
    console.log(`round ${r + 1}/${ROUNDS} done`);
  }
  const ref = { GCN: rows.get('GCN dl, X sparse (CSR)')!, GAT: rows.get('GAT dl, X sparse (CSR)')! };
  const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
  console.log('\n| workload | ms per training epoch: median (min–max) | × dl sparse |\n|---|---:|---:|');
  for (const [k, v] of rows) console.log(`| ${k} | ${stats(v)} | ${(median(v) / median(k.startsWith('GCN') ? ref.GCN : ref.GAT)).toFixed(2)} |`);
}

void main();
