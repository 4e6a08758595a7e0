/**
 * The CLI commands built on `@dl/gnn`: `gcn`, `gat`, `cheb`, `sage` (Cora,
 * Planetoid public split, mean ± std over seeds) and `gin` (MUTAG,
 * stratified 10-fold cross-validation).
 *
 * @packageDocumentation
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { GCNConv, HyperGCNConv, Hypergraph, HypergraphConv, type NodeFeatures, featureDropout, hyperGcnGraph, loadCora, loadTUDataset, meanPairwiseDistance, toSparseFeatures, withSelfLoops } from '@dl/gnn';
import { backward } from '@dl/autograd';
import { Adam } from '@dl/optim';
import { Generator, type Parameter, type Tensor, crossEntropy, dropout, indexSelect, noGrad, relu } from '@dl/tensor';
import { csrMatmul } from '@dl/tensor';
import { trainDgi } from '../gnn/dgi.js';
import { datasetDir } from '../gnn/data.js';
import { type GinConfig, trainGinFolds } from '../gnn/gin.js';
import type { NodeModelKind } from '../gnn/models.js';
import { GAT_HEADS, PAPERS } from '../gnn/recipes.js';
import { meanStd, percent, progressBar, table } from '../gnn/report.js';
import { type NodeRun, type NodeTrainConfig, trainNodeClassifier } from '../gnn/train-node.js';
import { nonNegativeNumber, positiveInt, positiveNumber, seed } from './arguments.js';

/** Options of the Cora commands after parsing. */
export interface NodeCommandOptions {
  seeds: number;
  seed: number;
  epochs: number;
  lr: number;
  weightDecay: number;
  hidden: number;
  dropout: number;
  patience: number;
  heads: number;
  outHeads: number;
  k: number;
  aggr: 'mean' | 'max' | 'lstm';
  batchSize?: number;
  fanouts: number[];
  denseFeatures: boolean;
  every: number;
  data?: string;
  quiet?: boolean;
}

/** `--dropout 0.5`: a rate in [0, 1). */
export function dropRate(value: string): number {
  const n = /^[+]?(\d+\.?\d*|\.\d+)$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a dropout rate from 0 up to (not including) 1 such as 0.5, got '${value}'`);
  return n;
}

/** `--fanouts 25,10`: neighbours sampled per hop. */
export function fanouts(value: string): number[] {
  const parts = value.split(',').map((p) => (/^\d+$/.test(p.trim()) ? Number(p) : Number.NaN));
  if (parts.length < 1 || parts.some((p) => !Number.isSafeInteger(p) || p < 1)) throw new InvalidArgumentError(`expected neighbours per hop such as 25,10, got '${value}'`);
  return parts;
}

/** `--depths 0,1,2,4`: whole numbers ≥ 0. */
export function depthList(value: string): number[] {
  const parts = value.split(',').map((p) => (/^\d+$/.test(p.trim()) ? Number(p) : Number.NaN));
  if (parts.some((p) => !Number.isSafeInteger(p) || p > 10000)) throw new InvalidArgumentError(`expected propagation counts such as 0,1,2,4,8, got '${value}'`);
  return parts;
}

/** `--patience 100`: epochs (0: no early stopping). */
function patience(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a whole number of epochs ≥ 0, got '${value}'`);
  return n;
}

/** Runs a Cora command; `log` prints a line. Returns the runs. */
export function nodeAction(kind: NodeModelKind, opts: NodeCommandOptions, log: (line: string) => void): NodeRun[] {
  const paper = PAPERS[kind];
  const dir = datasetDir('cora', opts.data);
  const cora = loadCora(dir, { normalizeFeatures: true });
  const config: NodeTrainConfig = {
    model: {
      kind,
      inFeatures: cora.graph.numFeatures,
      classes: cora.classes.length,
      hidden: opts.hidden,
      dropout: opts.dropout,
      heads: opts.heads,
      outHeads: opts.outHeads,
      K: opts.k,
      aggr: opts.aggr,
    },
    epochs: opts.epochs,
    lr: opts.lr,
    weightDecay: opts.weightDecay,
    decayFirstLayerOnly: paper.decayFirstLayerOnly,
    patience: opts.patience,
    denseFeatures: opts.denseFeatures,
    sampling: kind === 'sage' && opts.batchSize !== undefined ? { batchSize: opts.batchSize, fanouts: opts.fanouts } : null,
  };
  const arch =
    kind === 'gat'
      ? `${opts.heads} heads × ${opts.hidden} hidden (ELU), output ${opts.outHeads} head${opts.outHeads > 1 ? 's averaged' : ''}`
      : kind === 'cheb'
        ? `K=${opts.k}, hidden ${opts.hidden}`
        : kind === 'sage'
          ? `${opts.aggr} aggregator, hidden ${opts.hidden}${config.sampling ? `, mini-batches of ${config.sampling.batchSize} with fan-outs ${config.sampling.fanouts.join(',')}` : ', full batch'}`
          : `hidden ${opts.hidden}`;
  log(
    `${paper.title} on Cora (${cora.graph.numNodes} nodes, ${cora.graph.numEdges / 2} edges, public split ${cora.trainIndex.size}/${cora.valIndex.size}/${cora.testIndex.size}): ${arch}, dropout ${opts.dropout}, Adam lr ${opts.lr}, weight decay ${opts.weightDecay}${paper.decayFirstLayerOnly ? ' (first layer)' : ''}, ${opts.epochs} epochs${opts.patience > 0 ? `, patience ${opts.patience}` : ''}, seeds ${opts.seed}…${opts.seed + opts.seeds - 1}`,
  );
  const runs: NodeRun[] = [];
  for (let s = opts.seed; s < opts.seed + opts.seeds; s++) {
    const bar = progressBar(`seed ${s}`, opts.quiet ?? false);
    const run = trainNodeClassifier(cora, config, s, {
      onRunStart: (_, epochs) => bar.start(epochs),
      onEpoch: (_, e) => bar.update(e.epoch, e.loss, e.valAccuracy),
      onRunEnd: () => bar.stop(),
    });
    if (s === opts.seed) {
      const rows = run.history.filter((e) => e.epoch % opts.every === 0 || e.epoch === 1 || e.epoch === run.history.length);
      log(`seed ${s}, every ${opts.every} epochs:`);
      log(
        table(
          ['epoch', 'loss', 'train acc', 'val loss', 'val acc', 'test acc', 'ms'],
          rows.map((e) => [e.epoch, e.loss.toFixed(4), `${(100 * e.trainAccuracy).toFixed(1)}%`, e.valLoss.toFixed(4), `${(100 * e.valAccuracy).toFixed(1)}%`, `${(100 * e.testAccuracy).toFixed(1)}%`, e.ms.toFixed(1)]),
        ),
      );
    }
    log(`seed ${s}: test ${(100 * run.testAccuracy).toFixed(2)}% (epoch ${run.reportedEpoch} of ${run.history.length}), ${run.seconds.toFixed(1)} s`);
    runs.push(run);
  }
  const accs = runs.map((r) => r.testAccuracy);
  const ms = runs.flatMap((r) => r.history.map((e) => e.ms)).sort((a, b) => a - b);
  log(table(['seed', 'test acc', 'epoch', 'seconds'], runs.map((r) => [r.seed, `${(100 * r.testAccuracy).toFixed(2)}%`, r.reportedEpoch, r.seconds.toFixed(1)])));
  log(`${kind} test accuracy over ${runs.length} seed${runs.length > 1 ? 's' : ''}: ${percent(accs)} (min ${(100 * Math.min(...accs)).toFixed(1)}%, max ${(100 * Math.max(...accs)).toFixed(1)}%); median epoch (train + eval) ${ms[ms.length >> 1]!.toFixed(1)} ms`);
  return runs;
}

/** Options of the `gin` command after parsing. */
export interface GinCommandOptions {
  seeds: number;
  seed: number;
  epochs: number;
  lr: number;
  hidden: number;
  layers: number;
  dropout: number;
  batchSize: number;
  folds: number;
  decayEvery: number;
  trainEps: boolean;
  data?: string;
  quiet?: boolean;
}

/** Runs the `gin` command; returns the per-fold final accuracies of every seed. */
export function ginAction(opts: GinCommandOptions, log: (line: string) => void): { finalAccuracy: number[]; bestEpochAccuracy: number } {
  const dir = datasetDir('mutag', opts.data);
  const data = loadTUDataset(dir, 'MUTAG');
  const config: GinConfig = { layers: opts.layers, hidden: opts.hidden, dropout: opts.dropout, trainEps: opts.trainEps, epochs: opts.epochs, batchSize: opts.batchSize, lr: opts.lr, decayEvery: opts.decayEvery, folds: opts.folds };
  log(
    `GIN-${opts.trainEps ? 'ε' : '0'} (Xu et al. 2019) on MUTAG (${data.graphs.length} graphs, ${data.numFeatures} atom types): ${opts.layers} GIN layers × ${opts.hidden} hidden, sum readout of every layer, dropout ${opts.dropout}, Adam lr ${opts.lr} halved every ${opts.decayEvery} epochs, batch ${opts.batchSize}, ${opts.epochs} epochs, ${opts.folds}-fold stratified CV, seeds ${opts.seed}…${opts.seed + opts.seeds - 1}`,
  );
  const finals: number[] = [];
  // curves[epoch] = accuracies of every (seed, fold) at that epoch.
  const curves: number[][] = Array.from({ length: opts.epochs }, () => []);
  for (let s = opts.seed; s < opts.seed + opts.seeds; s++) {
    const bar = progressBar(`seed ${s}`, opts.quiet ?? false);
    bar.start(opts.folds * opts.epochs);
    const folds = trainGinFolds(data, config, s, (f, epoch, loss, acc) => bar.update(f * opts.epochs + epoch, loss, acc));
    bar.stop();
    const every = Math.max(1, Math.floor(opts.epochs / 10));
    if (s === opts.seed) {
      log(`seed ${s}: mean over folds, every ${every} epochs:`);
      const rows: (string | number)[][] = [];
      for (let e = every; e <= opts.epochs; e += every) {
        rows.push([e, meanStd(folds.map((f) => f.loss[e - 1]!)).mean.toFixed(4), percent(folds.map((f) => f.testAccuracy[e - 1]!))]);
      }
      log(table(['epoch', 'train loss', 'test acc (10 folds)'], rows));
    }
    for (const f of folds) {
      finals.push(f.testAccuracy[opts.epochs - 1]!);
      f.testAccuracy.forEach((a, e) => curves[e]!.push(a));
    }
    log(`seed ${s}: last-epoch test accuracy over ${opts.folds} folds ${percent(folds.map((f) => f.testAccuracy[opts.epochs - 1]!))}, ${folds.reduce((a, f) => a + f.seconds, 0).toFixed(0)} s`);
  }
  let best = 0;
  let bestEpoch = 0;
  curves.forEach((accs, e) => {
    const m = meanStd(accs).mean;
    if (m > best) {
      best = m;
      bestEpoch = e + 1;
    }
  });
  log(`gin last-epoch test accuracy over ${finals.length} folds × seeds: ${percent(finals)}`);
  log(`gin at the epoch with the best mean over folds (the paper's protocol, epoch ${bestEpoch}): ${percent(curves[bestEpoch - 1]!)}`);
  return { finalAccuracy: finals, bestEpochAccuracy: best };
}

function addNodeCommand(program: Command, kind: NodeModelKind, description: string, log: (line: string) => void): Command {
  const p = PAPERS[kind];
  const cmd = program
    .command(kind)
    .description(description)
    .option('--seeds <n>', 'number of runs (seeds seed … seed + n − 1)', positiveInt, 10)
    .option('--seed <n>', 'first seed', seed, 0)
    .option('--epochs <n>', kind === 'gat' ? 'most epochs (early stopping usually ends sooner)' : 'training epochs', positiveInt, p.epochs)
    .option('--lr <rate>', "Adam's learning rate", positiveNumber, p.lr)
    .option('--weight-decay <l2>', `L2 penalty in the gradient (${p.decayFirstLayerOnly ? 'first layer only, as the paper' : 'every parameter, as the paper'})`, nonNegativeNumber, p.weightDecay)
    .option('--hidden <n>', kind === 'gat' ? 'features per head in the hidden layer' : 'hidden features', positiveInt, p.hidden)
    .option('--dropout <p>', 'dropout on the inputs of both layers' + (kind === 'gat' ? ' and on attention' : ''), dropRate, p.dropout)
    .option('--patience <n>', 'stop after n epochs without better validation loss or accuracy (0: never)', patience, p.patience)
    .option('--dense-features', 'feed the bag-of-words as a dense [2708, 1433] matrix instead of sparse CSR', false)
    .option('--every <n>', 'epoch table: one row every n epochs (first seed)', positiveInt, 20)
    .option('--data <dir>', 'folder with cora.content, cora.cites and planetoid_index_map.tsv (default: ../shared/datasets/cora)')
    .option('--quiet', 'no progress bars')
    .option('--verbose', 'on an error, also print its stack trace');
  if (kind === 'gat') cmd.option('--heads <n>', 'attention heads in the hidden layer', positiveInt, GAT_HEADS.heads).option('--out-heads <n>', 'attention heads in the output layer (averaged)', positiveInt, GAT_HEADS.outHeads);
  if (kind === 'cheb') cmd.option('--k <n>', 'Chebyshev polynomial terms T_0 … T_{K−1}', positiveInt, 3);
  if (kind === 'sage') {
    cmd
      .addOption(new Option('--aggr <name>', 'neighbour aggregator').choices(['mean', 'max', 'lstm']).default('mean'))
      .option('--batch-size <n>', 'train in mini-batches of n seed nodes over sampled neighbourhoods (default: full batch)', positiveInt)
      .option('--fanouts <list>', 'neighbours sampled per hop with --batch-size', fanouts, [25, 10]);
  }
  cmd.action((opts: Partial<NodeCommandOptions>) => {
    // Options a command does not define (--heads on gcn) take their defaults.
    const defaults = { ...GAT_HEADS, k: 3, aggr: 'mean' as const, fanouts: [25, 10] };
    nodeAction(kind, { ...defaults, ...opts } as NodeCommandOptions, log);
  });
  return cmd;
}

/** Options of the `dgi` command after parsing. */
export interface DgiCommandOptions {
  seeds: number;
  seed: number;
  hidden: number;
  lr: number;
  patience: number;
  maxEpochs: number;
  data?: string;
  quiet?: boolean;
}

/** Runs the `dgi` command; returns the probe accuracies. */
export function dgiAction(opts: DgiCommandOptions, log: (line: string) => void): number[] {
  const cora = loadCora(datasetDir('cora', opts.data), { normalizeFeatures: true });
  log(`Deep Graph Infomax (Veličković et al. 2019) on Cora: GCN encoder ${cora.graph.numFeatures} → ${opts.hidden} with PReLU, Adam lr ${opts.lr}, patience ${opts.patience}; logistic-regression probe on the 140 training nodes (Adam lr 0.01, 100 epochs); seeds ${opts.seed}…${opts.seed + opts.seeds - 1}`);
  const accs: number[] = [];
  const rows: (string | number)[][] = [];
  for (let s = opts.seed; s < opts.seed + opts.seeds; s++) {
    const bar = progressBar(`seed ${s}`, opts.quiet ?? false);
    bar.start(opts.maxEpochs);
    const run = trainDgi(cora, { hidden: opts.hidden, lr: opts.lr, patience: opts.patience, maxEpochs: opts.maxEpochs, probeEpochs: 100, probeLr: 0.01 }, s, (e, l) => bar.update(e, l, 0));
    bar.stop();
    log(`seed ${s}: ${run.epochs} epochs, best loss ${run.finalLoss.toFixed(4)}, probe test ${(100 * run.testAccuracy).toFixed(2)}%, ${run.seconds.toFixed(0)} s`);
    rows.push([s, run.epochs, run.finalLoss.toFixed(4), `${(100 * run.testAccuracy).toFixed(2)}%`]);
    accs.push(run.testAccuracy);
  }
  log(table(['seed', 'epochs', 'best loss', 'probe test acc'], rows));
  log(`dgi linear-probe test accuracy over ${accs.length} seed${accs.length > 1 ? 's' : ''}: ${percent(accs)}`);
  return accs;
}

/** The over-smoothing curve: mean pairwise distance of Â^k X (rows ℓ2-normalised) on Cora against k. */
export function oversmoothAction(opts: { depths: number[]; sample: number; data?: string }, log: (line: string) => void): number[] {
  const cora = loadCora(datasetDir('cora', opts.data), { normalizeFeatures: true });
  const A = withSelfLoops(cora.graph).normalizedAdjacency('sym');
  let h = cora.graph.x!;
  let k = 0;
  const out: number[] = [];
  const rows: (string | number)[][] = [];
  for (const depth of [...opts.depths].sort((a, b) => a - b)) {
    while (k < depth) {
      h = csrMatmul(A, h);
      k++;
    }
    const d = meanPairwiseDistance(h, { normalize: true, sample: opts.sample });
    out.push(d);
    rows.push([depth, d.toFixed(4)]);
  }
  log(`Over-smoothing on Cora: mean pairwise distance between ℓ2-normalised rows of Â^k X (GCN propagation without weights), ${opts.sample} sampled nodes`);
  log(table(['k (propagations)', 'mean pairwise distance'], rows));
  return out;
}

/** The hypergraph convolutions the `hypergraph` command trains. */
export const HYPERGRAPH_MODELS = ['hgnn', 'hypergcn', 'fasthypergcn'] as const;
export type HypergraphModel = (typeof HYPERGRAPH_MODELS)[number];

/** Options of {@link hypergraphAction}. */
export interface HypergraphOptions {
  model?: HypergraphModel;
  seeds: number;
  seed: number;
  epochs: number;
  hidden: number;
  data?: string;
}

const HYPERGRAPH_TITLES: Record<HypergraphModel, string> = {
  hgnn: 'HGNN (Feng et al. 2019): the clique expansion D_v^−½ H D_e^−1 Hᵀ D_v^−½, with a singleton hyperedge per node',
  hypergcn: "HyperGCN (Yadati et al. 2019) with mediators: each layer rebuilds the graph from its own features along a fresh random direction",
  fasthypergcn: 'FastHyperGCN (Yadati et al. 2019) with mediators: one graph from the input features, then GCN layers',
};

/** Two hypergraph convolutions on Cora's co-citation hypergraph, GCN's recipe; returns the test accuracies. */
export function hypergraphAction(opts: HypergraphOptions, log: (line: string) => void): number[] {
  const model = opts.model ?? 'hgnn';
  const cora = loadCora(datasetDir('cora', opts.data), { normalizeFeatures: true });
  const coCitation = Hypergraph.coCitation(cora.citations);
  log(`${HYPERGRAPH_TITLES[model]}; Cora's co-citation hypergraph (${coCitation.numHyperedges} co-citation hyperedges), public split: hidden ${opts.hidden}, dropout 0.5, Adam lr 0.01, weight decay 5e-4 (first layer), ${opts.epochs} epochs, seeds ${opts.seed}…${opts.seed + opts.seeds - 1}`);
  const hg = coCitation.withSelfLoops();
  const x = toSparseFeatures(cora.graph.x!);
  const y = cora.graph.y!;
  const accs: number[] = [];
  for (let s = opts.seed; s < opts.seed + opts.seeds; s++) {
    const gen = new Generator(s);
    const [l1, l2] = hypergraphLayers(model, cora.graph.numFeatures, opts.hidden, cora.classes.length, gen);
    const forward = (input: typeof x, training: boolean): ReturnType<typeof l2.forward> => {
      const inner = training ? featureDropout(input, 0.5, true, gen) : input;
      const h = relu(l1.forward(inner));
      return l2.forward(training ? dropout(h, 0.5, true, gen) : h);
    };
    const opt = new Adam([{ params: [...l1.module.parameters()], weightDecay: 5e-4 }, { params: [...l2.module.parameters()], weightDecay: 0 }], { lr: 0.01 });
    const ytr = indexSelect(y, 0, cora.trainIndex);
    for (let e = 0; e < opts.epochs; e++) {
      opt.zeroGrad();
      backward(crossEntropy(indexSelect(forward(x, true), 0, cora.trainIndex), ytr));
      opt.step();
    }
    const pred = noGrad(() => indexSelect(forward(x, false), 0, cora.testIndex)).argmax(1).data as Int32Array;
    const yt = indexSelect(y, 0, cora.testIndex).data as Int32Array;
    let ok = 0;
    for (let i = 0; i < yt.length; i++) if (pred[i] === yt[i]) ok++;
    accs.push(ok / yt.length);
    log(`seed ${s}: test ${((100 * ok) / yt.length).toFixed(2)}%`);
  }
  log(`${model} test accuracy over ${accs.length} seed${accs.length > 1 ? 's' : ''}: ${percent(accs)}`);
  return accs;

  /** Each layer as a module (for its parameters) and its forward pass over the hypergraph or the graph built from it. */
  function hypergraphLayers(kind: HypergraphModel, inF: number, hidden: number, classes: number, gen: Generator): [HypergraphLayer, HypergraphLayer] {
    if (kind === 'hgnn') {
      const [a, b] = [new HypergraphConv(inF, hidden, { generator: gen }), new HypergraphConv(hidden, classes, { generator: gen })];
      return [{ module: a, forward: (t) => a.forward(t, hg) }, { module: b, forward: (t) => b.forward(t, hg) }];
    }
    if (kind === 'hypergcn') {
      const [a, b] = [new HyperGCNConv(inF, hidden, { generator: gen }), new HyperGCNConv(hidden, classes, { generator: gen })];
      return [{ module: a, forward: (t) => a.forward(t, coCitation) }, { module: b, forward: (t) => b.forward(t, coCitation) }];
    }
    const graph = hyperGcnGraph(coCitation, cora.graph.x!, { generator: gen });
    const [a, b] = [new GCNConv(inF, hidden, { generator: gen }), new GCNConv(hidden, classes, { generator: gen })];
    return [{ module: a, forward: (t) => a.forward(t, graph) }, { module: b, forward: (t) => b.forward(t, graph) }];
  }
}

interface HypergraphLayer {
  module: { parameters(): Iterable<Parameter> };
  forward(x: NodeFeatures): Tensor;
}

/** Adds the `@dl/gnn` commands to the program; `out` prints a line. */
export function addGnnCommands(program: Command, out: (line: string) => void): void {
  addNodeCommand(program, 'gcn', 'Train a two-layer GCN on Cora (Planetoid public split) over several seeds; the defaults are Kipf & Welling\'s (paper: 81.5%).', out);
  addNodeCommand(program, 'gat', 'Train a two-layer GAT on Cora over several seeds; the defaults are Veličković et al.\'s (paper: 83.0 ± 0.7%).', out);
  addNodeCommand(program, 'cheb', 'Train a two-layer ChebNet on Cora over several seeds (Kipf & Welling\'s comparison: 81.2%).', out);
  addNodeCommand(program, 'sage', 'Train a two-layer GraphSAGE on Cora over several seeds, full batch or mini-batches of sampled neighbourhoods.', out);
  program
    .command('gin')
    .description('Train GIN on MUTAG with stratified 10-fold cross-validation (paper: GIN-0 89.4 ± 5.6%).')
    .option('--seeds <n>', 'repetitions of the cross-validation', positiveInt, 1)
    .option('--seed <n>', 'first seed (fold assignment and initialisation)', seed, 0)
    .option('--epochs <n>', 'epochs per fold (the paper: 350)', positiveInt, 100)
    .option('--lr <rate>', "Adam's initial learning rate", positiveNumber, 0.01)
    .option('--decay-every <n>', 'halve the learning rate every n epochs', positiveInt, 50)
    .option('--hidden <n>', 'hidden features', positiveInt, 32)
    .option('--layers <n>', 'GIN layers after the input', positiveInt, 4)
    .option('--dropout <p>', 'dropout before each layer\'s readout', dropRate, 0.5)
    .option('--batch-size <n>', 'graphs per batch', positiveInt, 32)
    .option('--folds <n>', 'cross-validation folds', positiveInt, 10)
    .option('--train-eps', 'learn ε (GIN-ε) instead of fixing it at 0 (GIN-0)', false)
    .option('--data <dir>', 'folder with the MUTAG_*.txt files (default: ../shared/datasets/mutag)')
    .option('--quiet', 'no progress bars')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: GinCommandOptions) => {
      ginAction(opts, out);
    });
  program
    .command('dgi')
    .description('Deep Graph Infomax on Cora: unsupervised node embeddings, then a linear probe (paper: 82.3 ± 0.6%).')
    .option('--seeds <n>', 'number of runs', positiveInt, 10)
    .option('--seed <n>', 'first seed', seed, 0)
    .option('--hidden <n>', 'embedding size', positiveInt, 512)
    .option('--lr <rate>', "Adam's learning rate", positiveNumber, 0.001)
    .option('--patience <n>', 'stop after n epochs without a lower loss', positiveInt, 20)
    .option('--max-epochs <n>', 'most epochs', positiveInt, 1000)
    .option('--data <dir>', 'folder with the Cora files (default: ../shared/datasets/cora)')
    .option('--quiet', 'no progress bars')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: DgiCommandOptions) => {
      dgiAction(opts, out);
    });
  program
    .command('hypergraph')
    .description("Two hypergraph convolutions (HGNN, HyperGCN or FastHyperGCN) on Cora's co-citation hypergraph (public split).")
    .addOption(new Option('--model <name>', 'hypergraph convolution').choices(HYPERGRAPH_MODELS).default('hgnn'))
    .option('--seeds <n>', 'number of runs', positiveInt, 10)
    .option('--seed <n>', 'first seed', seed, 0)
    .option('--epochs <n>', 'training epochs', positiveInt, 200)
    .option('--hidden <n>', 'hidden features', positiveInt, 16)
    .option('--data <dir>', 'folder with the Cora files (default: ../shared/datasets/cora)')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: HypergraphOptions) => {
      hypergraphAction(opts, out);
    });
  program
    .command('oversmooth')
    .description('Over-smoothing on Cora: mean pairwise distance of node features against the number of GCN propagations.')
    .option('--depths <list>', 'propagation counts', depthList, [0, 1, 2, 4, 8, 16, 32, 64, 128])
    .option('--sample <n>', 'nodes sampled for the O(n²) distance', positiveInt, 1000)
    .option('--data <dir>', 'folder with the Cora files (default: ../shared/datasets/cora)')
    .option('--verbose', 'on an error, also print its stack trace')
    .action((opts: { depths: number[]; sample: number; data?: string }) => {
      oversmoothAction(opts, out);
    });
}
