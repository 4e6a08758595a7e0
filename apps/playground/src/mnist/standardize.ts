// Browser-safe (no Node.js imports): the playground's web workers use it too.

// MNIST's pixel mean and standard deviation over the training set.
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** Images in [0, 1] → standardized inputs. */
export function standardize(images: Float32Array): Float32Array {
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = (images[i]! - MNIST_MEAN) / MNIST_STD;
  return out;
}
