import { type FloatArray, type Generator, ShapeError, type Tensor, ValueError, expectNonNegative, expectOptions } from '@dl/tensor';
import { type ImageDims, checkImageBatch } from '../internal/image.js';
import { symmetricEigen } from '../internal/jacobi.js';
import { ImageAugmentation } from './augmentation.js';

/** Principal components of the RGB values of a training set (what `PcaColorJitter` needs). */
export interface PcaColorBasis {
  /** Mean RGB value. */
  mean: [number, number, number];
  /** The 3×3 covariance of RGB values over every pixel of every image. */
  covariance: number[][];
  /** Eigenvalues λ of the covariance, largest first. */
  eigenvalues: [number, number, number];
  /** `eigenvectors[i]` is the unit eigenvector pᵢ of `eigenvalues[i]`. */
  eigenvectors: [number, number, number][];
}

/**
 * Fits the PCA colour basis of AlexNet's lighting augmentation: the
 * covariance of RGB values over all pixels of `images` `[N, 3, H, W]` and
 * its eigen-decomposition (Jacobi iteration).
 *
 * @example const basis = fitPcaColor(trainImages); new PcaColorJitter(basis, { std: 0.1 })
 */
export function fitPcaColor(images: Tensor): PcaColorBasis {
  const { n, c, h, w } = checkImageBatch('fitPcaColor', images);
  if (c !== 3) throw new ShapeError('fitPcaColor', `needs RGB images [N, 3, H, W], got C = ${c}`);
  const plane = h * w;
  const count = n * plane;
  if (count < 2) throw new ValueError('fitPcaColor', `needs at least 2 pixels, got ${count}`);
  const d = images.data;
  const mean = [0, 0, 0];
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) for (let p = 0; p < plane; p++) mean[k] = mean[k]! + d[(i * 3 + k) * plane + p]!;
  for (let k = 0; k < 3; k++) mean[k] = mean[k]! / count;
  const cov = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < plane; p++) {
      const r = d[(i * 3) * plane + p]! - mean[0]!;
      const g = d[(i * 3 + 1) * plane + p]! - mean[1]!;
      const b = d[(i * 3 + 2) * plane + p]! - mean[2]!;
      const v = [r, g, b];
      for (let a = 0; a < 3; a++) for (let e = a; e < 3; e++) cov[a]![e] = cov[a]![e]! + v[a]! * v[e]!;
    }
  }
  for (let a = 0; a < 3; a++) {
    for (let e = a; e < 3; e++) {
      cov[a]![e] = cov[a]![e]! / (count - 1);
      cov[e]![a] = cov[a]![e]!;
    }
  }
  const { values, vectors } = symmetricEigen(cov);
  return {
    mean: mean as [number, number, number],
    covariance: cov,
    // Round-off can leave a tiny negative eigenvalue of a (positive semi-definite) covariance.
    eigenvalues: values.map((v) => Math.max(v, 0)) as [number, number, number],
    eigenvectors: vectors as [number, number, number][],
  };
}

/** Options of `PcaColorJitter`. */
export interface PcaColorJitterOptions {
  /** Standard deviation of the coefficients αᵢ (default 0.1, AlexNet's). */
  std?: number;
}

/**
 * AlexNet's "fancy PCA" lighting noise (Krizhevsky et al., 2012): to every
 * pixel of an image add Σᵢ αᵢ·λᵢ·pᵢ, with αᵢ ~ N(0, std²) drawn once per
 * image and (λᵢ, pᵢ) the eigenpairs of the training set's RGB covariance.
 * The added colour shift therefore has covariance std²·P·diag(λ²)·Pᵀ.
 *
 * @example new PcaColorJitter(fitPcaColor(trainImages), { std: 0.1 }).apply(x, g)
 */
export class PcaColorJitter extends ImageAugmentation {
  readonly basis: Pick<PcaColorBasis, 'eigenvalues' | 'eigenvectors'>;
  readonly std: number;

  constructor(basis: Pick<PcaColorBasis, 'eigenvalues' | 'eigenvectors'>, options: PcaColorJitterOptions = {}) {
    super();
    expectOptions('PcaColorJitter', options, ['std']);
    this.std = options.std ?? 0.1;
    expectNonNegative('PcaColorJitter', 'std', this.std);
    if (basis.eigenvalues?.length !== 3 || basis.eigenvectors?.length !== 3 || basis.eigenvectors.some((v) => v.length !== 3)) {
      const got = `${basis.eigenvalues?.length ?? 'no'} eigenvalues and eigenvectors of lengths [${(basis.eigenvectors ?? []).map((v) => v.length).join(', ')}]`;
      throw new ValueError('PcaColorJitter', `basis needs 3 eigenvalues and 3 eigenvectors of length 3 (see fitPcaColor), got ${got}`);
    }
    this.basis = basis;
  }

  protected override checkDims({ c }: ImageDims): void {
    if (c !== 3) throw new ShapeError('PcaColorJitter', `needs RGB images [N, 3, H, W], got C = ${c}`);
  }

  /** The RGB shift for coefficients `alpha`: Σᵢ αᵢ·λᵢ·pᵢ. */
  shiftFor(alpha: readonly number[]): [number, number, number] {
    const out: [number, number, number] = [0, 0, 0];
    for (let i = 0; i < 3; i++) {
      const s = alpha[i]! * this.basis.eigenvalues[i]!;
      for (let k = 0; k < 3; k++) out[k] = out[k]! + s * this.basis.eigenvectors[i]![k]!;
    }
    return out;
  }

  protected transformImage(src: FloatArray, dst: FloatArray, { h, w }: ImageDims, generator: Generator): void {
    const alpha = [generator.normal() * this.std, generator.normal() * this.std, generator.normal() * this.std];
    const shift = this.shiftFor(alpha);
    const plane = h * w;
    for (let k = 0; k < 3; k++) {
      const s = shift[k]!;
      for (let p = k * plane; p < (k + 1) * plane; p++) dst[p] = src[p]! + s;
    }
  }
}
