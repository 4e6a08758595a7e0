import { Tensor, ValueError, describeValue, enableGrad, noGrad } from '@dl/tensor';
import { Optimizer, type Closure, type ParamGroup, type ParamsInput, type ParamState, checkStateTensor } from './optimizer.js';
import { addToParams, gatherFlatGrad, gatherFlatParams, numel, setParams } from './internal/flat-params.js';
import { strongWolfe } from './internal/strong-wolfe.js';
import { absMax, absSum, axpy, dot } from './internal/vec.js';
import { expectInteger, expectNonNegative, expectPositive } from './internal/validate.js';

/** Hyper-parameters of {@link LBFGS}. */
export interface LBFGSOptions {
  /** Step scale (default 1). With the line search it is the first trial step. */
  lr: number;
  /** Iterations per `step()` call (default 20). */
  maxIter: number;
  /** Closure evaluations per `step()` call (default ⌊maxIter·5/4⌋). */
  maxEval: number;
  /** Stop when max |∇f| ≤ this (default 1e-7). */
  toleranceGrad: number;
  /** Stop when the step or the change in loss is below this (default 1e-9). */
  toleranceChange: number;
  /** Number of (s, y) pairs kept (default 100). */
  historySize: number;
  /** `'strong_wolfe'`, or `null` for fixed steps of size lr (default null). */
  lineSearchFn: 'strong_wolfe' | null;
}

function validateLBFGS(h: LBFGSOptions): void {
  expectNonNegative('LBFGS', 'learning rate', h.lr);
  expectInteger('LBFGS', 'maxIter', h.maxIter, 1);
  expectInteger('LBFGS', 'maxEval', h.maxEval, 1);
  expectNonNegative('LBFGS', 'toleranceGrad', h.toleranceGrad);
  expectNonNegative('LBFGS', 'toleranceChange', h.toleranceChange);
  expectInteger('LBFGS', 'historySize', h.historySize, 1);
  if (h.lineSearchFn !== null && h.lineSearchFn !== 'strong_wolfe') {
    throw new ValueError('LBFGS', `only 'strong_wolfe' is supported as lineSearchFn, got ${String(h.lineSearchFn)}`);
  }
}

/** What L-BFGS carries between `step()` calls (as PyTorch keeps it on the first parameter). */
interface LBFGSMemory {
  funcEvals: number;
  nIter: number;
  d: Float64Array | null;
  t: number;
  oldDirs: Float64Array[];
  oldStps: Float64Array[];
  ro: number[];
  hDiag: number;
  prevFlatGrad: Float64Array | null;
  prevLoss: number;
}

// The memory's vectors are never changed after they are made, so state tensors wrap them without copying.
const vec = (a: Float64Array): Tensor => new Tensor(a, [a.length]);
const f64 = (t: Tensor): Float64Array => (t.data instanceof Float64Array ? t.data : Float64Array.from(t.data));

/**
 * Limited-memory BFGS, ported from `torch.optim.LBFGS` (after minFunc) so the
 * iterates agree with PyTorch's: a two-loop recursion over the last
 * `historySize` curvature pairs (s, y), initial scaling sᵀy / yᵀy, the first
 * step scaled by min(1, 1/‖g‖₁), and optionally the strong-Wolfe line search.
 * One `step(closure)` runs up to `maxIter` iterations; the closure must
 * re-evaluate the loss and its gradients (call `backward`), as in PyTorch.
 * Meant for full-batch, deterministic problems; one parameter group only.
 * Internally float64 (PyTorch computes in the parameters' dtype).
 *
 * @example
 * const opt = new LBFGS([w], { lineSearchFn: 'strong_wolfe' });
 * opt.step(() => { opt.zeroGrad(); const l = loss(w); backward(l); return l; });
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  private readonly params: Tensor[];
  constructor(params: ParamsInput<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const given = options !== null && typeof options === 'object' ? options.maxIter : undefined;
    const maxIter = typeof given === 'number' ? given : 20;
    super(
      'LBFGS',
      params,
      {
        lr: 1,
        maxIter,
        maxEval: Math.floor((maxIter * 5) / 4),
        toleranceGrad: 1e-7,
        toleranceChange: 1e-9,
        historySize: 100,
        lineSearchFn: null,
      },
      options,
      validateLBFGS,
    );
    if (this.paramGroups.length !== 1) throw new ValueError('LBFGS', "doesn't support per-parameter options (parameter groups)");
    this.params = this.paramGroups[0]!.params;
  }

  protected updateGroup(_group: ParamGroup<LBFGSOptions>): void {
    throw new ValueError('LBFGS', 'step needs a closure that re-evaluates the loss');
  }

  /**
   * L-BFGS keeps one memory, on the first parameter: counters, the last
   * direction and gradient (flat over all parameters), and up to
   * `historySize` curvature pairs with their 1/(yᵀs). A memory made for other
   * parameters (another count) or through JSON is refused here rather than
   * turning the next step's parameters into NaN.
   */
  protected override checkLoadedState(op: string, index: number, s: unknown, p: Tensor, hyper: LBFGSOptions): void {
    if (p !== this.params[0]) throw new ValueError(op, `L-BFGS keeps its state on parameter 0; the loaded dict has state for parameter ${index}`);
    if (s === null || typeof s !== 'object' || Array.isArray(s)) throw new ValueError(op, `state for parameter 0 must be an object, got ${describeValue(s)}`);
    const m = s as Record<string, unknown>;
    const known = ['funcEvals', 'nIter', 'd', 't', 'oldDirs', 'oldStps', 'ro', 'hDiag', 'prevFlatGrad', 'prevLoss'];
    const extra = Object.keys(m).find((k) => !known.includes(k));
    if (extra !== undefined) throw new ValueError(op, `state has '${extra}', which L-BFGS does not keep (its state is ${known.join(', ')}); was this state dict saved by another optimizer?`);
    const n = this.numel;
    const vector = (name: string, v: unknown): void => checkStateTensor('LBFGS', op, `state '${name}'`, v, [n], false);
    for (const name of ['funcEvals', 'nIter']) {
      const v = m[name];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(op, `state '${name}' is ${describeValue(v)}; need an integer ≥ 0`);
    }
    for (const name of ['t', 'hDiag']) {
      const v = m[name];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(op, `state '${name}' is ${describeValue(v)}; need a finite number`);
    }
    if (typeof m.prevLoss !== 'number') throw new ValueError(op, `state 'prevLoss' is ${describeValue(m.prevLoss)}; need a number`);
    for (const name of ['d', 'prevFlatGrad']) if (m[name] !== null) vector(name, m[name]);
    const { oldDirs, oldStps, ro } = m;
    if (!Array.isArray(oldDirs) || !Array.isArray(oldStps) || !Array.isArray(ro) || oldDirs.length !== oldStps.length || ro.length !== oldDirs.length) {
      throw new ValueError(op, `state 'oldDirs', 'oldStps' and 'ro' must be arrays of one length (the curvature pairs kept), got ${describeValue(oldDirs)}, ${describeValue(oldStps)}, ${describeValue(ro)}`);
    }
    const history = hyper.historySize;
    if (oldDirs.length > history) throw new ValueError(op, `state holds ${oldDirs.length} curvature pairs; historySize is ${history}`);
    oldDirs.forEach((v, i) => vector(`oldDirs[${i}]`, v));
    oldStps.forEach((v, i) => vector(`oldStps[${i}]`, v));
    ro.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(op, `state 'ro[${i}]' is ${describeValue(v)}; need a finite number`);
    });
  }

  private memory(): LBFGSMemory {
    const s = this.state.get(this.params[0]!) as ParamState | undefined;
    const arr = (v: unknown): Float64Array | null => (v instanceof Tensor ? f64(v) : null);
    const num = (v: unknown, dflt: number): number => (typeof v === 'number' ? v : dflt);
    const list = (v: unknown): Float64Array[] => (Array.isArray(v) ? v.map((x: Tensor) => f64(x)) : []);
    return {
      funcEvals: num(s?.funcEvals, 0),
      nIter: num(s?.nIter, 0),
      d: arr(s?.d),
      t: num(s?.t, 0),
      oldDirs: list(s?.oldDirs),
      oldStps: list(s?.oldStps),
      ro: Array.isArray(s?.ro) ? (s.ro as number[]).slice() : [],
      hDiag: num(s?.hDiag, 1),
      prevFlatGrad: arr(s?.prevFlatGrad),
      prevLoss: num(s?.prevLoss, NaN),
    };
  }

  private saveMemory(m: LBFGSMemory): void {
    this.state.set(this.params[0]!, {
      funcEvals: m.funcEvals,
      nIter: m.nIter,
      d: m.d === null ? null : vec(m.d),
      t: m.t,
      oldDirs: m.oldDirs.map(vec),
      oldStps: m.oldStps.map(vec),
      ro: m.ro.slice(),
      hDiag: m.hDiag,
      prevFlatGrad: m.prevFlatGrad === null ? null : vec(m.prevFlatGrad),
      prevLoss: m.prevLoss,
    });
  }

  /** Runs up to `maxIter` iterations; returns the loss of the closure's first evaluation. */
  override step<L extends Tensor | number>(closure?: Closure<L>): L {
    if (typeof closure !== 'function') throw new ValueError('LBFGS', 'step needs a closure that re-evaluates the loss and calls backward');
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const params = this.params;
    const evaluate = (): [L, number] => {
      const out = enableGrad(closure);
      return [out, typeof out === 'number' ? out : out.item()];
    };
    const st = this.memory();

    const [origLoss, firstLoss] = evaluate();
    this.expectSomeGradient();
    let loss = firstLoss;
    let currentEvals = 1;
    st.funcEvals += 1;
    let flatGrad = gatherFlatGrad(params);
    let optCond = absMax(flatGrad) <= toleranceGrad;
    if (optCond) {
      this.saveMemory(st);
      return origLoss;
    }

    let { d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss } = st;
    const al = new Array<number>(historySize).fill(0);
    let nIter = 0;
    noGrad(() => {
      while (nIter < maxIter) {
        nIter += 1;
        st.nIter += 1;

        // Direction by the two-loop recursion.
        if (st.nIter === 1) {
          d = flatGrad.map((v) => -v);
          oldDirs = [];
          oldStps = [];
          ro = [];
          hDiag = 1;
        } else {
          const y = flatGrad.map((v, i) => v - prevFlatGrad![i]!);
          const s = d!.map((v) => v * t);
          const ys = dot(y, s);
          if (ys > 1e-10) {
            if (oldDirs.length === historySize) {
              oldDirs.shift();
              oldStps.shift();
              ro.shift();
            }
            oldDirs.push(y);
            oldStps.push(s);
            ro.push(1 / ys);
            hDiag = ys / dot(y, y);
          }
          const numOld = oldDirs.length;
          const q = flatGrad.map((v) => -v);
          for (let i = numOld - 1; i >= 0; i--) {
            al[i] = dot(oldStps[i]!, q) * ro[i]!;
            axpy(-al[i]!, oldDirs[i]!, q);
          }
          const r = q.map((v) => v * hDiag);
          for (let i = 0; i < numOld; i++) {
            const beI = dot(oldDirs[i]!, r) * ro[i]!;
            axpy(al[i]! - beI, oldStps[i]!, r);
          }
          d = r;
        }
        prevFlatGrad = flatGrad.slice();
        prevLoss = loss;

        t = st.nIter === 1 ? Math.min(1, 1 / absSum(flatGrad)) * lr : lr;
        const gtd = dot(flatGrad, d!);
        if (gtd > -toleranceChange) break;

        let lsFuncEvals = 0;
        if (lineSearchFn === 'strong_wolfe') {
          const xInit = gatherFlatParams(params);
          const objFunc = (step: number, dir: Float64Array): [number, Float64Array] => {
            addToParams(params, step, dir);
            const [, l] = evaluate();
            const g = gatherFlatGrad(params);
            setParams(params, xInit);
            return [l, g];
          };
          const res = strongWolfe(objFunc, t, d!, loss, flatGrad, gtd);
          loss = res.loss;
          flatGrad = res.grad;
          t = res.t;
          lsFuncEvals = res.funcEvals;
          addToParams(params, t, d!);
          optCond = absMax(flatGrad) <= toleranceGrad;
        } else {
          addToParams(params, t, d!);
          if (nIter !== maxIter) {
            loss = evaluate()[1];
            flatGrad = gatherFlatGrad(params);
            optCond = absMax(flatGrad) <= toleranceGrad;
            lsFuncEvals = 1;
          }
        }
        currentEvals += lsFuncEvals;
        st.funcEvals += lsFuncEvals;

        if (nIter === maxIter) break;
        if (currentEvals >= maxEval) break;
        if (optCond) break;
        if (absMax(d!) * Math.abs(t) <= toleranceChange) break;
        if (Math.abs(loss - prevLoss) < toleranceChange) break;
      }
    });
    this.saveMemory({ funcEvals: st.funcEvals, nIter: st.nIter, d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss });
    return origLoss;
  }

  /** Number of parameters being optimized (the length of the flat vectors). */
  get numel(): number {
    return numel(this.params);
  }
}
