import { expectOptions, expectTensor } from '../checks.js';
import { isFloatDType } from '../dtype.js';
import { DTypeError, fmtShape } from '../errors.js';
import { markResident } from '../storage.js';
import { Tensor } from '../tensor.js';

/** Options of `new Parameter(...)`. */
export interface ParameterOptions {
  /** Whether the optimizer should train it (default `true`). */
  requiresGrad?: boolean;
}

/**
 * A tensor a `Module` owns and an optimizer trains: a float leaf that requires
 * grad by default. It wraps the given tensor's storage (no copy, like
 * `torch.nn.Parameter(t)`), cut off from any graph that produced it.
 *
 * @example
 * const w = new Parameter(randn([3, 4])); // w.requiresGrad === true
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, options: ParameterOptions = {}) {
    expectTensor('Parameter', data, 'data');
    expectOptions('Parameter', options, ['requiresGrad']);
    if (!isFloatDType(data.dtype)) {
      throw new DTypeError('Parameter', `data has dtype ${data.dtype} (shape ${fmtShape(data.shape)}); need float32 or float64`);
    }
    super(data.data, data.shape, { requiresGrad: options.requiresGrad ?? true });
    // Read by many products between optimizer steps: the wasm kernels may
    // keep a copy in their memory while its version does not change.
    markResident(this.data);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
