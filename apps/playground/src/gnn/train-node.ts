/**
 * Semi-supervised node classification on Cora (full batch, or mini-batches
 * of sampled neighbourhoods for GraphSAGE), one run per seed.
 *
 * @packageDocumentation
 */
import { backward } from '@dl/autograd';
import { type CoraDataset, type Graph, type NodeFeatures, sampleNeighbors, toSparseFeatures } from '@dl/gnn';
import { Adam } from '@dl/optim';
import { Generator, Tensor, crossEntropy, indexSelect, noGrad } from '@dl/tensor';
import { type NodeModelConfig, NodeClassifier } from './models.js';

/** How to train (the papers' settings are the commands' defaults). */
export interface NodeTrainConfig {
  model: NodeModelConfig;
  epochs: number;
  lr: number;
  weightDecay: number;
  /** Apply weight decay to the first layer only (Kipf & Welling) or to every parameter (Veličković et al.). */
  decayFirstLayerOnly: boolean;
  /** Stop when neither validation loss nor accuracy improved for this many epochs (GAT's rule); 0: train all epochs. */
  patience: number;
  /** Sparse bag-of-words input (default) or dense `[N, F]`. */
  denseFeatures: boolean;
  /** GraphSAGE mini-batches: seeds per batch and fan-out per hop; null: full batch. */
  sampling: { batchSize: number; fanouts: number[] } | null;
}

/** One epoch's numbers. */
export interface NodeEpoch {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  valAccuracy: number;
  valLoss: number;
  testAccuracy: number;
  ms: number;
}

/** One seed's run. */
export interface NodeRun {
  seed: number;
  history: NodeEpoch[];
  /** Test accuracy of the reported model: the last epoch's, or with `patience` the one kept by the early-stopping rule. */
  testAccuracy: number;
  /** The epoch whose model is reported. */
  reportedEpoch: number;
  seconds: number;
}

/** Per-epoch callbacks (progress bar). */
export interface NodeHooks {
  onRunStart?(seed: number, epochs: number): void;
  onEpoch?(seed: number, e: NodeEpoch): void;
  onRunEnd?(run: NodeRun): void;
}

function accuracyAndLoss(logits: Tensor, labels: Tensor, index: Tensor): { accuracy: number; loss: number } {
  const picked = indexSelect(logits, 0, index);
  const y = indexSelect(labels, 0, index);
  const pred = picked.argmax(1).data as Int32Array;
  const yd = y.data as Int32Array;
  let ok = 0;
  for (let i = 0; i < yd.length; i++) if (pred[i] === yd[i]) ok++;
  return { accuracy: ok / Math.max(1, yd.length), loss: crossEntropy(picked, y).item() };
}

/** Adam over the model, weight decay on the first layer only (Kipf & Welling) or on every parameter (Veličković et al.). */
export function nodeOptimizer(model: NodeClassifier, recipe: { lr: number; weightDecay: number; decayFirstLayerOnly: boolean }): Adam {
  if (!recipe.decayFirstLayerOnly) return new Adam(model.parameters(), { lr: recipe.lr, weightDecay: recipe.weightDecay });
  return new Adam([{ params: [...model.conv1.parameters()], weightDecay: recipe.weightDecay }, { params: [...model.conv2.parameters()], weightDecay: 0 }], { lr: recipe.lr });
}

/** One full-batch gradient step (the model in training mode): cross-entropy on the training nodes; returns the loss. */
export function fullBatchStep(model: NodeClassifier, opt: Adam, x: NodeFeatures, graph: Graph, trainIndex: Tensor, trainY: Tensor): number {
  opt.zeroGrad();
  const loss = crossEntropy(indexSelect(model.forward(x, graph), 0, trainIndex), trainY);
  backward(loss);
  opt.step();
  return loss.item();
}

/** Trains one model from `seed` and evaluates it every epoch. */
export function trainNodeClassifier(data: CoraDataset, config: NodeTrainConfig, seed: number, hooks: NodeHooks = {}): NodeRun {
  const gen = new Generator(seed);
  const model = new NodeClassifier(config.model, gen);
  const graph = data.graph;
  const x: NodeFeatures = config.denseFeatures ? graph.x! : toSparseFeatures(graph.x!);
  const labels = graph.y!;
  const opt = nodeOptimizer(model, config);
  const trainY = indexSelect(labels, 0, data.trainIndex);
  const history: NodeEpoch[] = [];
  let bestAcc = -1;
  let bestLoss = Infinity;
  let waited = 0;
  let reported = { epoch: 0, test: 0 };
  const t0 = performance.now();
  hooks.onRunStart?.(seed, config.epochs);
  const trainNodes = Array.from(data.trainIndex.data as Int32Array);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const s = performance.now();
    model.train();
    let lossValue = 0;
    if (config.sampling === null) {
      lossValue = fullBatchStep(model, opt, x, graph, data.trainIndex, trainY);
    } else {
      lossValue = sampledEpoch(model, opt, graph, config, trainNodes, gen);
    }
    model.eval();
    const { trainAcc, val, test } = noGrad(() => {
      const out = model.forward(x, graph);
      return { trainAcc: accuracyAndLoss(out, labels, data.trainIndex).accuracy, val: accuracyAndLoss(out, labels, data.valIndex), test: accuracyAndLoss(out, labels, data.testIndex).accuracy };
    });
    const e: NodeEpoch = { epoch, loss: lossValue, trainAccuracy: trainAcc, valAccuracy: val.accuracy, valLoss: val.loss, testAccuracy: test, ms: performance.now() - s };
    history.push(e);
    hooks.onEpoch?.(seed, e);
    if (config.patience > 0) {
      // Veličković et al.'s rule: keep the model when validation accuracy and loss both improve; stop after `patience` epochs with neither improving.
      if (val.accuracy >= bestAcc || val.loss <= bestLoss) {
        if (val.accuracy >= bestAcc && val.loss <= bestLoss) reported = { epoch, test };
        bestAcc = Math.max(bestAcc, val.accuracy);
        bestLoss = Math.min(bestLoss, val.loss);
        waited = 0;
      } else if (++waited >= config.patience) break;
    } else reported = { epoch, test };
  }
  const run: NodeRun = { seed, history, testAccuracy: reported.test, reportedEpoch: reported.epoch, seconds: (performance.now() - t0) / 1000 };
  hooks.onRunEnd?.(run);
  return run;
}

/** One pass over the training nodes in mini-batches of sampled two-hop neighbourhoods (GraphSAGE, Alg. 2). */
function sampledEpoch(model: NodeClassifier, opt: Adam, graph: Graph, config: NodeTrainConfig, trainNodes: number[], gen: Generator): number {
  const { batchSize, fanouts } = config.sampling!;
  const order = trainNodes.slice();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(gen.random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let total = 0;
  for (let b = 0; b < order.length; b += batchSize) {
    const seeds = order.slice(b, b + batchSize);
    const { graph: sub, numSeeds } = sampleNeighbors(graph, seeds, fanouts, gen);
    const seedIdx = new Tensor(Int32Array.from({ length: numSeeds }, (_, i) => i), [numSeeds]);
    opt.zeroGrad();
    const out = model.forward(config.denseFeatures ? sub.x! : toSparseFeatures(sub.x!), sub);
    const loss = crossEntropy(indexSelect(out, 0, seedIdx), indexSelect(sub.y!, 0, seedIdx));
    backward(loss);
    opt.step();
    total += loss.item() * seeds.length;
  }
  return total / order.length;
}
