import { Tensor, ValueError, ShapeError, enableGrad, fmtShape, noGrad } from '@dl/tensor';
import { Optimizer, type Closure, type ParamGroup, type ParamsInput, paramList } from './optimizer.js';
import { addToParams, gatherFlatGrad, numel } from './internal/flat-params.js';
import { choleskySolve, conjugateGradient, luSolve } from './internal/linalg.js';
import { expectInteger, expectNonNegative } from './internal/validate.js';

/** How {@link Newton} solves (H + λI) d = g. */
export type NewtonSolver = 'cholesky' | 'lu' | 'cg';

/** Hyper-parameters of {@link Newton}. */
export interface NewtonOptions {
  /** Step scale: θ ← θ − lr·d (default 1, the pure Newton step). */
  lr: number;
  /** Levenberg damping λ added to the Hessian's diagonal (default 0). */
  damping: number;
  /**
   * `'cholesky'` (default; needs H + λI positive definite, else throws — raise the damping),
   * `'lu'` (any non-singular matrix; may step towards a saddle or a maximum),
   * `'cg'` (conjugate gradient on Hessian–vector products; stops at negative curvature).
   */
  solver: NewtonSolver;
  /** Conjugate-gradient iterations per step (default: the number of parameters). */
  cgMaxIter: number;
  /** Conjugate-gradient relative residual tolerance (default 1e-10). */
  cgTol: number;
}

/**
 * Where the curvature comes from, evaluated at the current parameters after
 * the closure ran: the full Hessian over the parameters flattened and
 * concatenated in order (`[n, n]`), or a Hessian–vector product `[n] ↦ [n]`.
 * `@dl/optim` does not differentiate; build these with `@dl/autograd`'s
 * `hessian` / `hvp`, or by hand.
 */
export type NewtonCurvature = { hessian: () => Tensor } | { hvp: (v: Tensor) => Tensor };

function validateNewton(h: NewtonOptions): void {
  expectNonNegative('Newton', 'learning rate', h.lr);
  expectNonNegative('Newton', 'damping', h.damping);
  if (h.solver !== 'cholesky' && h.solver !== 'lu' && h.solver !== 'cg') {
    throw new ValueError('Newton', `unknown solver ${String(h.solver)}; use 'cholesky', 'lu' or 'cg'`);
  }
  expectInteger('Newton', 'cgMaxIter', h.cgMaxIter, 1);
  expectNonNegative('Newton', 'cgTol', h.cgTol);
}

/**
 * Newton's method for small problems: θ ← θ − lr·(H + λI)⁻¹∇f, the gradient
 * read from `.grad` (set by the closure's `backward`), the Hessian or
 * Hessian–vector products from the user's curvature callback. A dense solve
 * costs O(n³): meant for n up to a few hundred; use `'cg'` with `hvp` above that.
 *
 * @example
 * const f = (x: Tensor) => rosenbrock(x);
 * const opt = new Newton([x], { hessian: () => hessian(f)(x) }, { damping: 1e-6 });
 * opt.step(() => { opt.zeroGrad(); const l = f(x); backward(l); return l; });
 */
export class Newton extends Optimizer<NewtonOptions> {
  private readonly params: Tensor[];
  private readonly curvature: NewtonCurvature;
  /** CG iterations used by the last step (0 with a dense solver). */
  lastCgIterations = 0;

  constructor(params: ParamsInput<NewtonOptions>, curvature: NewtonCurvature, options: Partial<NewtonOptions> = {}) {
    const list = paramList<Tensor>('Newton', params);
    const n = list.every((p) => p instanceof Tensor) ? numel(list) : 1;
    super('Newton', list, { lr: 1, damping: 0, solver: 'cholesky', cgMaxIter: Math.max(1, n), cgTol: 1e-10 }, options, validateNewton);
    if (this.paramGroups.length !== 1) throw new ValueError('Newton', "doesn't support parameter groups");
    const c = curvature as Partial<Record<'hessian' | 'hvp', unknown>> | null;
    const hasH = c !== null && typeof c === 'object' && typeof c.hessian === 'function';
    const hasHvp = c !== null && typeof c === 'object' && typeof c.hvp === 'function';
    if (!hasH && !hasHvp) throw new ValueError('Newton', 'curvature must be { hessian: () => Tensor } or { hvp: (v) => Tensor }');
    this.params = this.paramGroups[0]!.params;
    this.curvature = curvature;
  }

  protected updateGroup(_group: ParamGroup<NewtonOptions>): void {
    throw new ValueError('Newton', 'step needs a closure that evaluates the loss and calls backward');
  }

  /** One Newton step; returns the closure's loss. */
  override step<L extends Tensor | number>(closure?: Closure<L>): L {
    if (typeof closure !== 'function') throw new ValueError('Newton', 'step needs a closure that evaluates the loss and calls backward');
    const loss = enableGrad(closure);
    this.expectSomeGradient();
    const group = this.paramGroups[0]!;
    const n = numel(this.params);
    const g = gatherFlatGrad(this.params);
    const d = this.solve(g, n, group);
    noGrad(() => addToParams(this.params, -group.lr, d));
    return loss;
  }

  private solve(g: Float64Array, n: number, h: NewtonOptions): Float64Array {
    const { damping } = h;
    if (h.solver === 'cg') {
      const matvec = this.matvecOf(n, damping);
      const res = conjugateGradient(matvec, g, h.cgMaxIter, h.cgTol);
      this.lastCgIterations = res.iterations;
      return res.x;
    }
    this.lastCgIterations = 0;
    const a = this.denseHessian(n);
    for (let i = 0; i < n; i++) a[i * n + i] = a[i * n + i]! + damping;
    const x = h.solver === 'cholesky' ? choleskySolve(a, g, n) : luSolve(a, g, n);
    if (x === null) {
      throw new ValueError(
        'Newton',
        h.solver === 'cholesky'
          ? `H + ${damping}·I is not positive definite at this point; raise the damping or use solver 'lu' or 'cg'`
          : 'H + λI is singular at this point; add damping',
      );
    }
    return x;
  }

  private denseHessian(n: number): Float64Array {
    if ('hessian' in this.curvature) {
      const hess = enableGrad(this.curvature.hessian);
      if (hess.size !== n * n) throw new ShapeError('Newton', `hessian() returned shape ${fmtShape(hess.shape)}; need [${n}, ${n}] over the ${n} parameters`);
      return Float64Array.from(hess.data);
    }
    // Only products are available: build the matrix column by column.
    const mv = this.matvecOf(n, 0);
    const a = new Float64Array(n * n);
    const e = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      const col = mv(e);
      for (let i = 0; i < n; i++) a[i * n + j] = col[i]!;
    }
    return a;
  }

  private matvecOf(n: number, damping: number): (v: Float64Array) => Float64Array {
    if ('hvp' in this.curvature) {
      const hvp = this.curvature.hvp;
      const dtype = this.params[0]!.dtype;
      return (v) => {
        const out = enableGrad(() => hvp(new Tensor(dtype === 'float64' ? v.slice() : Float32Array.from(v), [n])));
        if (out.size !== n) throw new ShapeError('Newton', `hvp returned shape ${fmtShape(out.shape)}; need ${n} elements`);
        const r = Float64Array.from(out.data);
        for (let i = 0; i < n; i++) r[i] = r[i]! + damping * v[i]!;
        return r;
      };
    }
    const hess = Float64Array.from(enableGrad(this.curvature.hessian).data);
    if (hess.length !== n * n) throw new ShapeError('Newton', `hessian() returned ${hess.length} elements; need ${n}×${n}`);
    return (v) => {
      const r = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = damping * v[i]!;
        for (let j = 0; j < n; j++) s += hess[i * n + j]! * v[j]!;
        r[i] = s;
      }
      return r;
    };
  }
}
