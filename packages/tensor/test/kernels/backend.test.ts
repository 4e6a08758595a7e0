import { afterEach, describe, expect, it } from 'vitest';
import {
  type Backend,
  ValueError,
  getBackend,
  listBackends,
  matmul,
  referenceBackend,
  registerBackend,
  setBackend,
  tensor,
  withBackend,
  wasmFeatures,
} from '../../src/index.js';

const initial = getBackend();
afterEach(() => setBackend(initial.name));

describe('backend registry', () => {
  it('defaults to the wasm backend where SIMD128 exists (Node 20 has it), unless DL_BACKEND says otherwise', () => {
    expect(getBackend().name).toBe(process.env.DL_BACKEND ?? 'wasm');
    expect(wasmFeatures().simd).toBe(true);
    expect(listBackends()).toEqual(expect.arrayContaining(['js', 'reference', 'wasm']));
  });

  it('setBackend switches the kernels ops use', () => {
    setBackend('reference');
    expect(getBackend()).toBe(referenceBackend);
    expect(Array.from(matmul(tensor([[1, 2]]), tensor([[3], [4]])).data)).toEqual([11]);
  });

  it('withBackend restores the previous backend, even when fn throws', () => {
    expect(withBackend('reference', () => getBackend().name)).toBe('reference');
    expect(getBackend()).toBe(initial);
    expect(() =>
      withBackend('reference', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(getBackend()).toBe(initial);
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
    expect(getBackend()).toBe(initial);
  });
});
