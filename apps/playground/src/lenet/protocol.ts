/**
 * Messages between the LeNet card (page) and its Web Worker.
 *
 * @packageDocumentation
 */
import type { BackendInfo } from '../train/backend-info.js';
import type { MnistUrls } from '../train/mnist-files.js';
import type { FeatureMaps } from './inspect.js';
import type { LenetVariant } from './model.js';

/** Page → worker. */
export type LenetToWorker =
  /** Trains a fresh modern LeNet-5 for `epochs` on the first `limit` training images (the worker downloads MNIST once). */
  | { type: 'train'; epochs: number; limit: number; urls: MnistUrls }
  /** Builds the LeNet-5 a weights file holds (either variant) and measures it on the test set. */
  | { type: 'load'; bytes: Uint8Array; name: string; urls: MnistUrls }
  /** Stops a run after the current slice; the model so far stays usable. */
  | { type: 'stop' }
  /** Reads 784 pixels in [0, 1] (a drawn digit): probabilities and every convolution's feature maps. */
  | { type: 'inspect'; id: number; pixels: Float32Array };

/** Worker → page. Typed arrays are transferred, not copied. */
export type LenetFromWorker =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'download'; loaded: number; total: number }
  | { type: 'progress'; epoch: number; epochs: number; batch: number; batches: number; loss: number; samplesPerSecond: number }
  | { type: 'epoch'; epoch: number; testAccuracy: number; seconds: number }
  /** A model is ready to read digits: trained (to the end or stopped) or loaded. */
  | { type: 'model'; variant: LenetVariant; source: 'trained' | 'stopped' | 'loaded'; name?: string; testAccuracy: number }
  | { type: 'inspected'; id: number; probs: Float32Array; maps: FeatureMaps[] }
  | { type: 'error'; message: string };
