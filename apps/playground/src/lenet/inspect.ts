// Browser-safe (no Node.js imports): the LeNet card's worker reads drawn digits with it.
import { type AnyModule, Tensor, noGrad, softmax } from '@dl/tensor';
import { MNIST_MEAN, MNIST_STD } from '../mnist/standardize.js';
import { withSide } from './data.js';
import type { LenetModel } from './model.js';

/** The outputs of one convolution for one image: `channels` maps of `height × width`. */
export interface FeatureMaps {
  /** The layer's dotted name in the model (its state-dict prefix), e.g. `features.0`. */
  name: string;
  channels: number;
  height: number;
  width: number;
  /** `[channels, height, width]`, row-major. */
  values: Float32Array;
}

/** What LeNet makes of one image. */
export interface LenetInspection {
  /** Ten class probabilities (softmax of the logits). */
  probs: Float32Array;
  /** Every convolution's output larger than 1×1, in the order the forward pass ran them. */
  maps: FeatureMaps[];
}

/**
 * The model's convolutions, with their names: the sub-modules owning a
 * `weight` of kernels — `[out, in, kH, kW]` for `Conv2d`, `[connections, kH, kW]`
 * for the original's C3 (`ConnectionTableConv2d`).
 */
export function convolutions(model: LenetModel): Array<[string, AnyModule]> {
  return model.namedModules().filter(([, m]) => m.namedParameters(false).some(([n, p]) => n === 'weight' && p.ndim >= 3));
}

/**
 * Classifies one 28×28 image (pixels in [0, 1], ink = 1, e.g. a drawing
 * prepared by `mnistFromDrawing`) and records each convolution's output with
 * forward hooks, removed again before returning. Runs in evaluation mode,
 * without a graph; leaves the model's mode as it found it.
 *
 * @example const { probs, maps } = inspectLenet(model, 28, pixels);
 */
export function inspectLenet(model: LenetModel, side: 28 | 32, pixels: Float32Array): LenetInspection {
  if (pixels.length !== 784) throw new RangeError(`inspectLenet: expected 784 pixels (28×28), got ${pixels.length}`);
  const standardized = Float32Array.from(pixels, (v) => (v - MNIST_MEAN) / MNIST_STD);
  const input = withSide({ inputs: standardized, labels: new Int32Array(1), count: 1, features: 784 }, side).inputs;
  const maps: FeatureMaps[] = [];
  const handles = convolutions(model).map(([name, m]) =>
    (m as unknown as { registerForwardHook(h: (mod: unknown, args: unknown, out: Tensor) => void): { remove(): void } }).registerForwardHook((_m, _a, out) => {
      const [, c, h, w] = out.shape;
      // A convolution to 1×1 (the original's C5) is a vector, not a picture.
      if (h! * w! > 1) maps.push({ name, channels: c!, height: h!, width: w!, values: Float32Array.from(out.data as Float32Array) });
    }),
  );
  const wasTraining = model.training;
  model.eval();
  try {
    const probs = noGrad(() => softmax(model.forward(new Tensor(input, [1, 1, side, side])), 1));
    return { probs: Float32Array.from(probs.data as Float32Array), maps };
  } finally {
    for (const h of handles) h.remove();
    model.train(wasTraining);
  }
}
