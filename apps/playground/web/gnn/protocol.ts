// Messages between the GNN card (page), its training worker and its layout
// worker. Typed arrays are transferred, not copied.
import type { BackendInfo } from '../../src/train/backend-info.js';

/** The two models the card trains (the `gcn` and `gat` commands' recipes). */
export type CardModel = 'gcn' | 'gat';

/** Page → training worker. */
export type GnnToWorker =
  /** Fetches and parses Cora from `base` (the folder holding the `cora/` files). */
  | { type: 'load'; base: string }
  /** Trains a fresh model for `epochs` epochs, streaming predictions every `every` epochs. */
  | { type: 'train'; model: CardModel; epochs: number; every: number; seed: number }
  | { type: 'stop' }
  /** The current GAT's attention over `node`'s incoming edges. */
  | { type: 'attention'; node: number }
  /** The over-smoothing curve, one propagation more at a time, up to `maxDepth`. */
  | { type: 'oversmooth'; maxDepth: number; sample: number };

/** Cora as the page draws it. */
export interface CoraSummary {
  numNodes: number;
  /** Undirected edges, each once (`src[e] < dst[e]`). */
  src: Int32Array;
  dst: Int32Array;
  /** True class of every node. */
  labels: Int32Array;
  classes: string[];
  paperIds: string[];
  /** 0 none, 1 train, 2 val, 3 test (the Planetoid public split). */
  split: Uint8Array;
}

/** One neighbour's attention on a node: α_ij for edge j → i (the self-loop included). */
export interface NeighbourWeight {
  node: number;
  /** Per layer: α averaged over that layer's heads. */
  weights: number[];
}

/** Training worker → page. */
export type GnnFromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'loaded'; cora: CoraSummary; seconds: number }
  | { type: 'epoch'; model: CardModel; epoch: number; epochs: number; loss: number; trainAccuracy: number; valAccuracy: number; testAccuracy: number }
  /** Predicted class of every node after `epoch`. */
  | { type: 'predictions'; model: CardModel; epoch: number; predictions: Int32Array; testAccuracy: number }
  | { type: 'done'; model: CardModel; epochs: number; testAccuracy: number; stopped: boolean }
  /** `node`'s incoming attention, sorted by the first layer's weight (largest first); `heads` per layer. */
  | { type: 'attention'; node: number; heads: number[]; neighbours: NeighbourWeight[] }
  | { type: 'oversmooth'; depth: number; distance: number; maxDepth: number }
  | { type: 'error'; message: string };

/** Page → layout worker. */
export type LayoutToWorker = { type: 'start'; numNodes: number; src: Int32Array; dst: Int32Array; ticks: number; every: number };

/** Layout worker → page: `[x0, y0, x1, y1, …]` after `tick` of `ticks`. */
export type LayoutFromWorker = { type: 'positions'; positions: Float32Array; tick: number; ticks: number } | { type: 'error'; message: string };
