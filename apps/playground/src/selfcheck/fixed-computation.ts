/**
 * A fixed computation that touches every fast kernel — GEMM in all transposes,
 * batched GEMM, elementwise and broadcast loops, reductions, softmax, scatter
 * and a few MLP training steps — so the browser page and Node.js can show
 * they compute the same numbers. Inputs come from the seeded generator's
 * uniform bits (integer arithmetic only), never from `Math.log`/`Math.cos`,
 * so the inputs are identical on every JavaScript engine.
 *
 * @packageDocumentation
 */
import { backward } from '@dl/autograd';
import {
  Generator,
  Linear,
  ReLU,
  Sequential,
  type Tensor,
  add,
  crossEntropy,
  indexAdd,
  logSoftmax,
  matmul,
  mul,
  noGrad,
  rand,
  relu,
  softmax,
  sum,
  tensor,
} from '@dl/tensor';

/** One named result: a bit-exact fingerprint plus a few values a person can read. */
export interface FixedResult {
  name: string;
  shape: number[];
  /** FNV-1a over the float32 bit patterns: equal only if every value is bitwise equal. */
  fingerprint: string;
  /** Sum of the values in float64, for comparisons within a tolerance. */
  sum: number;
  /** Sum of the absolute values in float64 (the scale a tolerance is relative to). */
  absSum: number;
  /** The first values, to eyeball. */
  head: number[];
}

/** Uniform values in [-1, 1) of `shape`, from generator bits only. */
function uniformInputs(shape: number[], generator: Generator): Tensor {
  return noGrad(() => add(mul(rand(shape, { generator }), 2), -1));
}

/** FNV-1a, 32 bits, over the bit patterns of float32 values. */
export function fingerprint(values: Float32Array): string {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    for (let shift = 0; shift < 32; shift += 8) {
      h ^= (w >>> shift) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

function summarize(name: string, t: Tensor): FixedResult {
  const values = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>);
  let s = 0;
  let a = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i]!;
    a += Math.abs(values[i]!);
  }
  return { name, shape: [...t.shape], fingerprint: fingerprint(values), sum: s, absSum: a, head: Array.from(values.subarray(0, 6)) };
}

/**
 * Runs the fixed computation with whatever backend, SIMD build and thread
 * count are active, and returns one fingerprinted result per stage.
 */
export function fixedComputation(): FixedResult[] {
  const g = new Generator(20261126);
  const results: FixedResult[] = [];
  noGrad(() => {
    // Big enough that the threaded GEMM splits it (6.5 M multiply-adds).
    const a = uniformInputs([257, 193], g);
    const b = uniformInputs([193, 131], g);
    results.push(summarize('matmul 257×193 · 193×131', matmul(a, b)));
    results.push(summarize('matmul aᵀ·a (transposed A)', matmul(a, a, { transposeA: true })));
    results.push(summarize('matmul b·bᵀ (transposed B)', matmul(b, b, { transposeB: true })));
    const ba = uniformInputs([6, 33, 65], g);
    const bb = uniformInputs([6, 65, 47], g);
    results.push(summarize('batched matmul [6,33,65]·[6,65,47]', matmul(ba, bb)));
    const logits = uniformInputs([64, 100], g);
    results.push(summarize('softmax rows [64,100]', softmax(mul(logits, 8), 1)));
    results.push(summarize('logSoftmax rows [64,100]', logSoftmax(mul(logits, 8), 1)));
    const bias = uniformInputs([100], g);
    results.push(summarize('relu(x + bias) [64,100]', relu(add(logits, bias))));
    results.push(summarize('column sums [64,100] → [100]', sum(logits, 0)));
    const index = tensor(Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 10), { dtype: 'int32' });
    results.push(summarize('indexAdd 64 rows → 10', indexAdd(uniformInputs([10, 100], g), 0, index, logits)));
  });

  // Three SGD steps of a small MLP: forward, cross-entropy, backward, update.
  const model = new Sequential(new Linear(784, 64, { generator: g }), new ReLU(), new Linear(64, 10, { generator: g }));
  const x = uniformInputs([128, 784], g);
  const y = tensor(Int32Array.from({ length: 128 }, (_, i) => (i * 37 + 11) % 10), { dtype: 'int32' });
  for (let step = 0; step < 3; step++) {
    const loss = crossEntropy(model.forward(x), y);
    model.zeroGrad();
    backward(loss);
    noGrad(() => {
      for (const p of model.parameters()) p.addInPlace_(p.grad!, -0.1);
    });
  }
  for (const [name, p] of model.namedParameters()) results.push(summarize(`MLP after 3 SGD steps: ${name}`, p));
  return results;
}
