/**
 * The two-layer node classifiers of the papers the `gcn`, `gat`, `cheb` and
 * `sage` commands reproduce, with their dropout placement.
 *
 * @packageDocumentation
 */
import { ChebConv, GATConv, GCNConv, type Graph, type NodeFeatures, SAGEConv, featureDropout } from '@dl/gnn';
import { type Generator, Module, type Tensor, dropout, elu, relu } from '@dl/tensor';

export type NodeModelKind = 'gcn' | 'gat' | 'cheb' | 'sage';

/** Hyper-parameters of a node classifier. */
export interface NodeModelConfig {
  kind: NodeModelKind;
  inFeatures: number;
  classes: number;
  hidden: number;
  dropout: number;
  /** GAT: heads of the hidden layer, heads of the output layer (averaged). */
  heads: number;
  outHeads: number;
  /** ChebConv's K. */
  K: number;
  /** SAGE aggregator. */
  aggr: 'mean' | 'max' | 'lstm';
}

/** conv → activation → dropout → conv, dropout on the input too (Kipf & Welling; Veličković et al.). */
export class NodeClassifier extends Module<[NodeFeatures, Graph], Tensor> {
  readonly conv1: GCNConv | GATConv | ChebConv | SAGEConv;
  readonly conv2: GCNConv | GATConv | ChebConv | SAGEConv;

  constructor(
    readonly config: NodeModelConfig,
    readonly generator: Generator,
  ) {
    super();
    const { kind, inFeatures, classes, hidden, heads, outHeads, K } = config;
    const p = config.dropout;
    const generatorOpt = { generator };
    if (kind === 'gcn') {
      this.conv1 = this.module('conv1', new GCNConv(inFeatures, hidden, generatorOpt));
      this.conv2 = this.module('conv2', new GCNConv(hidden, classes, generatorOpt));
    } else if (kind === 'gat') {
      this.conv1 = this.module('conv1', new GATConv(inFeatures, hidden, { heads, dropout: p, ...generatorOpt }));
      this.conv2 = this.module('conv2', new GATConv(hidden * heads, classes, { heads: outHeads, concat: false, dropout: p, ...generatorOpt }));
    } else if (kind === 'cheb') {
      this.conv1 = this.module('conv1', new ChebConv(inFeatures, hidden, K, generatorOpt));
      this.conv2 = this.module('conv2', new ChebConv(hidden, classes, K, generatorOpt));
    } else {
      this.conv1 = this.module('conv1', new SAGEConv(inFeatures, hidden, { aggr: config.aggr, ...generatorOpt }));
      this.conv2 = this.module('conv2', new SAGEConv(hidden, classes, { aggr: config.aggr, ...generatorOpt }));
    }
  }

  forward(x: NodeFeatures, graph: Graph): Tensor {
    const p = this.config.dropout;
    const act = this.config.kind === 'gat' ? elu : relu;
    let h = act(this.conv1.forward(featureDropout(x, p, this.training, this.generator) as Tensor, graph));
    h = dropout(h, p, this.training, this.generator);
    return this.conv2.forward(h, graph);
  }
}
