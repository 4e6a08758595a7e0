import { type Tensor, ValueError, indexSelect, segmentMax, segmentMean, segmentMin, segmentSum } from '@dl/tensor';

/** How messages arriving at a node are combined: `'sum'` (alias `'add'`), `'mean'`, `'max'` or `'min'`. */
export type Aggregation = 'sum' | 'add' | 'mean' | 'max' | 'min';

export const AGGREGATIONS: readonly Aggregation[] = ['sum', 'add', 'mean', 'max', 'min'];

/**
 * Gathers rows of `x` (`[N, ...]`) at `index` (int32 `[E]`): `out[e] = x[index[e]]`,
 * `[E, ...]` — the source features of every edge (`x_j`). Differentiable in x
 * (its gradient is a scatter-add).
 *
 * @example gather(x, graph.src) // [E, F]
 */
export function gather(x: Tensor, index: Tensor): Tensor {
  return indexSelect(x, 0, index);
}

/**
 * Scatters rows of `src` (`[E, ...]`) into `numSegments` rows by `index`
 * (int32 `[E]`), reducing with `reduce` (as `torch_scatter.scatter`):
 * `out[i] = ⊕_{e: index[e] = i} src[e]`, `[numSegments, ...]`. Empty rows are 0.
 * Differentiable (the max/min gradient goes to the arg-extreme entries, split
 * on ties). Runs on the core's segment kernels.
 *
 * @example scatter(messages, graph.dst, graph.numNodes, 'mean')
 */
export function scatter(src: Tensor, index: Tensor, numSegments: number, reduce: Aggregation = 'sum'): Tensor {
  switch (reduce) {
    case 'sum':
    case 'add':
      return segmentSum(src, index, numSegments);
    case 'mean':
      return segmentMean(src, index, numSegments);
    case 'max':
      return segmentMax(src, index, numSegments).values;
    case 'min':
      return segmentMin(src, index, numSegments).values;
    default:
      throw new ValueError('scatter', `reduce must be one of ${AGGREGATIONS.join(', ')}, got ${JSON.stringify(reduce)}`);
  }
}
