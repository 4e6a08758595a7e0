import { ShapeError, type Tensor, ValueError, add, describeValue, expectFloat, expectOptions, fmtShape, mul, reshape } from '@dl/tensor';
import { expectInput, expectSameDType } from './internal/args.js';
import { avgPoolAttrs } from './avg-pool2d.js';
import { avgPoolOp } from './internal/pool-ops.js';

/** Options of `subsample2d`. */
export interface Subsample2dOptions {
  /** Window size (default 2, LeNet-5's 2×2). */
  kernelSize?: number | [number, number];
  /** Step between windows (default: the kernel size, non-overlapping as in the paper). */
  stride?: number | [number, number];
}

/**
 * LeNet-5's trainable subsampling (LeCun et al., 1998, layers S2 and S4): the
 * **sum** of each window times a per-channel trainable coefficient, plus a
 * per-channel trainable bias — `y[n, c] = coefficient[c]·Σ_window x[n, c] + bias[c]`
 * over `[N, C, H, W]` → `[N, C, outH, outW]`. The paper: "the four inputs to a unit
 * in S2 are added, then multiplied by a trainable coefficient, and added to a
 * trainable bias"; a sum rather than a mean (the mean only rescales the
 * coefficient by the window's size). The squashing function that follows in the
 * paper is the model's, not this op's.
 *
 * @example
 * const y = subsample2d(randn([8, 6, 28, 28]), ones([6]), zeros([6])); // [8, 6, 14, 14]
 */
export function subsample2d(x: Tensor, coefficient: Tensor, bias: Tensor, options: Subsample2dOptions = {}): Tensor {
  const op = 'subsample2d';
  expectInput(op, x, 4, '[N, C, H, W]');
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ValueError(op, `options must be an object { kernelSize?, stride? }, got ${describeValue(options)}`);
  expectOptions(op, options, ['kernelSize', 'stride']);
  const C = x.shape[1]!;
  for (const [name, t] of [['coefficient', coefficient], ['bias', bias]] as const) {
    expectFloat(op, t, name);
    if (t.ndim !== 1 || t.shape[0] !== C) throw new ShapeError(op, `${name} has shape ${fmtShape(t.shape)}; need [${C}] (one per channel of the input ${fmtShape(x.shape)})`);
    expectSameDType(op, t, x, name);
  }
  const kernelSize = options.kernelSize ?? 2;
  const sums = avgPoolOp([x], avgPoolAttrs(op, x, { kernelSize, ...(options.stride === undefined ? {} : { stride: options.stride }), divisorOverride: 1 }));
  return add(mul(sums, reshape(coefficient, [1, C, 1, 1])), reshape(bias, [1, C, 1, 1]));
}
