// Test-local differentiable ops over @dl/tensor's convolution and pooling
// kernels (not a test file itself). @dl/cnn will own the real ops; these
// exist to show the kernels carry first and second derivatives: every rule
// calls a kernel through an op that is itself differentiable.
//
//   conv(x, W, b)            VJPs: convInput(g, W), convWeight(x, g), Σ g
//   convInput(g, W)  = Aᵀg   VJPs: conv(u, W), convWeight(u, g)        (bilinear: the adjoint of conv in x)
//   convWeight(x, g) = Bᵀg   VJPs: convInput(g, V), conv(x, V)         (bilinear: the adjoint of conv in W)
//   maxPool(x) → values, indices;  values' VJP maxScatter(g, idx); maxScatter's VJP maxGather(u, idx) and back
//   avgPool ↔ avgPoolBack, adaptive ↔ adaptiveBack: linear maps and their adjoints
import {
  type AdaptivePool2dGeometry,
  type Conv2dGeometry,
  type ConvArray,
  type MultiOp,
  type Op,
  type Pool2dGeometry,
  Tensor,
  adaptiveAvgPool2dBackward,
  adaptiveAvgPool2dForward,
  allocStorage,
  avgPool2dBackward,
  avgPool2dForward,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  conv2dOutputShape,
  defineMultiOutputOp,
  defineOp,
  maxPool2dBackward,
  maxPool2dForward,
  pool2dOutputShape,
  sum,
} from '@dl/tensor';

const data = (t: Tensor): ConvArray => t.data as ConvArray;

function fresh(dtype: Tensor['dtype'], shape: readonly number[]): { out: ConvArray; tensor: Tensor } {
  const out = allocStorage(dtype, shape.reduce((a, b) => a * b, 1)) as ConvArray;
  return { out, tensor: new Tensor(out, shape) };
}

export interface ConvAttrs {
  readonly g: Conv2dGeometry;
}

function inShape(g: Conv2dGeometry): number[] {
  return [g.batch, g.inChannels, g.height, g.width];
}

function weightShape(g: Conv2dGeometry): number[] {
  return [g.outChannels, g.inChannels / g.groups, g.kernelH, g.kernelW];
}

/** y = conv(x, W) + b; inputs [x, W] or [x, W, b]. */
export const conv: Op<ConvAttrs> = defineOp<ConvAttrs>({
  name: 'testConv2d',
  forward: ([x, w, b], { g }) => {
    const { out, tensor } = fresh(x!.dtype, conv2dOutputShape(g));
    conv2dForward({ geometry: g, x: data(x!), weight: data(w!), bias: b === undefined ? null : data(b), out });
    return tensor;
  },
  backward: [
    (gy, { inputs: [, w], attrs }) => convInput([gy, w!], attrs),
    (gy, { inputs: [x], attrs }) => convWeight([x!, gy], attrs),
    (gy) => sum(gy, [0, 2, 3]),
  ],
  // First order only: all three gradients from the kernels, the bias's in the weight gradient's call.
  fastBackward: (gy, { inputs: [x, w, b], attrs: { g } }, needs) => {
    let gx: Tensor | null = null;
    if (needs[0]) {
      const r = fresh(gy.dtype, inShape(g));
      conv2dBackwardInput({ geometry: g, gradOut: data(gy), weight: data(w!), gradIn: r.out });
      gx = r.tensor;
    }
    let gw: Tensor | null = null;
    let gb: Tensor | null = null;
    if (needs[1] || needs[2]) {
      const rw = fresh(gy.dtype, weightShape(g));
      const rb = b !== undefined && needs[2] ? fresh(gy.dtype, [g.outChannels]) : null;
      conv2dBackwardWeight({ geometry: g, x: data(x!), gradOut: data(gy), gradWeight: rw.out, gradBias: rb?.out ?? null });
      gw = needs[1] ? rw.tensor : null;
      gb = rb?.tensor ?? null;
    }
    return b === undefined ? [gx, gw] : [gx, gw, gb];
  },
});

/** dx = convᵀ(g, W): the input gradient of conv (a transposed convolution); inputs [g, W]. */
export const convInput: Op<ConvAttrs> = defineOp<ConvAttrs>({
  name: 'testConv2dInput',
  forward: ([gy, w], { g }) => {
    const { out, tensor } = fresh(gy!.dtype, inShape(g));
    conv2dBackwardInput({ geometry: g, gradOut: data(gy!), weight: data(w!), gradIn: out });
    return tensor;
  },
  backward: [(u, { inputs: [, w], attrs }) => conv([u, w!], attrs), (u, { inputs: [gy], attrs }) => convWeight([u, gy!], attrs)],
});

/** dW = Σ_n g[n] · cols(x[n])ᵀ: the weight gradient of conv; inputs [x, g]. */
export const convWeight: Op<ConvAttrs> = defineOp<ConvAttrs>({
  name: 'testConv2dWeight',
  forward: ([x, gy], { g }) => {
    const { out, tensor } = fresh(x!.dtype, weightShape(g));
    conv2dBackwardWeight({ geometry: g, x: data(x!), gradOut: data(gy!), gradWeight: out });
    return tensor;
  },
  backward: [(v, { inputs: [, gy], attrs }) => convInput([gy!, v], attrs), (v, { inputs: [x], attrs }) => conv([x!, v], attrs)],
});

export interface PoolAttrs {
  readonly g: Pool2dGeometry;
}

/** [values, indices] = maxPool(x); the values carry gradients, the int32 indices none. */
export const maxPool: MultiOp<PoolAttrs> = defineMultiOutputOp<PoolAttrs>({
  name: 'testMaxPool2d',
  forward: ([x], { g }) => {
    const shape = pool2dOutputShape(g);
    const { out, tensor } = fresh(x!.dtype, shape);
    const idx = allocStorage('int32', out.length) as Int32Array;
    maxPool2dForward({ geometry: g, x: data(x!), out, indices: idx });
    return { outputs: [tensor, new Tensor(idx, shape)] };
  },
  backward: [([gv], { outputs: [, idx], attrs }) => (gv ? maxScatter([gv, idx!], attrs) : null)],
});

/** The max-pool gradient: g scattered to the argmax of each window; inputs [g, indices]. */
export const maxScatter: Op<PoolAttrs> = defineOp<PoolAttrs>({
  name: 'testMaxPool2dBackward',
  forward: ([gy, idx], { g }) => {
    const { out, tensor } = fresh(gy!.dtype, [g.batch, g.channels, g.height, g.width]);
    maxPool2dBackward({ geometry: g, gradOut: data(gy!), indices: idx!.data as Int32Array, gradIn: out });
    return tensor;
  },
  backward: [(u, { inputs: [, idx], attrs }) => maxGather([u, idx!], attrs), null],
});

/** The adjoint of maxScatter: u read at each window's argmax; inputs [u, indices]. */
export const maxGather: Op<PoolAttrs> = defineOp<PoolAttrs>({
  name: 'testMaxPool2dGather',
  forward: ([u, idx], { g }) => {
    const shape = pool2dOutputShape(g);
    const { out, tensor } = fresh(u!.dtype, shape);
    const ud = data(u!);
    const id = idx!.data as Int32Array;
    const per = shape[2] * shape[3];
    const plane = g.height * g.width;
    for (let j = 0; j < out.length; j++) out[j] = ud[Math.floor(j / per) * plane + id[j]!]!;
    return tensor;
  },
  backward: [(v, { inputs: [, idx], attrs }) => maxScatter([v, idx!], attrs), null],
});

export interface AvgAttrs {
  readonly g: Pool2dGeometry;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
}

export const avgPool: Op<AvgAttrs> = defineOp<AvgAttrs>({
  name: 'testAvgPool2d',
  forward: ([x], a) => {
    const { out, tensor } = fresh(x!.dtype, pool2dOutputShape(a.g));
    avgPool2dForward({ geometry: a.g, x: data(x!), out, countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride });
    return tensor;
  },
  backward: [(gy, { attrs }) => avgPoolBack([gy], attrs)],
});

export const avgPoolBack: Op<AvgAttrs> = defineOp<AvgAttrs>({
  name: 'testAvgPool2dBackward',
  forward: ([gy], a) => {
    const { out, tensor } = fresh(gy!.dtype, [a.g.batch, a.g.channels, a.g.height, a.g.width]);
    avgPool2dBackward({ geometry: a.g, gradOut: data(gy!), gradIn: out, countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride });
    return tensor;
  },
  backward: [(u, { attrs }) => avgPool([u], attrs)],
});

export interface AdaptiveAttrs {
  readonly g: AdaptivePool2dGeometry;
}

export const adaptivePool: Op<AdaptiveAttrs> = defineOp<AdaptiveAttrs>({
  name: 'testAdaptiveAvgPool2d',
  forward: ([x], { g }) => {
    const { out, tensor } = fresh(x!.dtype, [g.batch, g.channels, g.outH, g.outW]);
    adaptiveAvgPool2dForward({ geometry: g, x: data(x!), out });
    return tensor;
  },
  backward: [(gy, { attrs }) => adaptivePoolBack([gy], attrs)],
});

export const adaptivePoolBack: Op<AdaptiveAttrs> = defineOp<AdaptiveAttrs>({
  name: 'testAdaptiveAvgPool2dBackward',
  forward: ([gy], { g }) => {
    const { out, tensor } = fresh(gy!.dtype, [g.batch, g.channels, g.height, g.width]);
    adaptiveAvgPool2dBackward({ geometry: g, gradOut: data(gy!), gradIn: out });
    return tensor;
  },
  backward: [(u, { attrs }) => adaptivePool([u], attrs)],
});
