// Every public function and class of @dl/tensor, found by enumerating the
// package's exports (so a new export is covered without editing this file),
// is called with random garbage: wrong types, NaN, negative, fractional and
// huge sizes, null, strings, bigints, symbols, nested junk, next to a few
// well-formed tensors so that calls get past their first check. Each call must
// return or throw a DLError (never a TypeError or RangeError from deep inside)
// and must not hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { setGradEnabled } from '../src/grad-mode.js';
import { DLError, Generator, Linear, Parameter, Tensor, getBackend, getNumThreads, isGradEnabled, setBackend, setNumThreads, tensor, zeros } from '../src/index.js';

/** One argument: made fresh per call, so in-place functions cannot change another call's inputs. */
type Junk = () => unknown;

const constant = (v: unknown): Junk => () => v;

// Values a hostile or careless caller passes. Huge sizes are chosen so that
// any shape holding one is refused before allocation (≥ 2^33 elements):
// sizes that are valid but merely large would test the machine, not the API.
const junkValues: unknown[] = [
  undefined, null, Number.NaN, Infinity, -Infinity, 0, -0, 1, 2, 3, -1, -2, 0.5, -0.5, 1.5, -(2 ** 31) - 1, 2 ** 33, 2 ** 53, 1e300, -1e300,
  '', '1', 'float32', 'int64', 'abc', true, false, 10n, Symbol('junk'),
  [], [0], [1, 2], [-1], [-2, -2], [0.5, 2], [2 ** 33], [2 ** 20, 2 ** 20], [Number.NaN], [null], ['1'], [[1, 2], [3]], [[[1]], 2], [1, 'a', null],
  {}, { dtype: 'int64' }, { shape: [-2, -2] }, { weight_decay: 1 }, { reduction: 'avg' }, { keepDims: 'yes' }, { axis: 1.5 }, { length: -1 }, { params: 3 },
  new Float32Array(0), new Int8Array([1, 200]), new Uint32Array([7, 3e9]), new BigInt64Array([1n]), new ArrayBuffer(8), new DataView(new ArrayBuffer(4)),
  new Map([['a', 1]]), new Set([1]), new Date(0), /x/, Promise.resolve(1),
];

const tensorJunk: Junk[] = [
  () => tensor([[1, 2, 3], [4, 5, 6]]),
  () => tensor([1, -2, 3], { dtype: 'float64' }),
  () => tensor([0, 1], { dtype: 'int32' }),
  () => tensor([true, false]),
  () => tensor(2.5),
  () => zeros([0]),
  () => zeros([2, 0, 3]),
  () => tensor([[[1, 2]], [[3, 4]]]),
  () => tensor([Number.NaN, Infinity, -Infinity]),
  () => new Parameter(tensor([0.5, -0.5])),
  () => tensor([1, 2, 3], { requiresGrad: true }),
];

const otherJunk: Junk[] = [
  () => new Linear(2, 3, { generator: new Generator(0) }),
  () => new Generator(1),
  () => () => 1,
  () => () => tensor([1]),
  () => ({ name: 'junk', forward: () => 1 }),
  () => new Map([['w', tensor([1])]]),
  () => ({ w: tensor([1]) }),
];

const anyJunk = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...junkValues.map(constant)) },
  { weight: 3, arbitrary: fc.constantFrom(...tensorJunk) },
  { weight: 1, arbitrary: fc.constantFrom(...otherJunk) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3, withBigInt: true, withTypedArray: true }).map(constant) },
);

const isClass = (f: unknown): boolean => typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));

function describeArg(v: unknown): string {
  if (v instanceof Tensor) return `Tensor(${v.dtype}, [${v.shape.join(', ')}])`;
  if (typeof v === 'function') return 'function';
  if (typeof v === 'symbol' || typeof v === 'bigint') return String(v) + (typeof v === 'bigint' ? 'n' : '');
  try {
    const s = JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : Number.isNaN(x) ? 'NaN' : x));
    return (s ?? String(v)).slice(0, 60);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

// A call slower than this counts as a hang; real calls here take microseconds to milliseconds.
const PER_CALL_BUDGET_MS = 5_000;
const CALLS_PER_EXPORT = 40;

describe('garbage in: every export of @dl/tensor returns or throws a DLError', () => {
  it(
    'holds for random junk arguments to every public function and constructor',
    () => {
      const exported = Object.entries(api).filter(([, v]) => typeof v === 'function') as [string, (...a: unknown[]) => unknown][];
      // Sanity: the enumeration sees the package (a broken import would make this test pass vacuously).
      expect(exported.length).toBeGreaterThan(150);
      const backend = getBackend().name;
      const threads = getNumThreads();
      const failures = new Map<string, string>();
      let calls = 0;
      exported.forEach(([name, f], k) => {
        const ctor = isClass(f);
        const arity = Math.max(f.length, 1) + 2;
        const argLists = fc.sample(fc.array(anyJunk, { maxLength: arity }), { numRuns: CALLS_PER_EXPORT, seed: 17 + k });
        for (const makers of argLists) {
          const args = makers.map((m) => m());
          const started = performance.now();
          try {
            if (ctor) Reflect.construct(f, args);
            else f(...args);
          } catch (e) {
            if (!(e instanceof DLError) && !failures.has(name)) {
              failures.set(name, `${name}(${args.map(describeArg).join(', ')}) threw ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 160)}`);
            }
          } finally {
            // Undo what a call with valid arguments may change globally.
            if (getBackend().name !== backend) setBackend(backend);
            if (getNumThreads() !== threads) setNumThreads(threads);
            if (!isGradEnabled()) setGradEnabled(true);
          }
          const ms = performance.now() - started;
          if (process.env.GARBAGE_SLOW && ms > 20) console.log('SLOW', ms.toFixed(0), name, args.map(describeArg).join(', '));
          if (ms > PER_CALL_BUDGET_MS && !failures.has(name)) failures.set(name, `${name}(${args.map(describeArg).join(', ')}) took ${ms.toFixed(0)} ms`);
          calls++;
        }
      });
      expect(calls).toBe(exported.length * CALLS_PER_EXPORT);
      expect([...failures.values()]).toEqual([]);
    },
    120_000,
  );

  it(
    "holds for every method and getter of a Tensor (and a Parameter's), called on tensors of each dtype",
    () => {
      const proto = Tensor.prototype as unknown as Record<string, unknown>;
      const members = Object.getOwnPropertyNames(Tensor.prototype).filter((k) => k !== 'constructor');
      expect(members.length).toBeGreaterThan(40);
      const failures = new Map<string, string>();
      members.forEach((name, k) => {
        const desc = Object.getOwnPropertyDescriptor(Tensor.prototype, name)!;
        const argLists = fc.sample(fc.tuple(fc.constantFrom(...tensorJunk), fc.array(anyJunk, { maxLength: 4 })), { numRuns: CALLS_PER_EXPORT, seed: 1017 + k });
        for (const [self, makers] of argLists) {
          const t = self() as Tensor;
          const args = makers.map((m) => m());
          try {
            api.noGrad(() => (desc.get ? desc.get.call(t) : (proto[name] as (...a: unknown[]) => unknown).apply(t, args)));
          } catch (e) {
            if (!(e instanceof DLError) && !failures.has(name)) {
              failures.set(name, `${describeArg(t)}.${name}(${args.map(describeArg).join(', ')}) threw ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 160)}`);
            }
          }
        }
      });
      expect([...failures.values()]).toEqual([]);
    },
    60_000,
  );
});
