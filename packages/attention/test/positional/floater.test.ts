import { backward, gradcheck, gradgradcheck } from '@dl/autograd';
import { Generator, neg, ones, randn, sum, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { FloaterEncoding, odeRk4 } from '../../src/index.js';

const f64 = { dtype: 'float64' as const };

describe('FLOATER-style continuous encoding (ODE + RK4)', () => {
  it('odeRk4 has fourth-order accuracy on dp/dt = −p', () => {
    const err = (steps: number) => Math.abs(odeRk4((_t, p) => neg(p), ones([1], f64), 0, 1, steps).item() - Math.exp(-1));
    expect(err(10)).toBeLessThan(1e-6);
    // Halving the step divides the error by about 2⁴.
    expect(err(10) / err(20)).toBeGreaterThan(14);
    expect(err(10) / err(20)).toBeLessThan(18);
  });
  it('the table starts at p0 and each row is one RK4 integration of the network dynamics from the last', () => {
    const f = new FloaterEncoding(4, { hidden: 6, maxLen: 10, dtype: 'float64', generator: new Generator(1) });
    const table = f.table(3);
    expect(Array.from(table.data.slice(0, 4))).toEqual(Array.from(f.p0.data));
    const row1 = odeRk4((t, p) => f.dynamics(t, p), f.p0, 0, 1, 1);
    expect(Array.from(table.data.slice(4, 8))).toEqual(Array.from(row1.data));
    const y = f.forward(zeros([2, 3, 4], f64));
    expect(y.shape).toEqual([2, 3, 4]);
    backward(sum(y.mul(y)));
    expect(f.net1.weight.grad).not.toBeNull();
    expect(f.p0.grad).not.toBeNull();
    expect(() => f.forward(zeros([1, 11, 4], f64))).toThrow("FloaterEncoding: sequence of length 11 (input [1, 11, 4]) is longer than the table's 10 positions");
  });
  it('gradcheck and gradgradcheck in float64 through the solver', { timeout: 60_000 }, () => {
    const f = new FloaterEncoding(2, { hidden: 3, maxLen: 4, stepsPerPosition: 2, deltaT: 0.5, dtype: 'float64', generator: new Generator(2) });
    const p0 = randn([2], f64);
    const rhs = (t: number, p: typeof p0) => f.dynamics(t, p);
    expect(gradcheck((p) => odeRk4(rhs, p!, 0, 1, 3), [p0])).toBe(true);
    expect(gradgradcheck((p) => odeRk4(rhs, p!, 0, 1, 2), [p0])).toBe(true);
    expect(gradcheck((x) => f.forward(x!).mul(x!), [randn([1, 3, 2], f64)])).toBe(true);
  });
});
