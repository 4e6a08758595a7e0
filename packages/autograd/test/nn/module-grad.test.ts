// Whole modules under the engine: to('float64') for gradchecks, freezing with requiresGrad_(false), hooks in backward.
import { describe, expect, it } from 'vitest';
import { Generator, LayerNorm, Linear, Sequential, type Tensor, mseLoss, noGrad, randn, sum, tanh, Tanh } from '@dl/tensor';
import { backward, gradcheck, gradgradcheck } from '@dl/autograd';

/** Central differences of `loss()` in every element of every parameter, against the gradients `backward` leaves in `.grad`. */
function checkParameterGradients(params: readonly Tensor[], loss: () => Tensor): void {
  for (const p of params) p.grad = null;
  backward(loss());
  const eps = 1e-6;
  for (const p of params) {
    expect(p.dtype).toBe('float64');
    const analytic = p.grad!.toFlatArray();
    for (let e = 0; e < p.size; e++) {
      const v = p.data[e]!;
      const f = (d: number) => noGrad(() => {
        p.data[e] = v + d;
        return loss().item();
      });
      const numeric = (f(eps) - f(-eps)) / (2 * eps);
      p.data[e] = v;
      expect(Math.abs(analytic[e]! - numeric), `element ${e} of a parameter of shape [${p.shape.join(', ')}]`).toBeLessThanOrEqual(1e-5 + 1e-3 * Math.abs(numeric));
    }
  }
}

describe("Module.to('float64') makes whole layers gradcheckable", () => {
  it('Linear + Tanh + LayerNorm + Linear: gradcheck and gradgradcheck in the input, finite differences in every parameter', () => {
    const g = new Generator(1);
    const model = new Sequential(new Linear(4, 5, { generator: g }), new Tanh(), new LayerNorm(5), new Linear(5, 2, { generator: g }));
    // Non-trivial affine parameters, so their gradients are checked away from γ = 1, β = 0.
    noGrad(() => {
      (model.at(2) as LayerNorm).weight!.assign_(randn([5], { generator: g }).add(1));
      (model.at(2) as LayerNorm).bias!.assign_(randn([5], { generator: g }));
    });
    expect(() => gradcheck((x) => model.forward(x), [randn([3, 4], { dtype: 'float64', generator: g })])).toThrow(/dtype/);
    model.to('float64');
    const x = randn([3, 4], { dtype: 'float64', generator: g });
    expect(gradcheck((xx) => model.forward(xx), [x])).toBe(true);
    expect(gradgradcheck((xx) => model.forward(xx), [x])).toBe(true);
    const target = randn([3, 2], { dtype: 'float64', generator: g });
    checkParameterGradients(model.parameters(), () => mseLoss(model.forward(x), target));
  }, 60_000);

  it('a graph recorded before to() refuses to backward', () => {
    const lin = new Linear(2, 2);
    const y = sum(lin.forward(randn([1, 2])));
    lin.to('float64');
    expect(() => backward(y)).toThrow(/modified in place/);
  });
});

describe('requiresGrad_(false) freezes a module', () => {
  it('backward leaves no .grad on the frozen parameters and fills the others', () => {
    const g = new Generator(2);
    const encoder = new Sequential(new Linear(3, 4, { generator: g }), new LayerNorm(4));
    const head = new Linear(4, 1, { generator: g });
    encoder.requiresGrad_(false);
    backward(sum(head.forward(tanh(encoder.forward(randn([5, 3], { generator: g }))))));
    for (const p of encoder.parameters()) expect(p.grad).toBeNull();
    for (const p of head.parameters()) expect(p.grad).not.toBeNull();
    encoder.requiresGrad_(true);
    backward(sum(head.forward(tanh(encoder.forward(randn([5, 3], { generator: g }))))));
    for (const p of encoder.parameters()) expect(p.grad).not.toBeNull();
  });
});

describe('forward hooks and backward', () => {
  it('an output replaced by a hook is what gradients flow through', () => {
    const lin = new Linear(2, 2, { dtype: 'float64', generator: new Generator(3) });
    const h = lin.registerForwardHook((_m, _args, out) => out.mul(3));
    const x = randn([1, 2], { dtype: 'float64', generator: new Generator(4) }).requiresGrad_();
    backward(sum(lin.forward(x)));
    const hooked = x.grad!.toFlatArray();
    h.remove();
    x.grad = null;
    backward(sum(lin.forward(x)));
    hooked.forEach((v, i) => expect(v).toBeCloseTo(3 * x.grad!.data[i]!, 12));
  });
});
