/**
 * Newton's method on mini-batches of an MLP: truncated conjugate gradient on
 * exact Hessian–vector products, with Levenberg–Marquardt damping.
 *
 * @packageDocumentation
 */
import { gradients } from '@dl/autograd';
import { Newton } from '@dl/optim';
import { Tensor, add, concat, crossEntropy, mul, noGrad, sum } from '@dl/tensor';
import { type Classifier, type StepResult, type Stepper, countCorrect } from './stepper.js';

// Newton's damping λ starts here and adapts (Levenberg–Marquardt): the
// Hessian of a ReLU net's loss is indefinite, and a fixed λ that is safe for
// a 32-unit net lets a 128-unit one diverge.
const NEWTON_DAMPING = 5;
const NEWTON_DAMPING_RANGE = [1e-2, 1e4] as const;
// 10 conjugate-gradient iterations keep a step near 10–20 gradients' cost.
const NEWTON_CG_ITERS = 10;

/**
 * A {@link Stepper} running `@dl/optim`'s `Newton` with the `'cg'` solver:
 * each step solves (H + λI)d = ∇L on the batch with ≤ 10 CG iterations and
 * moves θ ← θ − lr·d; λ adapts to how well the quadratic model predicted the
 * batch's loss, and a step that raised it is undone.
 *
 * @example const s = newtonStepper(model, 1); s.step(x, y);
 */
export function newtonStepper(model: Classifier, lr: number): Stepper {
  const params = model.parameters();
  // The closure's gradient, recorded with its graph so each Hessian–vector
  // product is one more backward pass (Pearlmutter's trick), not a new forward.
  let graphGrads: Tensor[] = [];
  const hvp = (v: Tensor): Tensor => hessianVectorProduct(params, graphGrads, v);
  const optimizer = new Newton(params, { hvp }, { lr, damping: NEWTON_DAMPING, solver: 'cg', cgMaxIter: NEWTON_CG_ITERS, cgTol: 1e-4 });
  const group = optimizer.paramGroups[0]!;
  return {
    optimizer,
    step(x, y) {
      const before = params.map((p) => Float32Array.from(p.data as Float32Array));
      let result: StepResult | undefined;
      optimizer.step(() => {
        optimizer.zeroGrad();
        const logits = model.forward(x);
        const loss = crossEntropy(logits, y);
        graphGrads = gradients(loss, params, { createGraph: true });
        params.forEach((p, i) => (p.grad = graphGrads[i]!.detach()));
        result = { loss: loss.item(), correct: countCorrect(logits, y) };
        return loss;
      });
      graphGrads = [];
      adaptDamping(x, y, before, result!.loss);
      return result!;
    },
  };

  // Compares the batch's actual loss decrease with the quadratic model's
  // prediction, ρ = actual / predicted: λ grows when the model over-promised,
  // shrinks when it was accurate; a step that raised the loss is undone.
  function adaptDamping(x: Tensor, y: Tensor, before: Float32Array[], lossBefore: number): void {
    const after = noGrad(() => crossEntropy(model.forward(x), y).item());
    // For a CG iterate d, dᵀ(H + λI)d = gᵀd, so the model predicts a decrease
    // of (lr − lr²/2)·gᵀd for the step θ − lr·d.
    let gStep = 0;
    params.forEach((p, i) => {
      const g = p.grad!.data as Float32Array;
      const now = p.data as Float32Array;
      const was = before[i]!;
      for (let j = 0; j < g.length; j++) gStep += g[j]! * (was[j]! - now[j]!);
    });
    const lrNow = group.lr;
    const predicted = lrNow > 0 ? (gStep / lrNow) * (lrNow - (lrNow * lrNow) / 2) : 0;
    const actual = lossBefore - after;
    const rho = predicted > 0 ? actual / predicted : actual >= 0 ? 1 : -1;
    const [lo, hi] = NEWTON_DAMPING_RANGE;
    // Quick to back off after a failed step, slow to trust the model again:
    // mini-batch curvature is noisy, and one bad step costs more than a cautious one.
    if (rho < 0) group.damping = Math.min(hi, group.damping * 4);
    else if (rho < 0.25) group.damping = Math.min(hi, group.damping * 1.5);
    else if (rho > 0.75) group.damping = Math.max(lo, group.damping / 1.2);
    if (!(after <= lossBefore)) {
      noGrad(() => params.forEach((p, i) => p.assign_(before[i]!)));
    }
  }
}

/**
 * H·v for the flat vector `v` (`[n]`, the parameters concatenated in order),
 * given `grads`, the loss's gradients w.r.t. `params` recorded with
 * `createGraph: true`: ∇(∇L·v), one backward pass through the gradient's graph.
 *
 * @example hessianVectorProduct(params, gradients(loss, params, { createGraph: true }), v)
 */
export function hessianVectorProduct(params: readonly Tensor[], grads: readonly Tensor[], v: Tensor): Tensor {
  let offset = 0;
  let dot: Tensor | undefined;
  params.forEach((p, i) => {
    const piece = new Tensor(v.data.slice(offset, offset + p.size), p.shape);
    offset += p.size;
    const term = sum(mul(grads[i]!, piece));
    dot = dot === undefined ? term : add(dot, term);
  });
  const hv = gradients(dot!, [...params], { retainGraph: true, allowUnused: true });
  return noGrad(() => concat(hv.map((h) => h.reshape([-1])), 0));
}
