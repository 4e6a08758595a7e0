// The over-smoothing curve of the `oversmooth` command, one propagation at a
// time so the card can draw each point as it comes.
import { type CoraDataset, meanPairwiseDistance, withSelfLoops } from '@dl/gnn';
import { csrMatmul } from '@dl/tensor';

/** One point of the curve. */
export interface OversmoothPoint {
  /** Propagations k (GCN layers without weights). */
  depth: number;
  /** Mean pairwise distance between ℓ2-normalised rows of Â^k X. */
  distance: number;
}

/**
 * Yields the mean pairwise distance of Â^k X for k = 0, 1, …, `maxDepth`
 * (Â = D^-½ (A + I) D^-½), on the same `sample` nodes at every depth: as
 * layers are added the rows of every connected component collapse toward one
 * vector and the distance falls toward that of the components' means.
 *
 * @example for (const p of oversmoothingCurve(cora, 32, 300)) draw(p);
 */
export function* oversmoothingCurve(cora: CoraDataset, maxDepth: number, sample: number): IterableIterator<OversmoothPoint> {
  if (!Number.isInteger(maxDepth) || maxDepth < 0) throw new RangeError(`oversmoothingCurve: maxDepth must be a whole number ≥ 0, got ${maxDepth}`);
  const A = withSelfLoops(cora.graph).normalizedAdjacency('sym');
  let h = cora.graph.x!;
  for (let depth = 0; depth <= maxDepth; depth++) {
    if (depth > 0) h = csrMatmul(A, h);
    yield { depth, distance: meanPairwiseDistance(h, { normalize: true, sample }) };
  }
}
