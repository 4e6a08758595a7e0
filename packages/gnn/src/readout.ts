import { type Tensor, ValueError } from '@dl/tensor';
import { scatter } from './scatter.js';

/** A per-graph readout. */
export type Readout = 'sum' | 'mean' | 'max';

/**
 * Pools node features `x` `[N, F]` into one row per graph, `[numGraphs, F]`,
 * with `batch` (int32 `[N]`) naming each node's graph: PyG's
 * `global_{add,mean,max}_pool`. Differentiable.
 *
 * @example readout(h, b.batch, b.numGraphs, 'sum')
 */
export function readout(x: Tensor, batch: Tensor, numGraphs: number, kind: Readout = 'sum'): Tensor {
  if (kind !== 'sum' && kind !== 'mean' && kind !== 'max') throw new ValueError('readout', `kind must be 'sum', 'mean' or 'max', got ${JSON.stringify(kind)}`);
  return scatter(x, batch, numGraphs, kind);
}

/** Sum of each graph's node features, `[G, F]`. @example globalAddPool(h, batch, 4) */
export function globalAddPool(x: Tensor, batch: Tensor, numGraphs: number): Tensor {
  return readout(x, batch, numGraphs, 'sum');
}

/** Mean of each graph's node features, `[G, F]`. @example globalMeanPool(h, batch, 4) */
export function globalMeanPool(x: Tensor, batch: Tensor, numGraphs: number): Tensor {
  return readout(x, batch, numGraphs, 'mean');
}

/** Column-wise maximum of each graph's node features, `[G, F]`. @example globalMaxPool(h, batch, 4) */
export function globalMaxPool(x: Tensor, batch: Tensor, numGraphs: number): Tensor {
  return readout(x, batch, numGraphs, 'max');
}
