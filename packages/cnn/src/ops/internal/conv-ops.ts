import {
  type Conv2dGeometry,
  type Tensor,
  conv2dBackwardBias,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  conv2dOutputShape,
  type Op,
  defineOp,
} from '@dl/tensor';
import { sum } from '@dl/tensor';
import { emptyLike, floats } from './args.js';

// The three linear maps of a convolution, each an op whose rules are the
// other two, so derivatives of any order stay within this closed set:
//   conv        y  = conv(x, W) (+ b)
//   convInput   dx = convᵀ(dy, W)      (the transposed convolution)
//   convWeight  dW = corr(x, dy)
// ⟨conv(x, W), dy⟩ = ⟨x, convᵀ(dy, W)⟩ = ⟨W, corr(x, dy)⟩ gives every rule:
// each is the same trilinear form differentiated in another argument.

function inputShape(g: Conv2dGeometry): number[] {
  return [g.batch, g.inChannels, g.height, g.width];
}

function weightShape(g: Conv2dGeometry): number[] {
  return [g.outChannels, g.inChannels / g.groups, g.kernelH, g.kernelW];
}

/** y = conv(x, W) + b: `[x, weight]` or `[x, weight, bias]`, geometry as attributes. */
export const convOp: Op<Conv2dGeometry> = defineOp<Conv2dGeometry>({
  name: 'conv2d',
  forward: ([x, w, b], g) => {
    const y = emptyLike(x!.dtype, conv2dOutputShape(g));
    conv2dForward({ geometry: g, x: floats(x!), weight: floats(w!), bias: b === undefined ? null : floats(b), out: y.data });
    return y.tensor;
  },
  backward: [
    (gy, { inputs: [, w], attrs: g }) => convInputOp([gy, w!], g),
    (gy, { inputs: [x], attrs: g }) => convWeightOp([x!, gy], g),
    (gy) => sum(gy, [0, 2, 3]),
  ],
  fastBackward: (gy, { inputs: [x, w, b], attrs: g }, needs) => {
    const dy = floats(gy);
    let dx: Tensor | null = null;
    let dw: Tensor | null = null;
    let db: Tensor | null = null;
    if (needs[0]) {
      const t = emptyLike(x!.dtype, inputShape(g));
      conv2dBackwardInput({ geometry: g, gradOut: dy, weight: floats(w!), gradIn: t.data });
      dx = t.tensor;
    }
    const wantBias = b !== undefined && needs[2] === true;
    if (needs[1]) {
      const t = emptyLike(x!.dtype, weightShape(g));
      const tb = wantBias ? emptyLike(x!.dtype, [g.outChannels]) : null;
      // One pass over dy gives both (the kernel sums the bias gradient as it goes).
      conv2dBackwardWeight({ geometry: g, x: floats(x!), gradOut: dy, gradWeight: t.data, gradBias: tb === null ? null : tb.data });
      dw = t.tensor;
      db = tb === null ? null : tb.tensor;
    } else if (wantBias) {
      const [, , oh, ow] = conv2dOutputShape(g);
      const tb = emptyLike(x!.dtype, [g.outChannels]);
      conv2dBackwardBias({ gradOut: dy, batch: g.batch, channels: g.outChannels, plane: oh * ow, gradBias: tb.data });
      db = tb.tensor;
    }
    return b === undefined ? [dx, dw] : [dx, dw, db];
  },
});

/**
 * dx = convᵀ(dy, W): the input gradient of the convolution `g` describes,
 * and the forward of a transposed convolution (`g.height`/`g.width` are its
 * output size, output padding included). Inputs `[dy, weight]`.
 */
export const convInputOp: Op<Conv2dGeometry> = defineOp<Conv2dGeometry>({
  name: 'convTranspose2d',
  forward: ([dy, w], g) => {
    const dx = emptyLike(dy!.dtype, inputShape(g));
    conv2dBackwardInput({ geometry: g, gradOut: floats(dy!), weight: floats(w!), gradIn: dx.data });
    return dx.tensor;
  },
  backward: [
    (gg, { inputs: [, w], attrs: g }) => convOp([gg, w!], g),
    (gg, { inputs: [dy], attrs: g }) => convWeightOp([gg, dy!], g),
  ],
  fastBackward: (gg, { inputs: [dy, w], attrs: g }, needs) => {
    const ggd = floats(gg);
    let gdy: Tensor | null = null;
    let gw: Tensor | null = null;
    if (needs[0]) {
      const t = emptyLike(gg.dtype, conv2dOutputShape(g));
      conv2dForward({ geometry: g, x: ggd, weight: floats(w!), bias: null, out: t.data });
      gdy = t.tensor;
    }
    if (needs[1]) {
      const t = emptyLike(gg.dtype, weightShape(g));
      conv2dBackwardWeight({ geometry: g, x: ggd, gradOut: floats(dy!), gradWeight: t.data });
      gw = t.tensor;
    }
    return [gdy, gw];
  },
});

/** dW = corr(x, dy): the weight gradient of the convolution `g` describes. Inputs `[x, dy]`. */
export const convWeightOp: Op<Conv2dGeometry> = defineOp<Conv2dGeometry>({
  name: 'conv2dWeightGrad',
  forward: ([x, dy], g) => {
    const dw = emptyLike(x!.dtype, weightShape(g));
    conv2dBackwardWeight({ geometry: g, x: floats(x!), gradOut: floats(dy!), gradWeight: dw.data });
    return dw.tensor;
  },
  backward: [
    (gw, { inputs: [, dy], attrs: g }) => convInputOp([dy!, gw], g),
    (gw, { inputs: [x], attrs: g }) => convOp([x!, gw], g),
  ],
  fastBackward: (gw, { inputs: [x, dy], attrs: g }, needs) => {
    const gwd = floats(gw);
    let gx: Tensor | null = null;
    let gdy: Tensor | null = null;
    if (needs[0]) {
      const t = emptyLike(gw.dtype, inputShape(g));
      conv2dBackwardInput({ geometry: g, gradOut: floats(dy!), weight: gwd, gradIn: t.data });
      gx = t.tensor;
    }
    if (needs[1]) {
      const t = emptyLike(gw.dtype, conv2dOutputShape(g));
      conv2dForward({ geometry: g, x: floats(x!), weight: gwd, bias: null, out: t.data });
      gdy = t.tensor;
    }
    return [gx, gdy];
  },
});
