// One GCN or GAT on Cora, trained an epoch at a time so the worker can stream
// predictions and answer the page between epochs. The model is the CLI's
// NodeClassifier and the recipe the `gcn` / `gat` commands' defaults.
import type { CoraDataset, GATConv, NodeFeatures } from '@dl/gnn';
import { toSparseFeatures } from '@dl/gnn';
import type { Adam } from '@dl/optim';
import { Generator, type Tensor, elu, indexSelect, noGrad } from '@dl/tensor';
import { NodeClassifier } from '../../src/gnn/models.js';
import { fullBatchStep, nodeOptimizer } from '../../src/gnn/train-node.js';
import { GAT_HEADS, PAPERS } from '../../src/gnn/recipes.js';
import type { CardModel, NeighbourWeight } from './protocol.js';

/** A model's training recipe: the defaults of the CLI command of the same name (Kipf & Welling; Veličković et al.). */
export interface CardRecipe {
  hidden: number;
  dropout: number;
  lr: number;
  weightDecay: number;
  /** Weight decay on the first layer only (GCN) or on every parameter (GAT). */
  decayFirstLayerOnly: boolean;
  /** GAT: heads of the hidden layer and of the (averaged) output layer. */
  heads: number;
  outHeads: number;
  /** The card's suggested epoch count (the GAT's learning rate is half the GCN's, so it takes longer). */
  epochs: number;
}

/** The recipes: the papers' (the commands' defaults), with the card's own suggested epoch counts. */
export const CARD_RECIPES: Readonly<Record<CardModel, CardRecipe>> = {
  gcn: { ...cardRecipe('gcn'), epochs: 200 },
  gat: { ...cardRecipe('gat'), epochs: 300 },
};

function cardRecipe(kind: CardModel): Omit<CardRecipe, 'epochs'> {
  const { hidden, dropout, lr, weightDecay, decayFirstLayerOnly } = PAPERS[kind];
  return { hidden, dropout, lr, weightDecay, decayFirstLayerOnly, ...GAT_HEADS };
}

/** One epoch's numbers. */
export interface CardEpoch {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  valAccuracy: number;
  testAccuracy: number;
}

/** What a GAT attends to: per layer, α `[E', heads]` over the graph with self-loops (edges sorted by target). */
interface AttentionLayers {
  src: Int32Array;
  dst: Int32Array;
  alphas: Float32Array[];
  heads: number[];
}

function accuracy(pred: Int32Array, labels: Int32Array, index: Int32Array): number {
  let ok = 0;
  for (const i of index) if (pred[i] === labels[i]) ok++;
  return ok / Math.max(1, index.length);
}

/**
 * Trains a two-layer GCN or GAT on Cora's public split, full batch, one
 * epoch per {@link CardTrainer.step}, as `trainNodeClassifier` does (Adam,
 * cross-entropy on the 140 training nodes, evaluation in eval mode) but
 * without early stopping: the card trains the epochs it is asked for.
 *
 * @example
 * const t = new CardTrainer(cora, 'gcn', 0);
 * for (let e = 0; e < 200; e++) t.step();
 * t.predictions(); // Int32Array [2708]
 */
export class CardTrainer {
  readonly model: NodeClassifier;
  private readonly x: NodeFeatures;
  private readonly labels: Int32Array;
  private readonly trainIndex: Tensor;
  private readonly trainY: Tensor;
  private readonly opt: Adam;
  private readonly split: { train: Int32Array; val: Int32Array; test: Int32Array };
  private current: Int32Array;
  private attentionCache: AttentionLayers | undefined;
  private epochsDone = 0;

  constructor(
    private readonly data: CoraDataset,
    readonly kind: CardModel,
    seed: number,
  ) {
    const r = CARD_RECIPES[kind];
    const graph = data.graph;
    this.model = new NodeClassifier(
      { kind, inFeatures: graph.numFeatures, classes: data.classes.length, hidden: r.hidden, dropout: r.dropout, heads: r.heads, outHeads: r.outHeads, K: 3, aggr: 'mean' },
      new Generator(seed),
    );
    // Sparse bag-of-words input: the commands' default, and 1433 features with ~18 ones per row.
    this.x = toSparseFeatures(graph.x!);
    this.labels = graph.y!.data as Int32Array;
    this.trainIndex = data.trainIndex;
    this.trainY = indexSelect(graph.y!, 0, data.trainIndex);
    this.opt = nodeOptimizer(this.model, r);
    this.split = { train: data.trainIndex.data as Int32Array, val: data.valIndex.data as Int32Array, test: data.testIndex.data as Int32Array };
    this.current = this.evaluate();
  }

  /** Epochs trained so far. */
  get epoch(): number {
    return this.epochsDone;
  }

  /** One epoch: a gradient step on the training nodes, then every node's prediction in eval mode. */
  step(): CardEpoch {
    const { model } = this;
    model.train();
    const loss = fullBatchStep(model, this.opt, this.x, this.data.graph, this.trainIndex, this.trainY);
    this.attentionCache = undefined;
    this.current = this.evaluate();
    this.epochsDone++;
    const acc = (index: Int32Array) => accuracy(this.current, this.labels, index);
    return { epoch: this.epochsDone, loss, trainAccuracy: acc(this.split.train), valAccuracy: acc(this.split.val), testAccuracy: acc(this.split.test) };
  }

  /** Accuracy of the current predictions on the 1000 test nodes. */
  testAccuracy(): number {
    return accuracy(this.current, this.labels, this.split.test);
  }

  /** The predicted class of every node (a copy: the caller may transfer it). */
  predictions(): Int32Array {
    return this.current.slice();
  }

  /**
   * A GAT's attention over `node`'s incoming edges (its self-loop included),
   * each layer's α averaged over its heads, largest first-layer weight first.
   * Every layer's weights over one node sum to 1 (a softmax over its edges).
   */
  attention(node: number): { heads: number[]; neighbours: NeighbourWeight[] } {
    if (this.kind !== 'gat') throw new Error('attention weights need a GAT: train one first');
    if (!Number.isInteger(node) || node < 0 || node >= this.data.graph.numNodes) throw new Error(`node ${node} is not in the graph (0 … ${this.data.graph.numNodes - 1})`);
    const layers = (this.attentionCache ??= this.attentionLayers());
    const neighbours: NeighbourWeight[] = [];
    for (let e = 0; e < layers.dst.length; e++) {
      if (layers.dst[e] !== node) continue;
      const weights = layers.alphas.map((alpha, l) => {
        const H = layers.heads[l]!;
        let s = 0;
        for (let h = 0; h < H; h++) s += alpha[e * H + h]!;
        return s / H;
      });
      neighbours.push({ node: layers.src[e]!, weights });
    }
    neighbours.sort((a, b) => b.weights[0]! - a.weights[0]! || a.node - b.node);
    return { heads: layers.heads.slice(), neighbours };
  }

  private evaluate(): Int32Array {
    this.model.eval();
    return noGrad(() => this.model.forward(this.x, this.data.graph).argmax(1).data as Int32Array);
  }

  // NodeClassifier.forward in eval mode (no dropout), keeping each layer's attention.
  private attentionLayers(): AttentionLayers {
    const conv1 = this.model.conv1 as GATConv;
    const conv2 = this.model.conv2 as GATConv;
    this.model.eval();
    return noGrad(() => {
      const one = conv1.forwardWithAttention(this.x, this.data.graph);
      const two = conv2.forwardWithAttention(elu(one.out), this.data.graph);
      return {
        src: one.graph.src.data as Int32Array,
        dst: one.graph.dst.data as Int32Array,
        alphas: [one.attention.data as Float32Array, two.attention.data as Float32Array],
        heads: [conv1.heads, conv2.heads],
      };
    });
  }
}
