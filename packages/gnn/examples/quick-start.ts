// The README's example: a two-layer GCN on a small graph, one training step,
// a GAT layer's attention, a readout over a batch, and exact spectral filtering.
import { backward } from '@dl/autograd';
import { Batch, GATConv, GCNConv, Graph, chebyshevFilter, globalMeanPool, spectralFilter } from '@dl/gnn';
import { Generator, crossEntropy, noGrad, randn, relu, tensor } from '@dl/tensor';

const gen = new Generator(0);
// A 4-cycle with a chord, each edge both ways; 3 features per node.
const graph = Graph.fromEdges([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]], { x: randn([4, 3], { generator: gen }) }).toUndirected();
const labels = tensor([0, 1, 0, 1], { dtype: 'int32' });

const conv1 = new GCNConv(3, 8, { generator: gen });
const conv2 = new GCNConv(8, 2, { generator: gen });
const logits = conv2.forward(relu(conv1.forward(graph.x!, graph)), graph); // [4, 2]
const loss = crossEntropy(logits, labels);
backward(loss);
noGrad(() => {
  for (const p of [...conv1.parameters(), ...conv2.parameters()]) p.addInPlace_(p.grad!, -0.1);
});
console.log(`loss ${loss.item().toFixed(3)}, keys ${[...conv1.stateDict().keys()].join(', ')}`);

// Attention weights per edge and head, over the graph with self-loops.
const gat = new GATConv(3, 4, { heads: 2, generator: gen });
const { out, attention, graph: withLoops } = gat.forwardWithAttention(graph.x!, graph);
console.log(out.shape, attention.shape, withLoops.numEdges); // [4, 8] [14, 2] 14

// Two graphs as one batch, pooled per graph.
const batch = Batch.fromGraphs([graph, graph]);
console.log(globalMeanPool(conv1.forward(batch.graph.x!, batch.graph), batch.batch, batch.numGraphs).shape); // [2, 8]

// g(L)x exactly (eigen-decomposition) equals the Chebyshev recursion for a polynomial filter.
const x = randn([4, 1], { dtype: 'float64', generator: gen });
const theta = [0.5, -0.3, 0.2];
const exact = spectralFilter(graph, x, (l) => theta.reduce((s, t, k) => s + t * Math.cos(k * Math.acos(Math.min(1, Math.max(-1, l - 1)))), 0), 'sym');
const cheb = chebyshevFilter(graph, x, theta, 'sym', 2);
console.log(Math.max(...Array.from(exact.data, (v, i) => Math.abs(v - cheb.data[i]!))) < 1e-12); // true
