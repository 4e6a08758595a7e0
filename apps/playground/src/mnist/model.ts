import { Generator, Linear, ReLU, Sequential } from '@dl/tensor';

/**
 * A multilayer perceptron `sizes[0] → … → sizes[n-1]` with ReLU between the
 * linear layers (none after the last: it returns logits).
 *
 * @example mlp([784, 256, 10], new Generator(0))
 */
export function mlp(sizes: readonly number[], generator: Generator): Sequential {
  const layers = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new Linear(sizes[i]!, sizes[i + 1]!, { generator }));
    if (i + 2 < sizes.length) layers.push(new ReLU());
  }
  return new Sequential(...layers);
}
