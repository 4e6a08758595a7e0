import { type FloatDType, ShapeError, Tensor, ValueError, expectInt, fmtShape, full, logicalNot, where } from '@dl/tensor';

// Every mask helper here returns a **keep** mask: bool, true where a query may
// attend a key (the convention of the core's `maskedSoftmax` and of
// `F.scaled_dot_product_attention`). `nn.MultiheadAttention`'s boolean masks
// mean the opposite (true = leave out); `MultiheadAttention` takes those as
// PyTorch does and flips them itself.

/** Options of {@link causalMask}. */
export interface CausalMaskOptions {
  /** Number of keys S (default: `length`). */
  keyLength?: number;
  /**
   * Position of the first query among the keys (default `keyLength − length`:
   * the queries are the last ones, as when decoding with a key/value cache).
   */
  offset?: number;
}

/**
 * Causal keep mask `[L, S]`: query i (at absolute position `offset + i`)
 * attends keys j ≤ offset + i.
 *
 * @example
 * causalMask(3).toArray(); // [[1,0,0],[1,1,0],[1,1,1]] as booleans
 */
export function causalMask(length: number, options: CausalMaskOptions = {}): Tensor {
  expectInt('causalMask', 'length', length, 1);
  const s = options.keyLength ?? length;
  expectInt('causalMask', 'keyLength', s, 1);
  const offset = options.offset ?? s - length;
  if (!Number.isInteger(offset)) throw new ValueError('causalMask', `offset must be an integer, got ${offset}`);
  const data = new Uint8Array(length * s);
  for (let i = 0; i < length; i++) for (let j = 0; j < s && j <= offset + i; j++) data[i * s + j] = 1;
  return new Tensor(data, [length, s]);
}

/** Options of {@link localWindowMask}. */
export interface LocalWindowMaskOptions {
  /** Only the past side of the window: keys j with i − window ≤ j ≤ i (default false: |i − j| ≤ window). */
  causal?: boolean;
}

/**
 * Local-window keep mask `[L, L]` — the notes' truncated self-attention (speech):
 * query i attends only keys j with |i − j| ≤ `window` (or i − window ≤ j ≤ i when `causal`).
 *
 * @example
 * localWindowMask(5, 1); // a band of width 3 around the diagonal
 */
export function localWindowMask(length: number, window: number, options: LocalWindowMaskOptions = {}): Tensor {
  expectInt('localWindowMask', 'length', length, 1);
  expectInt('localWindowMask', 'window', window, 0);
  const causal = options.causal ?? false;
  const data = new Uint8Array(length * length);
  for (let i = 0; i < length; i++) {
    const lo = Math.max(0, i - window);
    const hi = causal ? i : Math.min(length - 1, i + window);
    for (let j = lo; j <= hi; j++) data[i * length + j] = 1;
  }
  return new Tensor(data, [length, length]);
}

/**
 * Key-padding keep mask `[N, S]` from the true lengths of N sequences padded
 * to `keyLength`: entry (n, j) is true when j < lengths[n].
 *
 * @example
 * paddingMask([2, 3], 3); // [[1,1,0],[1,1,1]]
 */
export function paddingMask(lengths: readonly number[], keyLength: number): Tensor {
  expectInt('paddingMask', 'keyLength', keyLength, 1);
  const n = lengths.length;
  const data = new Uint8Array(n * keyLength);
  lengths.forEach((len, b) => {
    if (!Number.isInteger(len) || len < 0 || len > keyLength) {
      throw new ValueError('paddingMask', `lengths[${b}] is ${len}; need an integer from 0 to keyLength=${keyLength}`);
    }
    data.fill(1, b * keyLength, b * keyLength + len);
  });
  return new Tensor(data, [n, keyLength]);
}

/** Options of {@link adjacencyMask}. */
export interface AdjacencyMaskOptions {
  /** Let every node attend itself (default true, as GAT adds self-loops). */
  selfLoops?: boolean;
}

/**
 * Keep mask `[n, n]` of a graph: row i (the query node, the edge's target)
 * keeps column j (the key node, the edge's source) for every edge j → i given
 * as `[source, target]` pairs. Attention under this mask is a graph attention
 * layer: each node's output is a softmax-weighted sum over its in-neighbours.
 *
 * @example
 * adjacencyMask(3, [[0, 1], [1, 2]]); // node 1 attends 0 and itself, node 2 attends 1 and itself
 */
export function adjacencyMask(numNodes: number, edges: ReadonlyArray<readonly [number, number]>, options: AdjacencyMaskOptions = {}): Tensor {
  expectInt('adjacencyMask', 'numNodes', numNodes, 1);
  const data = new Uint8Array(numNodes * numNodes);
  if (options.selfLoops ?? true) for (let i = 0; i < numNodes; i++) data[i * numNodes + i] = 1;
  edges.forEach(([src, dst], e) => {
    for (const v of [src, dst]) {
      if (!Number.isInteger(v) || v < 0 || v >= numNodes) {
        throw new ValueError('adjacencyMask', `edge ${e} is [${src}, ${dst}]; need node indices from 0 to ${numNodes - 1}`);
      }
    }
    data[dst * numNodes + src] = 1;
  });
  return new Tensor(data, [numNodes, numNodes]);
}

/**
 * The additive form of a keep mask: 0 where kept, −∞ where left out, in `dtype`.
 *
 * @example
 * toAdditiveMask(causalMask(2)); // [[0, -Infinity], [0, 0]]
 */
export function toAdditiveMask(keep: Tensor, dtype: FloatDType = 'float32'): Tensor {
  if (keep.dtype !== 'bool') throw new ValueError('toAdditiveMask', `mask has dtype ${keep.dtype}; need bool (true = attend)`);
  return where(keep, full([], 0, { dtype }), full([], -Infinity, { dtype }));
}

/** PyTorch's boolean "true = leave out" mask as a keep mask (and back: the map is its own inverse). */
export function invertMask(mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new ValueError('invertMask', `mask has dtype ${mask.dtype}; need bool`);
  return logicalNot(mask);
}

/**
 * Throws unless `mask` (bool or float of the scores' dtype) broadcasts against
 * scores of shape `scores`, naming `op`, the mask's role and both shapes.
 */
export function checkMask(op: string, what: string, mask: Tensor, scores: readonly number[], scoresLabel: string, dtype?: FloatDType): void {
  if (!(mask instanceof Tensor)) throw new ValueError(op, `${what} must be a Tensor, got ${typeof mask}`);
  if (mask.dtype !== 'bool' && (mask.dtype === 'int32' || (dtype !== undefined && mask.dtype !== dtype))) {
    throw new ValueError(op, `${what} has dtype ${mask.dtype}; need bool or the query's float dtype${dtype === undefined ? '' : ` (${dtype})`}`);
  }
  const ok = mask.ndim <= scores.length && mask.shape.every((d, i) => d === 1 || d === scores[i + scores.length - mask.ndim]);
  if (!ok) {
    throw new ShapeError(op, `${what} has shape ${fmtShape(mask.shape)}; need a shape that broadcasts to the attention scores ${fmtShape(scores)} ${scoresLabel}`);
  }
}
