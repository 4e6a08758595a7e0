import { DTypeError, ShapeError, type Tensor, ValueError, describeValue, expectFloat, expectOptions, fmtShape, nearestKey, tensor } from '@dl/tensor';
import { conv2d } from './ops/conv2d.js';

/**
 * The names of the classic 3×3 edge filters: the course notes' `'vertical'` and
 * `'horizontal'` detectors, Sobel and Prewitt in x and y, and the 4- and
 * 8-neighbour Laplacians. See {@link EDGE_KERNELS} for the matrices.
 */
export type EdgeFilterName = 'vertical' | 'horizontal' | 'sobelX' | 'sobelY' | 'prewittX' | 'prewittY' | 'laplacian4' | 'laplacian8';

/** A 3×3 kernel, row by row (row 0 is the top of the window). */
export type Kernel3x3 = readonly [readonly [number, number, number], readonly [number, number, number], readonly [number, number, number]];

const frozen = (rows: [number, number, number][]): Kernel3x3 => Object.freeze(rows.map((r) => Object.freeze(r))) as unknown as Kernel3x3;

/**
 * The classic 3×3 edge kernels, row by row, in the orientation `conv2d` applies
 * them: **cross-correlation**, as PyTorch's `F.conv2d` (the kernel is not flipped),
 * so `out[i, j] = Σ_{a,b} k[a][b] · x[i + a − 1, j + b − 1]` with `'same'` padding.
 *
 * ```text
 * vertical (the notes')   horizontal (its transpose)
 *   1  0 −1                 1  1  1
 *   1  0 −1                 0  0  0
 *   1  0 −1                −1 −1 −1
 *
 * sobelX      sobelY        prewittX    prewittY
 *  −1  0  1   −1 −2 −1       −1  0  1   −1 −1 −1
 *  −2  0  2    0  0  0       −1  0  1    0  0  0
 *  −1  0  1    1  2  1       −1  0  1    1  1  1
 *
 * laplacian4   laplacian8
 *   0  1  0     1  1  1
 *   1 −4  1     1 −8  1
 *   0  1  0     1  1  1
 * ```
 *
 * Signs, which matter once a response is not squared:
 * - `vertical` is the detector of Andrew Ng's course notes: bright on the left and
 *   dark on the right gives a **positive** response (10·3 − 0·3 = 30 on a 10 | 0
 *   step). `horizontal` (its transpose): bright above, dark below is positive.
 * - Sobel and Prewitt follow the gradient convention of OpenCV, scikit-image and
 *   Kornia: `x` is positive where intensity **increases** to the right (column
 *   index up), `y` where it increases downwards (row index up). So `prewittX` is
 *   `−vertical` and `prewittY` is `−horizontal`; on the same step they give −30.
 *   Sobel's x response to a unit step is 4 (the 1–2–1 column smooths), Prewitt's 3.
 * - The Laplacians sum to 0 (no response on a constant image) and are negative at
 *   an isolated bright pixel (OpenCV's and Kornia's sign).
 */
export const EDGE_KERNELS: Readonly<Record<EdgeFilterName, Kernel3x3>> = Object.freeze({
  vertical: frozen([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
  horizontal: frozen([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
  sobelX: frozen([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
  sobelY: frozen([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),
  prewittX: frozen([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]),
  prewittY: frozen([[-1, -1, -1], [0, 0, 0], [1, 1, 1]]),
  laplacian4: frozen([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
  laplacian8: frozen([[1, 1, 1], [1, -8, 1], [1, 1, 1]]),
});

/** Every filter name, in {@link EDGE_KERNELS}' order. */
export const EDGE_FILTER_NAMES: readonly EdgeFilterName[] = Object.freeze(Object.keys(EDGE_KERNELS) as EdgeFilterName[]);

/** Options of {@link edgeKernel} and {@link edgeFilterBank}. */
export interface EdgeKernelOptions {
  /** `'float32'` (default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
}

/** Options of {@link detectEdges}. */
export interface DetectEdgesOptions {
  /**
   * `'same'` (default) pads one row/column of zeros on each side, so the output keeps
   * H×W (a non-zero image border then reads as an edge against the zeros); `'valid'`
   * pads nothing and gives (H − 2)×(W − 2).
   */
  padding?: 'same' | 'valid';
}

/** Options of {@link sobelMagnitude}. */
export interface SobelMagnitudeOptions extends DetectEdgesOptions {
  /**
   * Added under the square root (default 1e-6, Kornia's): keeps the gradient finite
   * where gx = gy = 0, at the cost of reading √eps = 0.001 there instead of 0.
   */
  eps?: number;
}

/**
 * One named 3×3 edge kernel as a `[1, 1, 3, 3]` tensor, ready as `conv2d`'s weight
 * (cross-correlation orientation; the matrices are in {@link EDGE_KERNELS}).
 *
 * @example
 * edgeKernel('vertical').toArray();  // [[[[1, 0, -1], [1, 0, -1], [1, 0, -1]]]]
 * conv2d(images, edgeKernel('sobelX'), null, { padding: 'same' }); // [N, 1, H, W] from [N, 1, H, W]
 */
export function edgeKernel(name: EdgeFilterName, options?: EdgeKernelOptions): Tensor {
  const op = 'edgeKernel';
  const dtype = parseDtype(op, options);
  return bank([checkName(op, name)], 1, dtype);
}

/**
 * Several named edge kernels stacked as a `[K, 1, 3, 3]` filter bank (K = `names.length`,
 * in that order): `conv2d(x, bank)` on a one-channel `[N, 1, H, W]` gives one
 * response map per filter, `[N, K, H, W]`.
 *
 * @example
 * const bank = edgeFilterBank(['sobelX', 'sobelY']);               // [2, 1, 3, 3]
 * conv2d(zeros([4, 1, 28, 28]), bank, null, { padding: 'same' });  // [4, 2, 28, 28]
 */
export function edgeFilterBank(names: readonly EdgeFilterName[], options?: EdgeKernelOptions): Tensor {
  const op = 'edgeFilterBank';
  const dtype = parseDtype(op, options);
  return bank(checkNames(op, names), 1, dtype);
}

/**
 * Applies one or several named edge filters to every channel of a batch of images,
 * with `conv2d` (so the result is differentiable in `x`, to any order).
 *
 * - `x`: `[N, C, H, W]`, float32 or float64 (the kernels take its dtype); several
 *   channels are filtered independently (a depthwise convolution, `groups: C`).
 * - one name → `[N, C, H', W']`, the filter's response on each channel;
 * - an array of K names → `[N, C·K, H', W']`, channel `c·K + k` holding filter `k`
 *   on input channel `c` (PyTorch's grouped layout: each channel's K maps together).
 *
 * H'×W' is H×W with `padding: 'same'` (the default; zero padding) and (H − 2)×(W − 2)
 * with `'valid'`. The kernels are {@link EDGE_KERNELS}, applied as cross-correlation.
 *
 * @example
 * const digits = zeros([8, 1, 28, 28]);
 * detectEdges(digits, 'vertical');                                         // [8, 1, 28, 28]
 * detectEdges(digits, ['sobelX', 'sobelY'], { padding: 'valid' });         // [8, 2, 26, 26]
 * detectEdges(zeros([2, 3, 32, 32]), ['prewittX', 'prewittY']);            // [2, 6, 32, 32]: R's two maps, G's, B's
 */
export function detectEdges(x: Tensor, filter: EdgeFilterName | readonly EdgeFilterName[], options?: DetectEdgesOptions): Tensor {
  const op = 'detectEdges';
  expectOptions(op, options, ['padding']);
  const padding = parsePadding(op, options?.padding);
  return applyBank(op, x, filter, padding);
}

/**
 * The Sobel gradient magnitude `√(gx² + gy² + eps)` of every channel, `[N, C, H, W]` →
 * `[N, C, H', W']`, with gx, gy the `'sobelX'` and `'sobelY'` responses (see
 * {@link detectEdges} for `padding`). On a unit step edge it reads 4 along the edge.
 * Differentiable; `eps` (default 1e-6) keeps the gradient finite on flat regions.
 *
 * @example
 * const edges = sobelMagnitude(digits);  // [N, 1, 28, 28], ≥ 0, largest on stroke boundaries
 */
export function sobelMagnitude(x: Tensor, options?: SobelMagnitudeOptions): Tensor {
  const op = 'sobelMagnitude';
  expectOptions(op, options, ['padding', 'eps']);
  const padding = parsePadding(op, options?.padding);
  const eps = options?.eps ?? 1e-6;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new ValueError(op, `eps must be a finite number ≥ 0, got ${describeValue(eps)}`);
  }
  const g = applyBank(op, x, ['sobelX', 'sobelY'], padding); // [N, 2C, H', W'], gx and gy of a channel side by side
  const [N, C2, H, W] = g.shape as [number, number, number, number];
  return g.reshape([N, C2 / 2, 2, H, W]).square().sum(2).add(eps).sqrt();
}

function applyBank(op: string, x: Tensor, filter: EdgeFilterName | readonly EdgeFilterName[], padding: 'same' | 'valid'): Tensor {
  expectFloat(op, x);
  if (x.ndim !== 4) {
    const hint = x.ndim === 2 ? ' (one image [H, W] is x.reshape([1, 1, H, W]))' : x.ndim === 3 ? ' (a batch of one-channel images [N, H, W] is x.unsqueeze(1))' : '';
    throw new ShapeError(op, `input has shape ${fmtShape(x.shape)} (rank ${x.ndim}); need [N, C, H, W]${hint}`);
  }
  const names = typeof filter === 'string' ? [checkName(op, filter)] : checkNames(op, filter);
  const [, C, H, W] = x.shape as [number, number, number, number];
  if (C === 0) throw new ShapeError(op, `input has shape ${fmtShape(x.shape)}: no channels to filter`);
  if (padding === 'valid' && (H < 3 || W < 3)) {
    throw new ShapeError(op, `input has shape ${fmtShape(x.shape)}; padding 'valid' needs H and W ≥ 3 for a 3×3 kernel (or use padding 'same')`);
  }
  const weight = bank(names, C, x.dtype as 'float32' | 'float64');
  return conv2d(x, weight, null, { padding, groups: C });
}

/** `[channels·K, 1, 3, 3]`: the K kernels repeated for each of `channels` groups. */
function bank(names: readonly EdgeFilterName[], channels: number, dtype: 'float32' | 'float64'): Tensor {
  const K = names.length;
  const data = dtype === 'float64' ? new Float64Array(channels * K * 9) : new Float32Array(channels * K * 9);
  for (let c = 0; c < channels; c++) {
    names.forEach((name, k) => data.set(EDGE_KERNELS[name].flat(), (c * K + k) * 9));
  }
  return tensor(data, { shape: [channels * K, 1, 3, 3], dtype });
}

function checkName(op: string, name: unknown): EdgeFilterName {
  if ((EDGE_FILTER_NAMES as readonly unknown[]).includes(name)) return name as EdgeFilterName;
  const guess = typeof name === 'string' ? nearestKey(name, EDGE_FILTER_NAMES) : undefined;
  const got = typeof name === 'string' ? `'${name}'` : describeValue(name);
  throw new ValueError(op, `unknown edge filter ${got}; the filters are ${EDGE_FILTER_NAMES.join(', ')}${guess === undefined ? '' : ` — did you mean '${guess}'?`}`);
}

function checkNames(op: string, names: unknown): EdgeFilterName[] {
  if (!Array.isArray(names) || names.length === 0) {
    throw new ValueError(op, `needs a filter name or a non-empty array of them (${EDGE_FILTER_NAMES.join(', ')}), got ${describeValue(names)}`);
  }
  return names.map((n) => checkName(op, n));
}

function parseDtype(op: string, options: EdgeKernelOptions | undefined): 'float32' | 'float64' {
  expectOptions(op, options, ['dtype']);
  const dtype = options?.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError(op, `dtype must be 'float32' or 'float64', got ${describeValue(dtype)}`);
  return dtype;
}

function parsePadding(op: string, padding: unknown): 'same' | 'valid' {
  if (padding === undefined || padding === 'same') return 'same';
  if (padding === 'valid') return 'valid';
  throw new ValueError(op, `padding must be 'same' or 'valid', got ${describeValue(padding)} (for other amounts, call conv2d with edgeKernel(...))`);
}
