import { afterEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  ValueError,
  getBackend,
  jsBackend,
  listBackends,
  matmul,
  referenceBackend,
  registerBackend,
  setBackend,
  tensor,
  withBackend,
} from '../../src/index.js';

afterEach(() => setBackend('js'));

describe('backend registry', () => {
  it('defaults to the js backend and lists both built-ins', () => {
    expect(getBackend()).toBe(jsBackend);
    expect(listBackends()).toEqual(expect.arrayContaining(['js', 'reference']));
  });

  it('setBackend switches the kernels ops use', () => {
    setBackend('reference');
    expect(getBackend()).toBe(referenceBackend);
    expect(Array.from(matmul(tensor([[1, 2]]), tensor([[3], [4]])).data)).toEqual([11]);
  });

  it('withBackend restores the previous backend, even when fn throws', () => {
    expect(withBackend('reference', () => getBackend().name)).toBe('reference');
    expect(getBackend()).toBe(jsBackend);
    expect(() =>
      withBackend('reference', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(getBackend()).toBe(jsBackend);
  });

  it('registerBackend makes a new backend selectable and ops route through it', () => {
    let gemmCalls = 0;
    const counting: Backend = {
      ...referenceBackend,
      name: 'counting',
      gemm: (args) => {
        gemmCalls++;
        referenceBackend.gemm(args);
      },
    };
    registerBackend(counting);
    withBackend('counting', () => matmul(tensor([[1]]), tensor([[2]])));
    expect(gemmCalls).toBe(1);
  });

  it('refuses unknown names, listing the registered ones', () => {
    expect(() => setBackend('wasm-simd')).toThrow(ValueError);
    expect(() => setBackend('wasm-simd')).toThrow(/setBackend: unknown backend 'wasm-simd'; registered: reference, js/);
    expect(getBackend()).toBe(jsBackend);
  });
});
