// A 5 → 7 → 6 → 3 MLP (tanh, relu) against PyTorch 1.13: logits, mean
// cross-entropy and every parameter's gradient in float64 and float32, then
// three plain SGD steps in float64. Fixture written by tools/golden_mlp.py.
import { backward } from '@dl/autograd';
import {
  type FloatDType,
  type Tensor,
  add,
  gather,
  logSoftmax,
  matmul,
  mean,
  neg,
  noGrad,
  relu,
  reshape,
  tanh,
  tensor,
} from '@dl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { type StoredArray, expectClose, floatLeaf, readFixture, reportWorst } from './golden-helpers.js';

interface MlpResult {
  logits: StoredArray;
  loss: number;
  grads: Record<string, StoredArray>;
}

interface MlpFixture {
  sizes: number[];
  x: StoredArray;
  targets: number[];
  params: Record<string, StoredArray>;
  float64: MlpResult;
  float32: MlpResult;
  sgd: { lr: number; steps: number; losses: number[]; params: Record<string, StoredArray> };
}

const fixture = readFixture<MlpFixture>('golden-mlp.json');
const LAYERS = ['fc1', 'fc2', 'fc3'] as const;
const ACTIVATIONS = [tanh, relu] as const;

type Params = Map<string, Tensor>;

function loadParams(dtype: FloatDType): Params {
  return new Map(Object.entries(fixture.params).map(([name, p]) => [name, floatLeaf(p, dtype)]));
}

function param(params: Params, name: string): Tensor {
  const p = params.get(name);
  if (!p) throw new Error(`fixture has no parameter ${name}`);
  return p;
}

/** Linear layers in torch's layout (weight [out, in]) with tanh, then relu, between them. */
function logitsOf(params: Params, x: Tensor): Tensor {
  let h = x;
  LAYERS.forEach((layer, i) => {
    h = add(matmul(h, param(params, `${layer}.weight`), { transposeB: true }), param(params, `${layer}.bias`));
    const act = ACTIVATIONS[i];
    if (act) h = act(h);
  });
  return h;
}

/** Mean cross-entropy from logits [N, C] and int32 targets [N], as F.cross_entropy. */
function crossEntropy(logits: Tensor, targets: Tensor): Tensor {
  return neg(mean(gather(logSoftmax(logits, 1), 1, reshape(targets, [-1, 1]))));
}

const targets = tensor(Int32Array.from(fixture.targets));

describe('golden MLP vs PyTorch', () => {
  it('the fixture is the 5 → 7 → 6 → 3 network with a batch of 8', () => {
    expect(fixture.sizes).toEqual([5, 7, 6, 3]);
    expect(fixture.x.shape).toEqual([8, 5]);
    expect(Object.keys(fixture.params).sort()).toEqual(LAYERS.flatMap((l) => [`${l}.bias`, `${l}.weight`]).sort());
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: logits, loss and every parameter's gradient`, () => {
      const params = loadParams(dtype);
      const ref = fixture[dtype];
      const logits = logitsOf(params, floatLeaf(fixture.x, dtype, false));
      expectClose('logits', dtype, logits, ref.logits);
      const loss = crossEntropy(logits, targets);
      expectClose('loss', dtype, loss, ref.loss);
      backward(loss);
      for (const [name, p] of params) {
        const g = p.grad;
        if (!g) throw new Error(`${name} got no gradient`);
        expectClose(`grad ${name}`, dtype, g, ref.grads[name]!);
      }
    });
  }

  it('float64: three SGD steps land on the same parameters', () => {
    const params = loadParams('float64');
    const x = floatLeaf(fixture.x, 'float64', false);
    const { lr, steps, losses } = fixture.sgd;
    for (let step = 0; step < steps; step++) {
      noGrad(() => params.forEach((p) => p.grad?.zero_()));
      const loss = crossEntropy(logitsOf(params, x), targets);
      expectClose(`loss before step ${step + 1}`, 'float64', loss, losses[step]!);
      backward(loss);
      noGrad(() => {
        for (const p of params.values()) p.addInPlace_(p.grad!, -lr);
      });
    }
    for (const [name, p] of params) expectClose(`${name} after ${steps} steps`, 'float64', p, fixture.sgd.params[name]!);
  });

  afterAll(() => reportWorst('golden-mlp'));
});
