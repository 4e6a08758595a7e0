/**
 * Deep Graph Infomax on Cora: unsupervised embeddings (one GCN layer of
 * 512, PReLU), then a logistic-regression probe on the 140 training nodes.
 *
 * @packageDocumentation
 */
import { backward } from '@dl/autograd';
import { type CoraDataset, DGIEncoder, DeepGraphInfomax, toSparseFeatures } from '@dl/gnn';
import { Adam } from '@dl/optim';
import { Generator, Linear, type Tensor, crossEntropy, indexSelect, noGrad } from '@dl/tensor';

export interface DgiConfig {
  hidden: number;
  lr: number;
  /** Stop when the loss has not improved for this many epochs (the paper: 20). */
  patience: number;
  maxEpochs: number;
  probeEpochs: number;
  probeLr: number;
}

export interface DgiRun {
  seed: number;
  epochs: number;
  finalLoss: number;
  testAccuracy: number;
  seconds: number;
}

/** Trains DGI from `seed`, keeps the lowest-loss embeddings, and probes them linearly. */
export function trainDgi(data: CoraDataset, config: DgiConfig, seed: number, onEpoch?: (epoch: number, loss: number) => void): DgiRun {
  const t0 = performance.now();
  const gen = new Generator(seed);
  const x = toSparseFeatures(data.graph.x!);
  const dgi = new DeepGraphInfomax(new DGIEncoder(data.graph.numFeatures, config.hidden, { generator: gen }), config.hidden, { generator: gen });
  const opt = new Adam(dgi.parameters(), { lr: config.lr });
  let best = Infinity;
  let bestEmbeddings: Tensor | null = null;
  let waited = 0;
  let epoch = 0;
  let loss = 0;
  while (epoch < config.maxEpochs) {
    epoch++;
    opt.zeroGrad();
    const l = dgi.loss(x, data.graph, gen);
    backward(l);
    opt.step();
    loss = l.item();
    onEpoch?.(epoch, loss);
    if (loss < best) {
      best = loss;
      waited = 0;
      bestEmbeddings = null;
    } else if (++waited >= config.patience) break;
    if (waited === 0) bestEmbeddings = noGrad(() => dgi.forward(x, data.graph)).detach();
  }
  const emb = bestEmbeddings ?? noGrad(() => dgi.forward(x, data.graph)).detach();
  return { seed, epochs: epoch, finalLoss: best, testAccuracy: linearProbe(emb, data, config, seed), seconds: (performance.now() - t0) / 1000 };
}

/** Logistic regression on frozen embeddings: train on the training nodes, accuracy on the test nodes. */
export function linearProbe(embeddings: Tensor, data: CoraDataset, config: Pick<DgiConfig, 'probeEpochs' | 'probeLr'>, seed: number): number {
  const gen = new Generator(seed + 7919);
  const clf = new Linear(embeddings.shape[1]!, data.classes.length, { generator: gen });
  const opt = new Adam(clf.parameters(), { lr: config.probeLr });
  const xtr = indexSelect(embeddings, 0, data.trainIndex);
  const ytr = indexSelect(data.graph.y!, 0, data.trainIndex);
  for (let e = 0; e < config.probeEpochs; e++) {
    opt.zeroGrad();
    backward(crossEntropy(clf.forward(xtr), ytr));
    opt.step();
  }
  const pred = noGrad(() => clf.forward(indexSelect(embeddings, 0, data.testIndex))).argmax(1).data as Int32Array;
  const y = indexSelect(data.graph.y!, 0, data.testIndex).data as Int32Array;
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}
