import { getBackend } from './backend.js';
import { ValueError, safeString } from '../errors.js';
import { WasmMemoryFull } from './wasm/memory-full.js';

/**
 * The declaration of a kernel: one computation in every form, side by side.
 * `reference` is the oracle, written for obviousness; `js` (optional) is the
 * fast plain-TypeScript form, usually float32-specialized so V8 keeps it
 * monomorphic; `wasm` (optional) runs it in WebAssembly SIMD (and over the
 * worker threads, see `wasmCall().parallel`) and returns `false` for a call
 * it does not take (another dtype, too small to pay for the copies), which
 * then runs on `js`. Arguments are one typed object, so a kernel and its
 * callers agree on names and types, not on positional slots.
 */
export interface KernelDef<Args> {
  /** Unique name; a custom backend overrides the kernel by providing `kernels[name]`. */
  readonly name: string;
  readonly reference: (args: Args) => void;
  readonly js?: (args: Args) => void;
  readonly wasm?: (args: Args) => boolean;
}

/** A declared kernel: call it to run the form the active backend selects. */
export interface Kernel<Args> extends KernelDef<Args> {
  (args: Args): void;
}

const declared = new Map<string, KernelDef<never>>();

/**
 * Declares a kernel. The returned function dispatches on the active backend:
 * `reference` runs the oracle, `js` the fast TypeScript form, `wasm` the
 * WebAssembly form where it takes the call; a custom backend runs its own
 * implementation when it provides one under `kernels[name]`, and the `js`
 * form otherwise — so a backend written before a kernel existed keeps working.
 *
 * @example
 * const scale = defineKernel<{ x: Float32Array; k: number; out: Float32Array }>({
 *   name: 'scale',
 *   reference: ({ x, k, out }) => { for (let i = 0; i < x.length; i++) out[i] = x[i]! * k; },
 * });
 * scale({ x, k: 2, out });
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineKernel<Args>(def: KernelDef<Args>): Kernel<Args> {
  if (def === null || typeof def !== 'object') throw new ValueError('defineKernel', `the declaration must be an object { name, reference, js?, wasm? }, got ${safeString(def)}`);
  if (typeof def.name !== 'string' || def.name === '') throw new ValueError('defineKernel', `name must be a non-empty string, got ${safeString(def.name)}`);
  for (const key of ['reference', 'js', 'wasm'] as const) {
    const f: unknown = def[key];
    if ((key === 'reference' || f !== undefined) && typeof f !== 'function') throw new ValueError('defineKernel', `${def.name}: ${key} must be a function, got ${safeString(f)}`);
  }
  if (declared.has(def.name)) throw new ValueError('defineKernel', `a kernel named '${def.name}' is already declared`);
  declared.set(def.name, def as KernelDef<never>);
  const fast = def.js ?? def.reference;
  const { name, reference, wasm } = def;
  const run = ((args: Args): void => {
    if (args === null || typeof args !== 'object') throw new ValueError(name, `arguments must be one object of named arrays and sizes, got ${safeString(args)}`);
    const backend = getBackend();
    const own = backend.kernels?.[name] as ((a: Args) => void) | undefined;
    if (own !== undefined) {
      own(args);
      return;
    }
    switch (backend.name) {
      case 'wasm':
        if (wasm === undefined || !tryWasm(wasm, args)) fast(args);
        return;
      case 'js':
        fast(args);
        return;
      case 'reference':
        reference(args);
        return;
      default:
        fast(args);
    }
  }) as Kernel<Args>;
  // A function's own `name` is read-only to assignment: define it.
  Object.defineProperty(run, 'name', { value: name });
  return Object.assign(run, { reference, js: def.js, wasm });
}

// A call too large for the WebAssembly memory runs in JS instead of failing.
function tryWasm<Args>(wasm: (args: Args) => boolean, args: Args): boolean {
  try {
    return wasm(args);
  } catch (e) {
    if (e instanceof WasmMemoryFull) return false;
    throw e;
  }
}

/** Names of every declared kernel (for backends that want to cover them, and for tests). */
export function declaredKernels(): string[] {
  return [...declared.keys()];
}
