import { gradients } from './engine.js';
import { GradError, Tensor, ValueError, enableGrad, fmtShape, isGradEnabled, noGrad } from './deps.js';
import { mul, reshape, stack, sum, zeros } from '@dl/tensor';

/** Which positional arguments to differentiate with respect to. */
export interface ArgnumsOptions {
  /** One index or several (default 0). With several, the result is an array. */
  argnums?: number | readonly number[];
}

/**
 * An alias of `t` that is a fresh leaf requiring grad, unless `t` already
 * requires grad, in which case `t` itself is used so an enclosing transform
 * can differentiate through this one (that is how `hessian` nests `grad`).
 */
function watch(t: Tensor): Tensor {
  if (t.requiresGrad && isGradEnabled()) return t;
  return new Tensor(t.data, t.shape).requiresGrad_(true);
}

function resolveArgnums(op: string, argnums: number | readonly number[] | undefined, n: number): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const a of list) {
    if (!Number.isInteger(a) || a < 0 || a >= n) throw new ValueError(op, `argnum ${a} is out of range for ${n} arguments`);
  }
  return list;
}

function expectScalarOutput(op: string, out: unknown): Tensor {
  if (!(out instanceof Tensor)) throw new GradError(op, 'the function must return a Tensor');
  if (out.size !== 1) throw new GradError(op, `the function returned shape ${fmtShape(out.shape)}; need a single-element (scalar) output`);
  return out;
}

/** The gradients and the value, computed together. */
export interface ValueAndGrads {
  value: Tensor;
  grads: Tensor[];
}

function differentiate(op: string, f: (...args: Tensor[]) => Tensor, args: readonly Tensor[], argnums: number[]): ValueAndGrads {
  const nested = isGradEnabled() && args.some((a) => a.requiresGrad);
  const watched = args.map((a, i) => (argnums.includes(i) ? watch(a) : a));
  const value = expectScalarOutput(op, enableGrad(() => f(...watched)));
  const targets = argnums.map((i) => watched[i]!);
  if (!value.requiresGrad) {
    return { value, grads: targets.map((t) => zeros(t.shape, { dtype: t.dtype })) };
  }
  const grads = gradients(value, targets, { createGraph: nested, retainGraph: nested, allowUnused: true });
  return { value: nested ? value : value.detach(), grads };
}

/**
 * `grad(f)` is the function computing ∂f/∂(argument 0); `f` must return a
 * scalar. Transforms nest: `grad(grad(f))` is the second derivative.
 *
 * @example
 * const df = grad((x: Tensor) => sum(mul(x, x)));
 * df(tensor([1, 2])); // [2, 4]
 */
export function grad<Args extends Tensor[]>(f: (...args: Args) => Tensor, options: { argnums: readonly number[] }): (...args: Args) => Tensor[];
export function grad<Args extends Tensor[]>(f: (...args: Args) => Tensor, options?: { argnums?: number }): (...args: Args) => Tensor;
export function grad<Args extends Tensor[]>(f: (...args: Args) => Tensor, options: ArgnumsOptions = {}): (...args: Args) => Tensor | Tensor[] {
  return (...args: Args) => {
    const nums = resolveArgnums('grad', options.argnums, args.length);
    const { grads } = differentiate('grad', f as (...a: Tensor[]) => Tensor, args, nums);
    return Array.isArray(options.argnums) ? grads : grads[0]!;
  };
}

/**
 * Like `grad`, returning the function's value too (one forward pass).
 *
 * @example const { value, grads } = valueAndGrad(loss, { argnums: [0, 1] })(w, b);
 */
export function valueAndGrad<Args extends Tensor[]>(f: (...args: Args) => Tensor, options: ArgnumsOptions = {}): (...args: Args) => ValueAndGrads {
  return (...args: Args) => differentiate('valueAndGrad', f as (...a: Tensor[]) => Tensor, args, resolveArgnums('valueAndGrad', options.argnums, args.length));
}

/** Something holding parameters: a Module, or any list of tensors. */
export type ParamSource = { parameters(): Iterable<Tensor> } | Iterable<Tensor>;

/**
 * The value of `loss()` and its gradient with respect to each parameter (in
 * `parameters()` order), without touching `.grad`.
 *
 * @example const { value, grads } = valueAndGradOf(model, () => crossEntropy(model.forward(x), y));
 */
export function valueAndGradOf(params: ParamSource, loss: () => Tensor): ValueAndGrads {
  const list = [...('parameters' in params && typeof params.parameters === 'function' ? params.parameters() : (params as Iterable<Tensor>))];
  list.forEach((p, i) => {
    if (!p.requiresGrad) throw new GradError('valueAndGradOf', `parameter ${i} (shape ${fmtShape(p.shape)}) does not require grad`);
  });
  const value = expectScalarOutput('valueAndGradOf', enableGrad(loss));
  if (!value.requiresGrad) return { value, grads: list.map((p) => zeros(p.shape, { dtype: p.dtype })) };
  const grads = gradients(value, list, { allowUnused: true });
  return { value: value.detach(), grads };
}

/**
 * Evaluates `f` at `primals` and returns its output with the function that
 * maps an output cotangent to the cotangents of the primals (`Jᵀv`).
 *
 * @example const [y, pullback] = vjp(f, x); const [gx] = pullback(ones(y.shape));
 */
export function vjp(f: (...args: Tensor[]) => Tensor, ...primals: Tensor[]): [Tensor, (cotangent: Tensor) => Tensor[]] {
  const nested = isGradEnabled() && primals.some((a) => a.requiresGrad);
  const watched = primals.map(watch);
  const out = enableGrad(() => f(...watched));
  const pullback = (cotangent: Tensor): Tensor[] => {
    if (!out.requiresGrad) return watched.map((w) => zeros(w.shape, { dtype: w.dtype }));
    return gradients(out, watched, { gradOutputs: cotangent, createGraph: nested || isGradEnabled() && cotangent.requiresGrad, retainGraph: true, allowUnused: true });
  };
  return [nested ? out : out.detach(), pullback];
}

/**
 * Forward-mode product `J·v` at `primals` along `tangents`, returned with
 * f's output. Computed by transposing a VJP (the VJP is linear in its
 * cotangent), which needs only reverse mode.
 */
export function jvp(f: (...args: Tensor[]) => Tensor, primals: readonly Tensor[], tangents: readonly Tensor[]): [Tensor, Tensor] {
  if (primals.length !== tangents.length) {
    throw new ValueError('jvp', `got ${primals.length} primals and ${tangents.length} tangents; need one tangent per primal`);
  }
  primals.forEach((p, i) => {
    const t = tangents[i]!;
    if (t.shape.length !== p.shape.length || t.shape.some((d, j) => d !== p.shape[j])) {
      throw new ValueError('jvp', `tangent ${i} has shape ${fmtShape(t.shape)}, primal ${i} has ${fmtShape(p.shape)}; need equal shapes`);
    }
  });
  const watched = primals.map(watch);
  const out = enableGrad(() => f(...watched));
  if (!out.requiresGrad) return [out, zeros(out.shape, { dtype: out.dtype })];
  // u ↦ Jᵀu is linear, so J·v = ∂/∂u ⟨Jᵀu, v⟩.
  const u = zeros(out.shape, { dtype: out.dtype }).requiresGrad_(true);
  const jtu = enableGrad(() => gradients(out, watched, { gradOutputs: u, createGraph: true, retainGraph: true, allowUnused: true }));
  const total = enableGrad(() => jtu.reduce<Tensor>((acc, g, i) => acc.add(sum(mul(g, tangents[i]!))), zeros([], { dtype: out.dtype })));
  if (!total.requiresGrad) return [out.detach(), zeros(out.shape, { dtype: out.dtype })];
  const [jv] = gradients(total, [u], { allowUnused: true });
  return [out.detach(), jv!];
}

/**
 * `jacobian(f)(x)` has shape `[...f(x).shape, ...x.shape]`: one reverse pass
 * per output element.
 */
export function jacobian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return (x: Tensor) => {
    const nested = isGradEnabled() && x.requiresGrad;
    const w = watch(x);
    const out = enableGrad(() => f(w));
    if (!out.requiresGrad) return zeros([...out.shape, ...x.shape], { dtype: x.dtype });
    const rows: Tensor[] = [];
    for (let i = 0; i < out.size; i++) {
      const e = zeros(out.shape, { dtype: out.dtype });
      e.data[i] = 1;
      const [g] = gradients(out, [w], { gradOutputs: e, retainGraph: true, createGraph: nested, allowUnused: true });
      rows.push(g!);
    }
    const j = rows.length > 0 ? stack(rows, 0) : zeros([0, ...x.shape], { dtype: x.dtype });
    return reshape(j, [...out.shape, ...x.shape]);
  };
}

/** `hessian(f)(x)`: the matrix of second derivatives of scalar `f`, shape `[...x.shape, ...x.shape]`. */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor) => Tensor {
  return jacobian(grad(f));
}

/**
 * Hessian–vector product `H·v` of scalar `f` at `x`, without forming H
 * (two reverse passes), returned with f(x).
 */
export function hvp(f: (x: Tensor) => Tensor, x: Tensor, v: Tensor): [Tensor, Tensor] {
  if (v.shape.length !== x.shape.length || v.shape.some((d, i) => d !== x.shape[i])) {
    throw new ValueError('hvp', `v has shape ${fmtShape(v.shape)}, x has ${fmtShape(x.shape)}; need equal shapes`);
  }
  const w = watch(x);
  const value = expectScalarOutput('hvp', enableGrad(() => f(w)));
  if (!value.requiresGrad) return [value, zeros(x.shape, { dtype: x.dtype })];
  const [g] = enableGrad(() => gradients(value, [w], { createGraph: true, retainGraph: true, allowUnused: true }));
  const gv = enableGrad(() => sum(mul(g!, v)));
  if (!gv.requiresGrad) return [value.detach(), zeros(x.shape, { dtype: x.dtype })];
  const [hv] = gradients(gv, [w], { allowUnused: true });
  return [value.detach(), noGrad(() => hv!)];
}
