import { describe, expect, it } from 'vitest';
import { DTypeError, Generator, ShapeError, type Tensor, ValueError, add, isFinite, maskedSoftmax, mul, softmax, tensor, where, withBackend } from '../../src/index.js';

const f64 = (shape: number[], g: Generator, scale = 2): Tensor =>
  tensor(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (g.random() * 2 - 1) * scale), { shape });
const bools = (shape: number[], g: Generator, p = 0.7): Tensor =>
  tensor(Uint8Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (g.random() < p ? 1 : 0)), { shape });

/** softmax(scale·x + additive) with −∞ where keep is false, composed from ops (rows with nothing kept → 0). */
function composed(x: Tensor, axis: number, scale: number, keep: Tensor | null, additive: Tensor | null): Tensor {
  let z = mul(x, scale);
  if (additive !== null) z = add(z, additive);
  if (keep !== null) z = where(keep, z, -Infinity);
  const y = softmax(z, axis);
  return where(isFinite(y), y, 0);
}

function expectNear(a: Tensor, b: Tensor, tol = 1e-14): void {
  expect(a.shape).toEqual(b.shape);
  a.data.forEach((v, i) => expect(Math.abs(v - b.data[i]!), `element ${i}: ${v} vs ${b.data[i]}`).toBeLessThanOrEqual(tol));
}

describe('maskedSoftmax: values', () => {
  const g = new Generator(11);

  it('without a mask it is softmax(scale·x)', () => {
    const x = f64([3, 5], g);
    expectNear(maskedSoftmax(x), softmax(x));
    expectNear(maskedSoftmax(x, { scale: 0.25 }), softmax(mul(x, 0.25)));
    expectNear(maskedSoftmax(x, { axis: 0 }), softmax(x, 0));
  });

  it('keep (true = attend) and additive masks broadcast: [T, T], [N, 1, 1, T], [T, 1] along another axis', () => {
    const x = f64([2, 3, 4, 4], g);
    const causal = tensor([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0], [1, 1, 1, 1]], { dtype: 'bool' });
    expectNear(maskedSoftmax(x, { keep: causal, scale: 0.5 }), composed(x, -1, 0.5, causal, null));
    const padding = bools([2, 1, 1, 4], g);
    expectNear(maskedSoftmax(x, { keep: padding }), composed(x, -1, 1, padding, null));
    const bias = f64([3, 1, 4], g);
    expectNear(maskedSoftmax(x, { additive: bias, keep: causal, scale: 1.3 }), composed(x, -1, 1.3, causal, bias));
    const alongRows = bools([4, 1], g, 0.6);
    expectNear(maskedSoftmax(x, { axis: 2, keep: alongRows }), composed(x, 2, 1, alongRows, null));
    const scalarBias = f64([1], g);
    expectNear(maskedSoftmax(x, { additive: scalarBias }), softmax(x));
  });

  it('a row with nothing kept is all zeros (never NaN); a NaN left out by the mask does not spread', () => {
    const x = tensor([[1, 2, Number.NaN], [3, 4, 5]], { dtype: 'float64' });
    const keep = tensor([[true, true, false], [false, false, false]], { dtype: 'bool' });
    const y = maskedSoftmax(x, { keep });
    expect(y.toArray()).toEqual([[1 / (1 + Math.E), Math.E / (1 + Math.E), 0], [0, 0, 0]]);
    const allMinusInf = maskedSoftmax(tensor([[1, 2], [3, 4]], { dtype: 'float64' }), { additive: tensor([-Infinity], { dtype: 'float64' }) });
    expect(Array.from(allMinusInf.data)).toEqual([0, 0, 0, 0]);
    // A kept NaN is the caller's: it spreads over its row, as in softmax.
    const kept = maskedSoftmax(x, { keep: tensor([true], { dtype: 'bool' }) });
    expect(Array.from(kept.data.subarray(0, 3)).every(Number.isNaN)).toBe(true);
  });

  // Over a second on a busy 2-core machine: an explicit budget far above it (issue 17).
  it('float32 on every backend: js equals the reference bit for bit, wasm within float32 rounding', { timeout: 60_000 }, () => {
    const gen = new Generator(2);
    const x = tensor(Float32Array.from({ length: 4 * 2 * 32 * 32 }, () => gen.random() * 6 - 3), { shape: [4, 2, 32, 32] });
    const keep = tensor(Uint8Array.from({ length: 32 * 32 }, (_, i) => (i % 32 <= Math.floor(i / 32) ? 1 : 0)), { shape: [32, 32] });
    const additive = tensor(Float32Array.from({ length: 32 }, () => gen.random()), { shape: [32] });
    const run = (b: string) => withBackend(b, () => maskedSoftmax(x, { keep, additive, scale: 0.3 }));
    const ref = run('reference');
    expect(Array.from(run('js').data)).toEqual(Array.from(ref.data));
    run('wasm').data.forEach((v, i) => expect(Math.abs(v - ref.data[i]!)).toBeLessThanOrEqual(60 * 2 ** -24 * Math.abs(ref.data[i]!) + 2 ** -126));
  });
});

describe('maskedSoftmax: errors name the op, what it got and what it needed', () => {
  const x = tensor(new Float32Array(40), { shape: [2, 4, 5] });
  it('masks', () => {
    expect(() => maskedSoftmax(x, { keep: tensor([[1, 0, 1, 0, 1]]) })).toThrow(DTypeError);
    expect(() => maskedSoftmax(x, { keep: tensor([[1, 0, 1, 0, 1]]) })).toThrow(/maskedSoftmax: keep has dtype float32 \(shape \[1, 5\]\); need bool \(true = attend\); for a float mask use additive/);
    expect(() => maskedSoftmax(x, { additive: tensor([1, 2, 3, 4, 5], { dtype: 'float64' }) })).toThrow(/maskedSoftmax: additive has dtype float64 and the input float32; need the same dtype/);
    expect(() => maskedSoftmax(x, { keep: tensor(new Uint8Array(15), { shape: [3, 5] }) })).toThrow(ShapeError);
    expect(() => maskedSoftmax(x, { keep: tensor(new Uint8Array(15), { shape: [3, 5] }) })).toThrow(
      /maskedSoftmax: keep mask has shape \[3, 5\], not broadcastable to the input's \[2, 4, 5\]/,
    );
    expect(() => maskedSoftmax(x, { additive: tensor(new Float32Array(20), { shape: [1, 1, 4, 5] }) })).toThrow(/additive mask has shape \[1, 1, 4, 5\], not broadcastable/);
  });
  it('options', () => {
    expect(() => maskedSoftmax(x, { mask: x } as never)).toThrow(/maskedSoftmax: unknown option 'mask'; the options are axis, scale, keep, additive/);
    expect(() => maskedSoftmax(x, { scale: Number.NaN })).toThrow(/maskedSoftmax: scale must be a finite number, got NaN/);
    expect(() => maskedSoftmax(x, { axis: 3 })).toThrow(ValueError);
    expect(() => maskedSoftmax(tensor([1, 2], { dtype: 'int32' }))).toThrow(/maskedSoftmax: input has dtype int32 \(shape \[2\]\); need float32 or float64/);
    expect(() => maskedSoftmax(tensor(1))).toThrow(/maskedSoftmax: input is a scalar/);
  });
});
