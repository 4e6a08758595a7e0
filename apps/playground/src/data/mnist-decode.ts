/**
 * Turning a pair of MNIST IDX arrays into flat, validated typed arrays. No
 * Node.js imports: the browser playground decodes fetched bytes with it.
 *
 * @packageDocumentation
 */
import { IDX_MAGIC_IMAGES, IDX_MAGIC_LABELS, IdxFormatError, type IdxFileArray, idxToImages, idxToLabels, parseIdx } from './idx.js';

/** Which MNIST split to load: 60 000 training or 10 000 test examples. */
export type MnistSplit = 'train' | 'test';

/** Side length of an MNIST image in pixels. */
export const MNIST_SIDE = 28;

/** Number of MNIST classes (digits 0 to 9). */
export const MNIST_CLASSES = 10;

/** A decoded MNIST split. */
export interface MnistData {
  /** `count * 784` pixel intensities in [0, 1], image after image, row-major. */
  images: Float32Array;
  /** `count` digit labels in 0..9. */
  labels: Int32Array;
  count: number;
  rows: 28;
  cols: 28;
}

/**
 * Checks that an image and a label array agree and decodes them: pixels to
 * [0, 1], labels to int32 in 0..9.
 *
 * @param files - File names (or URLs) of the two arrays, used in errors.
 * @throws {@link IdxFormatError} if the images are not 28x28, a label is
 *   outside 0..9, or the two declare different example counts.
 */
export function decodeMnist(imageArray: IdxFileArray, labelArray: IdxFileArray, files: { images: string; labels: string }): MnistData {
  const imageCount = imageArray.declaredDims[0];
  const labelCount = labelArray.declaredDims[0];
  if (imageCount !== labelCount) {
    throw new IdxFormatError(
      `${files.images} / ${files.labels}`,
      `image file declares ${imageCount} images but label file declares ${labelCount} labels; expected equal counts`,
    );
  }

  const { count, rows, cols, pixels } = idxToImages(imageArray, files.images);
  if (rows !== MNIST_SIDE || cols !== MNIST_SIDE) {
    throw new IdxFormatError(
      files.images,
      `images are ${rows}x${cols}, expected ${MNIST_SIDE}x${MNIST_SIDE} (shape found ${`[${imageArray.declaredDims.join(', ')}]`})`,
    );
  }
  const rawLabels = idxToLabels(labelArray, files.labels).labels;

  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = (pixels[i] ?? 0) / 255;

  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = rawLabels[i] ?? 0;
    // A byte outside 0..9 would silently index past a 10-way one-hot or softmax later.
    if (label >= MNIST_CLASSES) {
      throw new IdxFormatError(files.labels, `label ${label} at index ${i} is outside 0..${MNIST_CLASSES - 1}`);
    }
    labels[i] = label;
  }

  return { images, labels, count, rows: MNIST_SIDE, cols: MNIST_SIDE };
}

/**
 * Parses the complete bytes of an MNIST image file and label file (as
 * fetched by the browser playground).
 *
 * @param limit - Keep only the first `limit` examples.
 * @throws As {@link decodeMnist}, and on malformed IDX bytes.
 */
export function parseMnistBytes(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  names: { images: string; labels: string },
  limit?: number,
): MnistData {
  const full = (bytes: Uint8Array, source: string, magic: number): IdxFileArray => {
    const array = parseIdx(bytes, source, magic);
    const count = limit === undefined ? array.dims[0]! : Math.min(limit, array.dims[0]!);
    const itemBytes = array.data.length / Math.max(1, array.dims[0]!);
    return { ...array, declaredDims: array.dims, dims: [count, ...array.dims.slice(1)], data: array.data.subarray(0, count * itemBytes) };
  };
  return decodeMnist(full(imageBytes, names.images, IDX_MAGIC_IMAGES), full(labelBytes, names.labels, IDX_MAGIC_LABELS), names);
}
