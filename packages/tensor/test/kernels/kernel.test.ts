import { afterEach, describe, expect, it } from 'vitest';
import { type Backend, declaredKernels, defineKernel, getBackend, jsBackend, registerBackend, setBackend } from '../../src/index.js';
import { WasmMemoryFull } from '../../src/kernels/wasm/memory-full.js';

interface Args {
  readonly x: Float32Array;
  readonly out: Float32Array;
  readonly ran: string[];
}

let wasmAnswer: boolean | 'full' = true;
const double = defineKernel<Args>({
  name: 'testDouble',
  reference: ({ x, out, ran }) => {
    ran.push('reference');
    for (let i = 0; i < x.length; i++) out[i] = 2 * x[i]!;
  },
  js: ({ x, out, ran }) => {
    ran.push('js');
    for (let i = 0; i < x.length; i++) out[i] = x[i]! + x[i]!;
  },
  wasm: ({ ran }) => {
    if (wasmAnswer === 'full') throw new WasmMemoryFull('testDouble', 'no room');
    if (!wasmAnswer) return false;
    ran.push('wasm');
    return true;
  },
});

const start = getBackend().name;
afterEach(() => {
  setBackend(start);
  wasmAnswer = true;
});

function runOn(backend: string): string[] {
  setBackend(backend);
  const args = { x: new Float32Array([1, 2]), out: new Float32Array(2), ran: [] as string[] };
  double(args);
  return args.ran;
}

describe('defineKernel', () => {
  it('runs the form the active backend selects', () => {
    expect(runOn('reference')).toEqual(['reference']);
    expect(runOn('js')).toEqual(['js']);
    expect(runOn('wasm')).toEqual(['wasm']);
  });

  it('falls back to js when the wasm form declines a call or the memory is full', () => {
    wasmAnswer = false;
    expect(runOn('wasm')).toEqual(['js']);
    wasmAnswer = 'full';
    expect(runOn('wasm')).toEqual(['js']);
  });

  it('lets a custom backend override a kernel by name, and runs js for one written before the kernel existed', () => {
    const custom: Backend = { ...jsBackend, name: 'test-custom', kernels: { testDouble: (a: Args) => void a.ran.push('custom') } };
    registerBackend(custom);
    expect(runOn('test-custom')).toEqual(['custom']);
    registerBackend({ ...jsBackend, name: 'test-old' });
    expect(runOn('test-old')).toEqual(['js']);
  });

  it('keeps names unique and lists them', () => {
    expect(declaredKernels()).toContain('testDouble');
    expect(() => defineKernel<Args>({ name: 'testDouble', reference: () => {} })).toThrow(/a kernel named 'testDouble' is already declared/);
  });
});
