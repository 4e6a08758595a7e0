import { gradients } from './engine.js';
import { DTypeError, GradError, Tensor, ValueError, enableGrad, fmtShape, noGrad, zerosLike } from './deps.js';
import { Generator, describeValue, expectOptions, randn } from '@dl/tensor';

/** Tolerances and options of `gradcheck` (defaults are PyTorch's). */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3). */
  rtol?: number;
  /** Throw a `GradcheckError` on mismatch (default), or return false. */
  raiseException?: boolean;
  /** Indices of the inputs to check (default: every float64 input). */
  wrt?: readonly number[];
}

/** A failed gradient check: the message names the input, element and both values. */
export class GradcheckError extends GradError {}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

/**
 * The outputs of `f` to check: its float64 outputs, in order. Integer and bool
 * outputs (indices, masks) carry no gradient and are skipped; a float32
 * output is refused, because finite differences in float32 are too coarse to
 * check anything and a cast to float32 hides a wrong gradient; so is a
 * function with nothing to check.
 */
function outputsOf(op: string, f: Fn, inputs: readonly Tensor[]): Tensor[] {
  const out: unknown = f(...inputs);
  const list: unknown[] = out instanceof Tensor ? [out] : Array.isArray(out) ? out : [out];
  list.forEach((t, k) => {
    if (!(t instanceof Tensor)) throw new ValueError(op, `the function returned ${describeValue(t)} as output ${k}; need a Tensor or an array of Tensors`);
    if (t.dtype === 'float32') {
      throw new DTypeError(
        op,
        `output ${k} has dtype float32 (shape ${fmtShape(t.shape)}); finite differences need float64 outputs (a float32 output, or a cast to it, makes the check too coarse to catch a wrong gradient); return it in float64`,
      );
    }
  });
  const checked = (list as Tensor[]).filter((t) => t.dtype === 'float64');
  if (checked.length === 0) {
    const got = list.length === 0 ? 'no outputs' : `only ${(list as Tensor[]).map((t) => t.dtype).join(', ')} outputs`;
    throw new ValueError(op, `the function returned ${got}; need at least one float64 output to check`);
  }
  return checked;
}

function perturbed(inputs: readonly Tensor[], which: number, element: number, delta: number): Tensor[] {
  return inputs.map((t, i) => {
    if (i !== which) return t;
    const data = new Float64Array(t.data as Float64Array);
    data[element] = data[element]! + delta;
    return new Tensor(data, t.shape);
  });
}

/**
 * Checks the analytic VJPs of `f` against central finite differences, in
 * float64: for every checked input element and output element,
 * |analytic − numeric| ≤ atol + rtol·|numeric|.
 *
 * @example gradcheck((a, b) => matmul(a, b), [randn([3, 4], f64), randn([4, 2], f64)]);
 */
export function gradcheck(f: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): boolean {
  expectOptions('gradcheck', options, ['eps', 'atol', 'rtol', 'raiseException', 'wrt']);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  for (const [name, v] of [['eps', eps], ['atol', atol], ['rtol', rtol]] as const) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new ValueError('gradcheck', `${name} must be a finite non-negative number, got ${v}`);
  }
  const wrt = options.wrt ?? inputs.flatMap((t, i) => (t.dtype === 'float64' ? [i] : []));
  for (const i of wrt) {
    const t = inputs[i];
    if (!t) throw new ValueError('gradcheck', `wrt index ${i} is out of range for ${inputs.length} inputs`);
    if (t.dtype !== 'float64') {
      throw new DTypeError('gradcheck', `input ${i} has dtype ${t.dtype}; finite differences need float64 (use .to('float64'))`);
    }
  }
  if (wrt.length === 0) {
    const got = inputs.map((t) => t.dtype).join(', ') || 'none';
    throw new DTypeError('gradcheck', `no float64 input to check (input dtypes: ${got}); finite differences need float64 (use .to('float64'))`);
  }

  // Numeric Jacobian columns: one pair of evaluations per input element.
  if (typeof f !== 'function') throw new ValueError('gradcheck', `needs the function to check, got ${describeValue(f)}`);
  if (!Array.isArray(inputs) || inputs.some((t) => !(t instanceof Tensor))) throw new ValueError('gradcheck', `inputs must be an array of Tensors, got ${describeValue(inputs)}`);
  const base = noGrad(() => outputsOf('gradcheck', f, inputs));
  const numeric = wrt.map((i) => {
    const t = inputs[i]!;
    const cols: Float64Array[][] = base.map((o) => Array.from({ length: o.size }, () => new Float64Array(t.size)));
    noGrad(() => {
      for (let e = 0; e < t.size; e++) {
        const plus = outputsOf('gradcheck', f, perturbed(inputs, i, e, eps));
        const minus = outputsOf('gradcheck', f, perturbed(inputs, i, e, -eps));
        plus.forEach((p, k) => {
          for (let r = 0; r < p.size; r++) cols[k]![r]![e] = (p.data[r]! - minus[k]!.data[r]!) / (2 * eps);
        });
      }
    });
    return cols;
  });

  // Analytic Jacobian rows: one VJP per output element.
  const leaves = inputs.map((t, i) => (wrt.includes(i) ? new Tensor(t.data, t.shape).requiresGrad_(true) : t));
  const outs = enableGrad(() => outputsOf('gradcheck', f, leaves));
  let worst: { msg: string; excess: number } | null = null;
  outs.forEach((o, k) => {
    for (let r = 0; r < o.size; r++) {
      let rowGrads: Tensor[] | null = null;
      if (o.requiresGrad) {
        const seed = new Tensor(new Float64Array(o.size), o.shape);
        seed.data[r] = 1;
        rowGrads = gradients(o, wrt.map((i) => leaves[i]!), { gradOutputs: seed, retainGraph: true, allowUnused: true });
      }
      wrt.forEach((i, w) => {
        const num = numeric[w]![k]![r]!;
        const ana = rowGrads ? rowGrads[w]!.data : new Float64Array(num.length);
        for (let e = 0; e < num.length; e++) {
          const a = ana[e]!;
          const n = num[e]!;
          const bound = atol + rtol * Math.abs(n);
          const err = Math.abs(a - n);
          if (!(err <= bound) && (worst === null || err - bound > worst.excess || Number.isNaN(err))) {
            worst = {
              excess: Number.isNaN(err) ? Infinity : err - bound,
              msg: `Jacobian mismatch for output ${k} element ${r} w.r.t. input ${i} (shape ${fmtShape(inputs[i]!.shape)}) element ${e}: analytic ${a}, numeric ${n} (|diff| ${err} > ${bound})`,
            };
          }
        }
      });
    }
  });
  if (worst !== null) {
    if (raiseException) throw new GradcheckError('gradcheck', (worst as { msg: string }).msg);
    return false;
  }
  return true;
}

/**
 * Checks second derivatives: gradcheck of the map (inputs, v) ↦ VJP(v), with
 * random cotangents `v` (seeded) unless given.
 */
export function gradgradcheck(
  f: Fn,
  inputs: readonly Tensor[],
  options: GradcheckOptions & { gradOutputs?: readonly Tensor[]; seed?: number } = {},
): boolean {
  expectOptions('gradgradcheck', options, ['eps', 'atol', 'rtol', 'raiseException', 'wrt', 'gradOutputs', 'seed']);
  const wrt = options.wrt ?? inputs.flatMap((t, i) => (t.dtype === 'float64' ? [i] : []));
  const outs = noGrad(() => outputsOf('gradgradcheck', f, inputs));
  const gen = new Generator(options.seed ?? 0);
  const cots = options.gradOutputs ? [...options.gradOutputs] : outs.map((o) => randn(o.shape, { dtype: 'float64', generator: gen }));
  const n = inputs.length;
  const vjpFn = (...all: Tensor[]): Tensor[] => {
    const xs = all.slice(0, n);
    const vs = all.slice(n);
    const watched = xs.map((t, i) => (wrt.includes(i) && !t.requiresGrad ? new Tensor(t.data, t.shape).requiresGrad_(true) : t));
    const ys = enableGrad(() => outputsOf('gradgradcheck', f, watched));
    const live = ys.map((y, k) => [y, vs[k]!] as const).filter(([y]) => y.requiresGrad);
    // No output depends on the inputs: every first derivative is identically zero.
    if (live.length === 0) return wrt.map((i) => zerosLike(watched[i]!));
    return enableGrad(() =>
      gradients(live.map(([y]) => y), wrt.map((i) => watched[i]!), { gradOutputs: live.map(([, v]) => v), createGraph: true, allowUnused: true }),
    );
  };
  const { gradOutputs: _given, seed: _seed, ...tolerances } = options;
  return gradcheck(vjpFn, [...inputs, ...cots], { ...tolerances, wrt: [...wrt, ...cots.map((_, k) => n + k)] });
}
