import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withBackend } from '../../src/index.js';
import {
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
} from '../../src/kernels/conv/conv2d.js';
import { type Conv2dGeometry, type ConvArray, conv2dGeometry, conv2dOutputSize, pool2dGeometry } from '../../src/kernels/conv/geometry.js';
import {
  adaptiveAvgPool2dBackward,
  adaptiveAvgPool2dForward,
  avgPool2dBackward,
  avgPool2dForward,
  maxPool2dBackward,
  maxPool2dForward,
} from '../../src/kernels/conv/pool2d.js';
import { abs } from './conv-harness.js';

// PyTorch's own results (tools/golden_conv_pool.py, torch 1.13) for the same
// inputs, on every backend. Float64: within 1e-10·(1 + |torch|). Float32:
// torch and dl each sum in float32 in their own order, so each is within
// (terms + 2)·u·S of the exact value (S = Σ|products|, from dl's reference on
// absolute values; u = 2⁻²⁴): they may differ by twice that, plus u·|torch|
// for rounding the result. Max pooling is exact: values, argmax, gradients.

interface Arr {
  shape: number[];
  data: number[];
}

interface ConvCase {
  id: string;
  dtype: 'float32' | 'float64';
  geometry: Conv2dGeometry;
  x: Arr;
  weight: Arr;
  bias: Arr | null;
  gradOutput: Arr;
  output: Arr;
  gradInput: Arr;
  gradWeight: Arr;
  gradBias: Arr | null;
}

interface ConvTCase {
  id: string;
  dtype: 'float32' | 'float64';
  stride: [number, number];
  padding: [number, number];
  outputPadding: [number, number];
  dilation: [number, number];
  groups: number;
  input: Arr;
  weight: Arr;
  output: Arr;
}

interface PoolCase {
  id: string;
  dtype: 'float32' | 'float64';
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation?: [number, number];
  ceilMode: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
  input: Arr;
  output: Arr;
  indices?: Arr;
  gradOutput: Arr;
  gradInput: Arr;
}

interface AdaptiveCase {
  id: string;
  dtype: 'float32' | 'float64';
  outputSize: [number, number];
  input: Arr;
  output: Arr;
  gradOutput: Arr;
  gradInput: Arr;
}

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/conv-pool.json', import.meta.url), 'utf8')) as {
  torch: string;
  conv2d: ConvCase[];
  convTranspose2d: ConvTCase[];
  maxPool2d: PoolCase[];
  avgPool2d: PoolCase[];
  adaptiveAvgPool2d: AdaptiveCase[];
};

const BACKENDS = ['reference', 'js', 'wasm'] as const;

function typed(a: Arr, dtype: 'float32' | 'float64'): ConvArray {
  return dtype === 'float32' ? Float32Array.from(a.data) : Float64Array.from(a.data);
}

function zeros(a: Arr, dtype: 'float32' | 'float64'): ConvArray {
  return dtype === 'float32' ? new Float32Array(a.data.length) : new Float64Array(a.data.length);
}

/** Compares to torch: float64 to 1e-10 relative-ish, float32 within the two-sided sum bound of `terms` products with magnitudes `s`. */
function expectClose(what: string, dtype: 'float32' | 'float64', got: ArrayLike<number>, want: Arr, s: ArrayLike<number> | null, terms: number): void {
  expect(got.length, `${what}: length`).toBe(want.data.length);
  for (let i = 0; i < got.length; i++) {
    const w = want.data[i]!;
    const bound = dtype === 'float64' ? 1e-10 * (1 + Math.abs(w)) : 2 ** -24 * (Math.abs(w) + 2.02 * (terms + 2) * s![i]!);
    const err = Math.abs(got[i]! - w);
    if (!(err <= bound)) expect.fail(`${what}[${i}]: got ${got[i]}, torch ${w} (|diff| ${err} > ${bound})`);
  }
}

describe(`convolution against PyTorch ${fixtures.torch}`, () => {
  it('has the promised cases: groups 2, depthwise, dilation 2, stride 2 with padding, 1×1, in both precisions', () => {
    const ids = new Set(fixtures.conv2d.map((c) => c.id));
    for (const id of ['groups2', 'depthwise', 'dilation2', 'stride2-pad1', '1x1']) expect(ids.has(id)).toBe(true);
    expect(fixtures.conv2d.length).toBeGreaterThanOrEqual(12);
    expect(fixtures.convTranspose2d.length).toBeGreaterThanOrEqual(4);
  });

  for (const c of fixtures.conv2d) {
    it(`conv2d ${c.id} (${c.dtype}): output and input, weight and bias gradients, every backend`, () => {
      const g = conv2dGeometry(c.geometry);
      const [oh, ow] = conv2dOutputSize(g);
      const dt = c.dtype;
      const x = typed(c.x, dt);
      const w = typed(c.weight, dt);
      const b = c.bias && typed(c.bias, dt);
      const dy = typed(c.gradOutput, dt);
      // S for the float32 bound: dl's reference on absolute values.
      const s = {
        y: new Float64Array(c.output.data.length),
        dx: new Float64Array(x.length),
        dw: new Float64Array(w.length),
        db: new Float64Array(g.outChannels),
      };
      if (dt === 'float32') {
        conv2dForward.reference({ geometry: g, x: abs(x), weight: abs(w), bias: b && abs(b), out: s.y });
        conv2dBackwardInput.reference({ geometry: g, gradOut: abs(dy), weight: abs(w), gradIn: s.dx });
        conv2dBackwardWeight.reference({ geometry: g, x: abs(x), gradOut: abs(dy), gradWeight: s.dw, gradBias: s.db });
      }
      const kk = g.kernelH * g.kernelW;
      const cg = g.inChannels / g.groups;
      const og = g.outChannels / g.groups;
      for (const backend of BACKENDS) {
        withBackend(backend, () => {
          const y = zeros(c.output, dt);
          conv2dForward({ geometry: g, x, weight: w, bias: b, out: y });
          expectClose(`${backend} output`, dt, y, c.output, s.y, cg * kk + 1);
          const dx = zeros(c.gradInput, dt);
          conv2dBackwardInput({ geometry: g, gradOut: dy, weight: w, gradIn: dx });
          expectClose(`${backend} gradInput`, dt, dx, c.gradInput, s.dx, og * kk + kk);
          const dw = zeros(c.gradWeight, dt);
          const db = c.gradBias ? zeros(c.gradBias, dt) : null;
          conv2dBackwardWeight({ geometry: g, x, gradOut: dy, gradWeight: dw, gradBias: db });
          expectClose(`${backend} gradWeight`, dt, dw, c.gradWeight, s.dw, g.batch * oh * ow);
          if (db) expectClose(`${backend} gradBias`, dt, db, c.gradBias!, s.db, g.batch * oh * ow);
        });
      }
    });
  }

  for (const c of fixtures.convTranspose2d) {
    it(`conv_transpose2d ${c.id} (${c.dtype}) as the input gradient of the convolution it transposes, every backend`, () => {
      const [n, o, h, w] = c.input.shape as [number, number, number, number];
      const [, cOut, H, W] = c.output.shape as [number, number, number, number];
      const [, , kh, kw] = c.weight.shape as [number, number, number, number];
      // The transposed convolution's output size (with output_padding) is the convolution's input size.
      const g = conv2dGeometry({
        batch: n,
        inChannels: cOut,
        height: H,
        width: W,
        outChannels: o,
        kernelH: kh,
        kernelW: kw,
        strideH: c.stride[0],
        strideW: c.stride[1],
        padH: c.padding[0],
        padW: c.padding[1],
        dilationH: c.dilation[0],
        dilationW: c.dilation[1],
        groups: c.groups,
      });
      expect(conv2dOutputSize(g)).toEqual([h, w]);
      const dt = c.dtype;
      const input = typed(c.input, dt);
      const weight = typed(c.weight, dt);
      const s = new Float64Array(c.output.data.length);
      conv2dBackwardInput.reference({ geometry: g, gradOut: abs(input), weight: abs(weight), gradIn: s });
      for (const backend of BACKENDS) {
        withBackend(backend, () => {
          const out = zeros(c.output, dt);
          conv2dBackwardInput({ geometry: g, gradOut: input, weight, gradIn: out });
          expectClose(`${backend} output`, dt, out, c.output, s, (o / c.groups) * kh * kw + kh * kw);
        });
      }
    });
  }
});

function poolGeometry(c: PoolCase) {
  const [n, ch, h, w] = c.input.shape as [number, number, number, number];
  return pool2dGeometry({
    batch: n,
    channels: ch,
    height: h,
    width: w,
    kernelH: c.kernel[0],
    kernelW: c.kernel[1],
    strideH: c.stride[0],
    strideW: c.stride[1],
    padH: c.padding[0],
    padW: c.padding[1],
    dilationH: c.dilation?.[0] ?? 1,
    dilationW: c.dilation?.[1] ?? 1,
    ceilMode: c.ceilMode,
  });
}

describe(`pooling against PyTorch ${fixtures.torch}`, () => {
  for (const c of fixtures.maxPool2d) {
    it(`max_pool2d ${c.id} (${c.dtype}): values, indices and gradient exactly, every backend`, () => {
      const g = poolGeometry(c);
      const dt = c.dtype;
      for (const backend of BACKENDS) {
        withBackend(backend, () => {
          const out = zeros(c.output, dt);
          const indices = new Int32Array(c.output.data.length);
          maxPool2dForward({ geometry: g, x: typed(c.input, dt), out, indices });
          expect(Array.from(out), `${backend} output`).toEqual(c.output.data);
          expect(Array.from(indices), `${backend} indices`).toEqual(c.indices!.data);
          const gradIn = zeros(c.gradInput, dt);
          maxPool2dBackward({ geometry: g, gradOut: typed(c.gradOutput, dt), indices, gradIn });
          // Overlapping windows' gradients meet at a shared argmax and add in output order, as in torch.
          expect(Array.from(gradIn), `${backend} gradInput`).toEqual(c.gradInput.data);
        });
      }
    });
  }

  for (const c of fixtures.avgPool2d) {
    it(`avg_pool2d ${c.id} (${c.dtype}): output and gradient, every backend`, () => {
      const g = poolGeometry(c);
      const dt = c.dtype;
      const d = { countIncludePad: c.countIncludePad!, divisorOverride: c.divisorOverride ?? null };
      const x = typed(c.input, dt);
      const dy = typed(c.gradOutput, dt);
      const sy = new Float64Array(c.output.data.length);
      const sdx = new Float64Array(c.gradInput.data.length);
      avgPool2dForward.reference({ geometry: g, x: abs(x), out: sy, ...d });
      avgPool2dBackward.reference({ geometry: g, gradOut: abs(dy), gradIn: sdx, ...d });
      const overlap = Math.ceil(g.kernelH / g.strideH) * Math.ceil(g.kernelW / g.strideW) + 1;
      for (const backend of BACKENDS) {
        withBackend(backend, () => {
          const out = zeros(c.output, dt);
          avgPool2dForward({ geometry: g, x, out, ...d });
          expectClose(`${backend} output`, dt, out, c.output, sy, g.kernelH * g.kernelW + 1);
          const gradIn = zeros(c.gradInput, dt);
          avgPool2dBackward({ geometry: g, gradOut: dy, gradIn, ...d });
          expectClose(`${backend} gradInput`, dt, gradIn, c.gradInput, sdx, overlap);
        });
      }
    });
  }

  for (const c of fixtures.adaptiveAvgPool2d) {
    it(`adaptive_avg_pool2d ${c.id} (${c.dtype}): output and gradient, every backend`, () => {
      const [n, ch, h, w] = c.input.shape as [number, number, number, number];
      const g = { batch: n, channels: ch, height: h, width: w, outH: c.outputSize[0], outW: c.outputSize[1] };
      const dt = c.dtype;
      const x = typed(c.input, dt);
      const dy = typed(c.gradOutput, dt);
      const sy = new Float64Array(c.output.data.length);
      const sdx = new Float64Array(c.gradInput.data.length);
      adaptiveAvgPool2dForward.reference({ geometry: g, x: abs(x), out: sy });
      adaptiveAvgPool2dBackward.reference({ geometry: g, gradOut: abs(dy), gradIn: sdx });
      const taps = (Math.ceil(h / g.outH) + 1) * (Math.ceil(w / g.outW) + 1);
      const overlap = (Math.ceil(g.outH / h) + 1) * (Math.ceil(g.outW / w) + 1) + 1;
      for (const backend of BACKENDS) {
        withBackend(backend, () => {
          const out = zeros(c.output, dt);
          adaptiveAvgPool2dForward({ geometry: g, x, out });
          expectClose(`${backend} output`, dt, out, c.output, sy, taps + 1);
          const gradIn = zeros(c.gradInput, dt);
          adaptiveAvgPool2dBackward({ geometry: g, gradOut: dy, gradIn });
          expectClose(`${backend} gradInput`, dt, gradIn, c.gradInput, sdx, overlap);
        });
      }
    });
  }
});
