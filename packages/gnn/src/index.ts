// @dl/gnn: graph neural networks on @dl/tensor — graphs (COO/CSR, batching),
// gather/scatter, message passing, spatial and spectral layers, readouts,
// spectral tools and loaders for the standard data sets.
export { Graph } from './graph.js';
export type { GraphInit, EdgeIndexLike, EdgeReduce } from './graph.js';
export { Batch } from './batch.js';
export { gather, scatter, AGGREGATIONS } from './scatter.js';
export type { Aggregation } from './scatter.js';
export { readout, globalAddPool, globalMeanPool, globalMaxPool } from './readout.js';
export type { Readout } from './readout.js';
export { MessagePassing } from './message-passing.js';
export type { MessageContext } from './message-passing.js';
export { sampleNeighbors } from './sampling.js';
export type { SampledSubgraph } from './sampling.js';
export * from './spectral.js';
export { GCNConv, withSelfLoops } from './conv/gcn-conv.js';
export type { GCNConvOptions } from './conv/gcn-conv.js';
export { ChebConv } from './conv/cheb-conv.js';
export type { ChebConvOptions } from './conv/cheb-conv.js';
export { SAGEConv } from './conv/sage-conv.js';
export type { SAGEConvOptions, SageAggregator } from './conv/sage-conv.js';
export { LSTMAggregation, LstmWeights } from './conv/lstm-aggregation.js';
export { GATConv } from './conv/gat-conv.js';
export type { GATConvOptions, GATOutput } from './conv/gat-conv.js';
export { GINConv } from './conv/gin-conv.js';
export type { GINConvOptions, NodeMlp } from './conv/gin-conv.js';
export { DataFormatError } from './data/files.js';
export { parseCora, loadCora, PLANETOID_CLASSES } from './data/cora.js';
export type { CoraDataset, CoraFiles, CoraOptions } from './data/cora.js';
export { parseTUDataset, loadTUDataset, kFold } from './data/tu.js';
export type { TUDataset, TUFiles } from './data/tu.js';
export { parseEdgeList, loadKarate } from './data/karate.js';
export { toSparseFeatures, featureDropout, linearOf } from './sparse-features.js';
export type { NodeFeatures } from './sparse-features.js';
export { NN4G, DCNNConv, DGCConv, GMMConv } from './conv/spatial.js';
export type { Activation, NN4GOptions, GMMConvOptions } from './conv/spatial.js';
export { dropEdge, meanPairwiseDistance } from './augment.js';
export { DeepGraphInfomax, DGIEncoder, PReLU, shuffleNodes } from './models/dgi.js';
export type { GraphEncoder } from './models/dgi.js';
