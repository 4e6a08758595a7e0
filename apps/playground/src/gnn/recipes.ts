// The published recipes of the Cora node classifiers: the CLI commands'
// defaults, and the page card's (which imports this file, so it has no
// Node-only imports).
import type { NodeModelKind } from './models.js';

/** A model's training recipe as its paper gives it. */
export interface PaperDefaults {
  title: string;
  epochs: number;
  lr: number;
  weightDecay: number;
  /** Weight decay on the first layer only (Kipf & Welling) or on every parameter. */
  decayFirstLayerOnly: boolean;
  hidden: number;
  dropout: number;
  /** Early-stopping patience in epochs (0: train every epoch). */
  patience: number;
}

/** Kipf & Welling's GCN (and its ChebNet and GraphSAGE comparisons) and Veličković et al.'s GAT. */
export const PAPERS: Readonly<Record<NodeModelKind, PaperDefaults>> = {
  gcn: { title: 'GCN (Kipf & Welling 2017)', epochs: 200, lr: 0.01, weightDecay: 5e-4, decayFirstLayerOnly: true, hidden: 16, dropout: 0.5, patience: 0 },
  gat: { title: 'GAT (Veličković et al. 2018)', epochs: 1000, lr: 0.005, weightDecay: 5e-4, decayFirstLayerOnly: false, hidden: 8, dropout: 0.6, patience: 100 },
  cheb: { title: 'ChebNet (Defferrard et al. 2016)', epochs: 200, lr: 0.01, weightDecay: 5e-4, decayFirstLayerOnly: true, hidden: 16, dropout: 0.5, patience: 0 },
  sage: { title: 'GraphSAGE (Hamilton et al. 2017)', epochs: 200, lr: 0.01, weightDecay: 5e-4, decayFirstLayerOnly: true, hidden: 16, dropout: 0.5, patience: 0 },
};

/** GAT's attention heads (Veličković et al.: 8 in the hidden layer, 1 at the output on Cora). */
export const GAT_HEADS = { heads: 8, outHeads: 1 } as const;
