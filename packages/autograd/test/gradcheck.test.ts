import { DTypeError, type Tensor, ValueError, defineOp, exp, mul, sum, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { GradcheckError, gradcheck, gradgradcheck } from '../src/index.js';
import { rng, uni } from './helpers.js';

/** x³ with a chosen backward rule. */
const cube = (rule: (g: Tensor, x: Tensor) => Tensor) =>
  defineOp<void>({
    name: 'cube',
    forward: ([x]) => mul(mul(x!, x!), x!),
    backward: [(g, { inputs: [x] }) => rule(g, x!)],
  });

const right = cube((g, x) => mul(g, mul(mul(x, x), 3)));
const wrong = cube((g, x) => mul(g, mul(mul(x, x), 2.9)));
// Right first derivative, but computed from a detached x: its own derivative is lost.
const firstOrderOnly = cube((g, x) => mul(g, mul(mul(x.detach(), x.detach()), 3)));

describe('gradcheck', () => {
  const x = () => uni(rng(1), [2, 3], 0.5, 1.5);

  it('passes a correct custom VJP', () => {
    expect(gradcheck((t) => right([t], undefined), [x()])).toBe(true);
  });

  it('detects a deliberately wrong VJP, naming input, element and both values', () => {
    expect(() => gradcheck((t) => wrong([t], undefined), [x()])).toThrow(GradcheckError);
    expect(() => gradcheck((t) => wrong([t], undefined), [x()])).toThrow(
      /gradcheck: Jacobian mismatch for output 0 element \d+ w\.r\.t\. input 0 \(shape \[2, 3\]\) element \d+: analytic [-\d.e]+, numeric [-\d.e]+/,
    );
    expect(gradcheck((t) => wrong([t], undefined), [x()], { raiseException: false })).toBe(false);
  });

  it('detects a missing gradient (a rule that returns zeros)', () => {
    const dropped = defineOp<void>({ name: 'dropped', forward: ([a]) => exp(a!), backward: [(g) => mul(g, 0)] });
    expect(gradcheck((t) => dropped([t], undefined), [x()], { raiseException: false })).toBe(false);
  });

  it('detects an unrecorded dependency (no rule for an input that matters)', () => {
    const partial = defineOp<void>({ name: 'partial', forward: ([a, b]) => mul(a!, b!), backward: [(g, { inputs: [, b] }) => mul(g, b!), null] });
    expect(gradcheck((a, b) => partial([a, b], undefined), [x(), x()], { raiseException: false })).toBe(false);
    expect(gradcheck((a, b) => partial([a, b], undefined), [x(), x()], { wrt: [0] })).toBe(true);
  });

  it('checks every output of a multi-output function', () => {
    expect(gradcheck((t) => [exp(t), right([t], undefined)], [x()])).toBe(true);
    expect(gradcheck((t) => [exp(t), wrong([t], undefined)], [x()], { raiseException: false })).toBe(false);
  });

  it('rejects float32 inputs with a clear error', () => {
    expect(() => gradcheck((t) => exp(t), [tensor([1, 2])], { wrt: [0] })).toThrow(DTypeError);
    expect(() => gradcheck((t) => exp(t), [tensor([1, 2])], { wrt: [0] })).toThrow(
      /gradcheck: input 0 has dtype float32; finite differences need float64 \(use \.to\('float64'\)\)/,
    );
    expect(() => gradcheck((t) => exp(t), [tensor([1, 2])])).toThrow(DTypeError);
    expect(() => gradcheck((t) => exp(t), [tensor([1, 2])])).toThrow(/gradcheck: no float64 input to check \(input dtypes: float32\); finite differences need float64/);
  });

  it('refuses bad options', () => {
    expect(() => gradcheck((t) => exp(t), [x()], { eps: -1 })).toThrow(ValueError);
    expect(() => gradcheck((t) => exp(t), [x()], { atol: Number.NaN })).toThrow(/gradcheck: atol must be a finite non-negative number, got NaN/);
    expect(() => gradcheck((t) => exp(t), [x()], { wrt: [3] })).toThrow(/gradcheck: wrt index 3 is out of range for 1 inputs/);
  });

  it('leaves the inputs untouched', () => {
    const t = x();
    const before = Array.from(t.data);
    gradcheck((u) => sum(mul(u, u)), [t]);
    expect(Array.from(t.data)).toEqual(before);
    expect(t.requiresGrad).toBe(false);
  });
});

describe('gradgradcheck', () => {
  const x = () => uni(rng(2), [3], 0.5, 1.5);

  it('passes a rule written with differentiable ops', () => {
    expect(gradgradcheck((t) => right([t], undefined), [x()])).toBe(true);
  });

  it('detects a rule whose own derivative is wrong (built from detached values)', () => {
    expect(gradcheck((t) => firstOrderOnly([t], undefined), [x()])).toBe(true);
    expect(() => gradgradcheck((t) => firstOrderOnly([t], undefined), [x()])).toThrow(GradcheckError);
  });
});
