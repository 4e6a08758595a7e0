// A GAT's attention on one node, as the graph draws it.
import type { NeighbourWeight } from './protocol.js';

/**
 * The weight of each neighbour's edge into `node` in layer `layer`, the
 * self-loop left out (the graph draws no edge for it).
 *
 * @example edgeWeights([{ node: 3, weights: [0.6, 0.5] }, { node: 7, weights: [0.4, 0.5] }], 0, 3) // Map { 7 → 0.4 }
 */
export function edgeWeights(neighbours: readonly NeighbourWeight[], layer: number, node: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const n of neighbours) if (n.node !== node) out.set(n.node, n.weights[layer] ?? 0);
  return out;
}

/** Neighbours sorted by layer `layer`'s weight, largest first (ties by node number). */
export function byWeight(neighbours: readonly NeighbourWeight[], layer: number): NeighbourWeight[] {
  return [...neighbours].sort((a, b) => (b.weights[layer] ?? 0) - (a.weights[layer] ?? 0) || a.node - b.node);
}
