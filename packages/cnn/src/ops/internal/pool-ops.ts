import {
  type AdaptivePool2dGeometry,
  type Pool2dGeometry,
  Tensor,
  adaptiveAvgPool2dBackward,
  adaptiveAvgPool2dForward,
  adaptiveWindow,
  avgPool2dBackward,
  avgPool2dForward,
  defineMultiOutputOp,
  type Op,
  defineOp,
  gather,
  maxPool2dBackward,
  maxPool2dForward,
  pool2dOutputShape,
  reshape,
} from '@dl/tensor';
import { emptyLike, floats } from './args.js';

// Pooling ops over the core's kernels. Average pooling (plain and adaptive)
// is linear: its input gradient is the kernel's backward, whose own gradient
// is the forward again, so each is a pair of ops that are each other's rule.
// Max pooling's input gradient scatters through the argmax; the scatter's
// gradient gathers at the same indices.

function inShape(g: { batch: number; channels: number; height: number; width: number }): number[] {
  return [g.batch, g.channels, g.height, g.width];
}

/** Values and int32 argmax (`h·W + w` within each input plane) of max pooling. Input `[x]`. */
export const maxPoolOp = defineMultiOutputOp<Pool2dGeometry>({
  name: 'maxPool2d',
  forward: ([x], g) => {
    const shape = pool2dOutputShape(g);
    const y = emptyLike(x!.dtype, shape);
    const indices = new Int32Array(y.data.length);
    maxPool2dForward({ geometry: g, x: floats(x!), out: y.data, indices });
    return { outputs: [y.tensor, new Tensor(indices, shape)] };
  },
  backward: [([gy], { outputs: [, indices], attrs: g }) => (gy === null ? null : maxUnpoolOp([gy!, indices!], g))],
  fastBackward: ([gy], { inputs: [x], outputs: [, indices], attrs: g }) => {
    if (gy === null || gy === undefined) return [null];
    const dx = emptyLike(x!.dtype, inShape(g));
    maxPool2dBackward({ geometry: g, gradOut: floats(gy), indices: indices!.data as Int32Array, gradIn: dx.data });
    return [dx.tensor];
  },
});

/** Max pooling's values alone (inference: the kernel skips the index work). */
export function maxPoolValues(x: Tensor, g: Pool2dGeometry): Tensor {
  const y = emptyLike(x.dtype, pool2dOutputShape(g));
  maxPool2dForward({ geometry: g, x: floats(x), out: y.data, indices: null });
  return y.tensor;
}

/** The input gradient of max pooling: `gy [N, C, outH, outW]` added at its argmax into `[N, C, H, W]`. Inputs `[gy, indices]`. */
export const maxUnpoolOp: Op<Pool2dGeometry> = defineOp<Pool2dGeometry>({
  name: 'maxPool2dBackward',
  forward: ([gy, indices], g) => {
    const dx = emptyLike(gy!.dtype, inShape(g));
    maxPool2dBackward({ geometry: g, gradOut: floats(gy!), indices: indices!.data as Int32Array, gradIn: dx.data });
    return dx.tensor;
  },
  backward: [
    (gg, { inputs: [, indices], attrs: g }) => {
      const [N, C, oh, ow] = indices!.shape as [number, number, number, number];
      const picked = gather(reshape(gg, [N, C, g.height * g.width]), 2, reshape(indices!, [N, C, oh * ow]));
      return reshape(picked, [N, C, oh, ow]);
    },
    null,
  ],
});

/** Attributes of average pooling. */
export interface AvgPoolAttrs {
  readonly geometry: Pool2dGeometry;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
}

/** Average pooling (zero padding, PyTorch's divisor rules). Input `[x]`. */
export const avgPoolOp: Op<AvgPoolAttrs> = defineOp<AvgPoolAttrs>({
  name: 'avgPool2d',
  forward: ([x], a) => {
    const y = emptyLike(x!.dtype, pool2dOutputShape(a.geometry));
    avgPool2dForward({ geometry: a.geometry, x: floats(x!), out: y.data, countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride });
    return y.tensor;
  },
  backward: [(gy, { attrs }) => avgPoolBackOp([gy], attrs)],
  fastBackward: (gy, { inputs: [x], attrs: a }) => {
    const dx = emptyLike(x!.dtype, inShape(a.geometry));
    avgPool2dBackward({ geometry: a.geometry, gradOut: floats(gy), gradIn: dx.data, countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride });
    return [dx.tensor];
  },
});

/** The input gradient of average pooling (its adjoint). Input `[gy]`. */
export const avgPoolBackOp: Op<AvgPoolAttrs> = defineOp<AvgPoolAttrs>({
  name: 'avgPool2dBackward',
  forward: ([gy], a) => {
    const dx = emptyLike(gy!.dtype, inShape(a.geometry));
    avgPool2dBackward({ geometry: a.geometry, gradOut: floats(gy!), gradIn: dx.data, countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride });
    return dx.tensor;
  },
  backward: [(gg, { attrs }) => avgPoolOp([gg], attrs)],
});

function adaptiveOutShape(g: AdaptivePool2dGeometry): number[] {
  return [g.batch, g.channels, g.outH, g.outW];
}

/** Adaptive average pooling (PyTorch's windows). Input `[x]`. */
export const adaptiveAvgPoolOp: Op<AdaptivePool2dGeometry> = defineOp<AdaptivePool2dGeometry>({
  name: 'adaptiveAvgPool2d',
  forward: ([x], g) => {
    const y = emptyLike(x!.dtype, adaptiveOutShape(g));
    adaptiveAvgPool2dForward({ geometry: g, x: floats(x!), out: y.data });
    return y.tensor;
  },
  backward: [(gy, { attrs }) => adaptiveAvgPoolBackOp([gy], attrs)],
  fastBackward: (gy, { inputs: [x], attrs: g }) => {
    const dx = emptyLike(x!.dtype, inShape(g));
    adaptiveAvgPool2dBackward({ geometry: g, gradOut: floats(gy), gradIn: dx.data });
    return [dx.tensor];
  },
});

/** The input gradient of adaptive average pooling (its adjoint). Input `[gy]`. */
export const adaptiveAvgPoolBackOp: Op<AdaptivePool2dGeometry> = defineOp<AdaptivePool2dGeometry>({
  name: 'adaptiveAvgPool2dBackward',
  forward: ([gy], g) => {
    const dx = emptyLike(gy!.dtype, inShape(g));
    adaptiveAvgPool2dBackward({ geometry: g, gradOut: floats(gy!), gradIn: dx.data });
    return dx.tensor;
  },
  backward: [(gg, { attrs }) => adaptiveAvgPoolOp([gg], attrs)],
});

/** Sizes of a scatter into `[N, C, H, W]` planes. */
export interface PlaneSizes {
  readonly batch: number;
  readonly channels: number;
  readonly height: number;
  readonly width: number;
}

/**
 * `g [N, C, …]` added into zero planes `[N, C, H, W]` at `indices` (int32,
 * `h·W + w` per plane, shaped like g): the input gradient of a max over
 * windows given by their argmax. Its gradient gathers at the same indices.
 */
export const planeScatterOp: Op<PlaneSizes> = defineOp<PlaneSizes>({
  name: 'planeScatter',
  forward: ([g, indices], s) => {
    const out = emptyLike(g!.dtype, inShape(s));
    const gd = floats(g!);
    const idx = indices!.data as Int32Array;
    const plane = s.height * s.width;
    const per = g!.size / Math.max(1, s.batch * s.channels);
    const od = out.data;
    for (let p = 0; p < s.batch * s.channels; p++) {
      const base = p * plane;
      for (let q = p * per, end = q + per; q < end; q++) od[base + idx[q]!]! += gd[q]!;
    }
    return out.tensor;
  },
  backward: [
    (gg, { inputs: [g, indices], attrs: s }) => {
      const [N, C] = indices!.shape as [number, number];
      const per = indices!.size / Math.max(1, N * C);
      return reshape(gather(reshape(gg, [N, C, s.height * s.width]), 2, reshape(indices!, [N, C, per])), g!.shape);
    },
    null,
  ],
});

/**
 * Adaptive max pooling: values and int32 argmax over PyTorch's adaptive
 * windows. Ties keep the first maximum (row-major); a NaN wins its window,
 * as in PyTorch's CPU kernel. Input `[x]`.
 */
export const adaptiveMaxPoolOp = defineMultiOutputOp<AdaptivePool2dGeometry>({
  name: 'adaptiveMaxPool2d',
  forward: ([x], g) => {
    const shape = adaptiveOutShape(g);
    const y = emptyLike(x!.dtype, shape);
    const indices = new Int32Array(y.data.length);
    const xd = floats(x!);
    const { height: H, width: W, outH, outW } = g;
    const rows = Array.from({ length: outH }, (_, i) => adaptiveWindow(i, outH, H));
    const cols = Array.from({ length: outW }, (_, j) => adaptiveWindow(j, outW, W));
    let o = 0;
    for (let p = 0; p < g.batch * g.channels; p++) {
      const base = p * H * W;
      for (let i = 0; i < outH; i++) {
        const [h0, h1] = rows[i]!;
        for (let j = 0; j < outW; j++) {
          const [w0, w1] = cols[j]!;
          let best = -Infinity;
          let at = h0 * W + w0;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const v = xd[base + h * W + w]!;
              if (v > best || Number.isNaN(v)) {
                best = v;
                at = h * W + w;
              }
            }
          }
          y.data[o] = best;
          indices[o++] = at;
        }
      }
    }
    return { outputs: [y.tensor, new Tensor(indices, shape)] };
  },
  backward: [([gy], { outputs: [, indices], attrs: g }) => (gy === null ? null : planeScatterOp([gy!, indices!], g))],
});
