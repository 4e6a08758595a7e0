/**
 * GIN on a TU data set (MUTAG) with stratified 10-fold cross-validation, as
 * Xu et al. (2019) evaluate it.
 *
 * @packageDocumentation
 */
import { backward } from '@dl/autograd';
import { Batch, GINConv, type Graph, type TUDataset, globalAddPool, kFold } from '@dl/gnn';
import { Adam, StepLR } from '@dl/optim';
import { BatchNorm1d, Generator, Linear, Module, ModuleList, ReLU, Sequential, type Tensor, crossEntropy, dropout, noGrad } from '@dl/tensor';

/** GIN's hyper-parameters (the paper's bio-data settings by default). */
export interface GinConfig {
  /** GIN layers after the input (the paper's 5 layers include the input: 4). */
  layers: number;
  hidden: number;
  /** Dropout before each layer's prediction. */
  dropout: number;
  /** Learn ε (GIN-ε) or fix it at 0 (GIN-0). */
  trainEps: boolean;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Halve the learning rate every this many epochs. */
  decayEvery: number;
  folds: number;
}

/**
 * GIN for graph classification: h⁽ˡ⁾ = MLP⁽ˡ⁾((1 + ε)h_v + Σ_u h_u), each MLP
 * Linear–BN–ReLU–Linear–BN–ReLU; the score sums a linear readout of the
 * summed node features of every layer, the input included (Xu et al., eq. 4.2).
 */
export class GinClassifier extends Module<[Graph, Tensor, number], Tensor> {
  readonly convs: ModuleList<GINConv>;
  readonly heads: ModuleList<Linear>;

  constructor(
    inFeatures: number,
    classes: number,
    readonly config: GinConfig,
    readonly generator: Generator,
  ) {
    super();
    const H = config.hidden;
    const convs: GINConv[] = [];
    const heads: Linear[] = [new Linear(inFeatures, classes, { generator })];
    for (let l = 0; l < config.layers; l++) {
      const mlp = new Sequential(new Linear(l === 0 ? inFeatures : H, H, { generator }), new BatchNorm1d(H), new ReLU(), new Linear(H, H, { generator }), new BatchNorm1d(H), new ReLU());
      convs.push(new GINConv(mlp, { trainEps: config.trainEps }));
      heads.push(new Linear(H, classes, { generator }));
    }
    this.convs = this.module('convs', new ModuleList(convs));
    this.heads = this.module('heads', new ModuleList(heads));
  }

  forward(graph: Graph, batch: Tensor, numGraphs: number): Tensor {
    const heads = [...this.heads];
    let h = graph.x!;
    let score = dropout(heads[0]!.forward(globalAddPool(h, batch, numGraphs)), this.config.dropout, this.training, this.generator);
    [...this.convs].forEach((conv, l) => {
      h = conv.forward(h, graph);
      score = score.add(dropout(heads[l + 1]!.forward(globalAddPool(h, batch, numGraphs)), this.config.dropout, this.training, this.generator));
    });
    return score;
  }
}

/** One fold's per-epoch test accuracy. */
export interface FoldRun {
  fold: number;
  testAccuracy: number[];
  loss: number[];
  seconds: number;
}

function accuracy(model: GinClassifier, graphs: readonly Graph[]): number {
  const b = Batch.fromGraphs(graphs);
  return noGrad(() => {
    const pred = model.forward(b.graph, b.batch, b.numGraphs).argmax(1).data as Int32Array;
    const y = b.y!.data as Int32Array;
    let ok = 0;
    for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
    return ok / y.length;
  });
}

/** Trains on every fold but one and tests on it, per fold; `onEpoch` reports progress. */
export function trainGinFolds(data: TUDataset, config: GinConfig, seed: number, onEpoch?: (fold: number, epoch: number, loss: number, testAcc: number) => void): FoldRun[] {
  const folds = kFold(data.labels, config.folds, seed);
  return folds.map(({ train, test }, f) => {
    const t0 = performance.now();
    const gen = new Generator(seed * 1000 + f);
    const model = new GinClassifier(data.numFeatures, data.numClasses, config, gen);
    const opt = new Adam(model.parameters(), { lr: config.lr });
    const sched = new StepLR(opt, { stepSize: config.decayEvery, gamma: 0.5 });
    const testGraphs = test.map((i) => data.graphs[i]!);
    const accs: number[] = [];
    const losses: number[] = [];
    for (let epoch = 1; epoch <= config.epochs; epoch++) {
      model.train();
      const order = train.slice();
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(gen.random() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let total = 0;
      for (let s = 0; s < order.length; s += config.batchSize) {
        const part = order.slice(s, s + config.batchSize);
        // A batch of one graph would leave batch norm one value per feature: merge it into the previous batch.
        if (part.length < 2) continue;
        const b = Batch.fromGraphs(part.map((i) => data.graphs[i]!));
        opt.zeroGrad();
        const loss = crossEntropy(model.forward(b.graph, b.batch, b.numGraphs), b.y!);
        backward(loss);
        opt.step();
        total += loss.item() * part.length;
      }
      sched.step();
      model.eval();
      const acc = accuracy(model, testGraphs);
      accs.push(acc);
      losses.push(total / order.length);
      onEpoch?.(f, epoch, total / order.length, acc);
    }
    return { fold: f, testAccuracy: accs, loss: losses, seconds: (performance.now() - t0) / 1000 };
  });
}
