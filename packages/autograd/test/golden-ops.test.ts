// Op compositions against PyTorch 1.13: forward values and gradients of
// sum(output · r) for every float input, in float64 and float32. The fixture is
// written by tools/golden_ops.py; each entry of COMPOSITIONS is the same formula
// as the Python case of that name (its `expr` field), written with dl's ops.
import { gradients } from '@dl/autograd';
import {
  type FloatDType,
  type Tensor,
  abs,
  add,
  cast,
  ceil,
  chunk,
  clip,
  concat,
  cos,
  cumsum,
  div,
  elu,
  erf,
  exp,
  expand,
  expm1,
  flip,
  floor,
  gather,
  gelu,
  gt,
  indexAdd,
  indexSelect,
  leakyRelu,
  log,
  log1p,
  logSoftmax,
  logsumexp,
  matmul,
  max,
  maximum,
  mean,
  min,
  minimum,
  mul,
  narrow,
  neg,
  norm,
  oneHot,
  pad,
  permute,
  pow,
  prod,
  reciprocal,
  relu,
  reshape,
  round,
  rsqrt,
  scatterAdd,
  sigmoid,
  sign,
  sin,
  slice,
  softmax,
  softplus,
  sort,
  split,
  sqrt,
  square,
  squeeze,
  stack,
  std,
  sub,
  sum,
  tanh,
  tensor,
  topk,
  transpose,
  unsqueeze,
  variance,
  where,
} from '@dl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { type StoredArray, expectClose, floatLeaf, readFixture, reportWorst } from './golden-helpers.js';

interface StoredInput extends StoredArray {
  dtype: 'float64' | 'int32' | 'bool';
}

interface StoredResult {
  output: StoredArray;
  grads: Record<string, number[]>;
}

interface GoldenCase {
  name: string;
  expr: string;
  inputs: Record<string, StoredInput>;
  r: StoredArray;
  float64: StoredResult;
  float32: StoredResult;
}

const fixture = readFixture<{ cases: GoldenCase[] }>('golden-ops.json');

/** The case's inputs by name (throws on a name the fixture lacks, so a typo fails loudly). */
type Inputs = (name: string) => Tensor;

const COMPOSITIONS: Record<string, (t: Inputs) => Tensor> = {
  linear_softmax: (t) => softmax(add(matmul(t('x'), t('W')), t('b')), -1),
  logsumexp_axes: (t) => logsumexp(t('x'), [0, 2]),
  logsumexp_keepdim_broadcast: (t) => mul(t('x'), logsumexp(mul(t('x'), 2), 1, true)),
  var_std_correction: (t) => {
    const x = t('x');
    const a = unsqueeze(variance(x, 1, { correction: 0 }), 1);
    const b = unsqueeze(std(x, 0, { correction: 1 }), 0);
    return add(mul(a, b), variance(x, [0, 1], { correction: 2 }));
  },
  norm_orders: (t) => {
    const x = t('x');
    return stack([norm(x, 2, 1), norm(x, 1, 1), norm(x, 3, 1), norm(x, Infinity, 1)]);
  },
  normalize_keepdim: (t) => div(t('x'), norm(t('x'), 2, [1, 2], true)),
  gelu_elu_leaky_chain: (t) => leakyRelu(elu(sub(mul(gelu(t('x')), 1.5), 0.2), 0.7), 0.1),
  softplus_sigmoid_tanh_chain: (t) => {
    const [x, y] = [t('x'), t('y')];
    return add(tanh(mul(softplus(x), sigmoid(y))), sigmoid(mul(x, y)));
  },
  gelu_tanh_approx: (t) => mul(gelu(t('x'), 'tanh'), t('x')),
  unary_zoo: (t) => {
    const x = t('x');
    const terms = [
      log1p(x),
      mul(expm1(div(x, 2)), sqrt(x)),
      neg(rsqrt(x)),
      reciprocal(add(x, 1)),
      mul(abs(sub(x, 1)), sin(x)),
      square(cos(x)),
      erf(sub(x, 1)),
      mul(square(x), 0.1),
      mul(log(x), exp(neg(x))),
    ];
    return terms.reduce((acc, term) => add(acc, term));
  },
  pow_tensor_exponent: (t) => add(add(pow(t('a'), t('b')), pow(t('c'), 3)), pow(2, t('b'))),
  maximum_minimum_broadcast: (t) => {
    const [a, b] = [t('a'), t('b')];
    return add(mul(maximum(a, b), minimum(a, 0.3)), minimum(a, b));
  },
  where_masks: (t) => {
    const x = t('x');
    return add(where(t('m'), mul(x, 2), exp(t('y'))), where(gt(x, 0), x, mul(x, 0.1)));
  },
  cumsum_axes: (t) => add(mul(cumsum(t('x'), 1), t('x')), cumsum(t('x'), 0)),
  cross_entropy_logsoftmax_gather: (t) => neg(mean(gather(logSoftmax(t('z'), 1), 1, reshape(t('t'), [-1, 1])))),
  one_hot_nll: (t) => neg(sum(mul(oneHot(t('t'), 4, t('z').dtype), logSoftmax(t('z'), 1)), 1)),
  scatter_add_repeats: (t) => sin(scatterAdd(t('x'), 1, t('idx'), t('src'))),
  // The whole [3, 3] src goes in: scatterAdd reads only the index's [2, 3] extent.
  scatter_add_axis0_partial: (t) => pow(scatterAdd(t('x'), 0, t('idx'), t('src')), 2),
  gather_axis0: (t) => mul(gather(t('x'), 0, t('idx')), gather(t('x'), 1, t('idx2'))),
  index_select_repeats: (t) => {
    const [x, i] = [t('x'), t('i')];
    return add(mul(indexSelect(x, 0, i), 2), indexSelect(indexSelect(x, 1, t('j')), 0, i));
  },
  index_add_repeats: (t) => tanh(indexAdd(t('x'), 0, t('i'), t('src'))),
  // F.pad's (1, 2, 0, 1, 1, 0) lists the last dimension first.
  pad_constant: (t) => mul(pad(tanh(t('x')), [[1, 0], [0, 1], [1, 2]], 0.5), 3),
  concat_stack: (t) => {
    const [a, b, c] = [t('a'), t('b'), t('c')];
    return concat([reshape(concat([a, exp(b), mul(c, a)], 1), [-1]), reshape(stack([a, c], 1), [-1])]);
  },
  split_narrow_chunk: (t) => {
    const x = t('x');
    const [p0, p1, p2] = split(x, [1, 2, 3], 1) as [Tensor, Tensor, Tensor];
    const top = concat([mul(p2, 2), exp(p0), sin(p1)], 1);
    return concat([top, mul(narrow(x, 0, 1, 2), chunk(x, 3, 0)[0]!)], 0);
  },
  // Negative steps here; the Python side spells them with flip (torch has none).
  slice_steps: (t) => {
    const x = t('x');
    const a = slice(x, [[1, null], [null, null, 2], [-2, null]]);
    const b = slice(x, [[null, null, -2]]);
    const c = square(slice(x, [-1, [1, 4, 2]]));
    const d = slice(x, [[-1, 0, -2], 2]);
    return concat([reshape(a, [-1]), reshape(mul(b, 2), [-1]), reshape(c, [-1]), reshape(d, [-1])]);
  },
  flip_axes: (t) => mul(flip(t('x'), [0, 2]), t('x')),
  permute_transpose_expand: (t) => {
    const [x, y] = [t('x'), t('y')];
    const a = mul(reshape(permute(x, [2, 0, 1]), [4, 6]), reshape(expand(y, [3, 2]), [6]));
    const b = mul(reshape(transpose(x, 0, 2), [4, 3, 2]), unsqueeze(unsqueeze(squeeze(y, 1), 0), -1));
    return add(a, reshape(b, [4, 6]));
  },
  batched_matmul_broadcast: (t) => matmul(t('a'), t('b')),
  matmul_transposes_vectors: (t) => {
    const [x, W, v, u] = [t('x'), t('W'), t('v'), t('u')];
    return concat([
      reshape(matmul(x, W, { transposeB: true }), [-1]),
      matmul(x, u, { transposeA: true }),
      matmul(v, W, { transposeB: true }),
      matmul(x, v),
      matmul(u, x),
    ]);
  },
  prod_with_zeros: (t) => {
    const x = t('x');
    return concat([prod(x, 1), prod(x, 0), reshape(prod(slice(x, [2])), [1])]);
  },
  amax_amin: (t) => {
    const x = t('x');
    return concat([reshape(max(x, 1), [-1]), min(x, [0, 2]), reshape(max(x), [1])]);
  },
  clamp_chain: (t) => {
    const x = t('x');
    return add(mul(clip(mul(x, 1.5), -0.5, 0.7), x), clip(x, -0.2, Infinity));
  },
  topk_sort_values: (t) => {
    const x = t('x');
    const a = topk(x, 3, 1).values;
    const b = topk(x, 2, 0, false).values;
    const c = sort(x, 1, true).values;
    return concat([reshape(a, [-1]), reshape(b, [-1]), reshape(c, [-1])]);
  },
  attention_causal: (t) => {
    const scores = div(matmul(t('q'), t('k'), { transposeB: true }), Math.sqrt(3));
    return matmul(softmax(where(t('mask'), scores, -Infinity), -1), t('v'));
  },
  layernorm_manual: (t) => {
    const x = t('x');
    const centered = sub(x, mean(x, -1, true));
    const v = variance(x, -1, { correction: 0, keepDims: true });
    return add(mul(div(centered, sqrt(add(v, 1e-5))), t('gamma')), t('beta'));
  },
  broadcast_arith: (t) => {
    const [a, b, c] = [t('a'), t('b'), t('c')];
    return add(sub(mul(a, b), div(a, c)), pow(sub(b, c), 2));
  },
  softmax_logsoftmax_axes: (t) => mul(softmax(t('x'), 0), logSoftmax(t('x'), 1)),
  slice_python_semantics: (t) => {
    const x = t('x');
    const parts = [
      slice(x, [[5, 1, -2], [null, null, -1]]),
      mul(slice(x, [[-1, -8, -3], [1, -1]]), 2),
      mul(slice(x, [[10, -10, -3], -2]), 3),
      mul(slice(x, [[-100, 3], [2, 100, 4]]), 4),
      slice(x, [[3, 1]]),
      mul(slice(x, [[null, null, -1], [-1, -6, -2]]), 5),
    ];
    return concat(parts.map((p) => reshape(p, [-1])));
  },
  pow_negative_base_int_exponent: (t) => pow(t('a'), cast(t('e'), t('a').dtype)),
  where_broadcast: (t) => mul(where(t('m'), t('x'), t('y')), expand(t('y'), [2, -1, 4])),
  dot_and_outer: (t) => {
    const [v, w] = [t('v'), t('w')];
    return mul(matmul(v, w), matmul(unsqueeze(v, 1), unsqueeze(w, 0)));
  },
  batched_matmul_transposes: (t) => matmul(t('a'), t('b'), { transposeA: true, transposeB: true }),
  topk_sort_3d: (t) => {
    const x = t('x');
    const a = topk(x, 2, 1).values;
    const b = sort(x, 0).values;
    const c = topk(x, 1, 2, false).values;
    return concat([reshape(a, [-1]), reshape(b, [-1]), reshape(c, [-1])]);
  },
  index_select_middle_axis: (t) => {
    const [x, i] = [t('x'), t('i')];
    return mul(indexSelect(x, 1, i), indexSelect(sum(indexSelect(x, 2, t('j')), 2, true), 1, i));
  },
  maximum_minimum_ties: (t) => add(mul(maximum(t('a'), t('b')), 2), mul(minimum(t('a'), t('b')), 3)),
  kinks_at_zero: (t) => {
    const x = t('x');
    return [relu(x), leakyRelu(x, 0.2), elu(x, 0.7), abs(x), clip(x, -0.5, 0.75)].reduce((acc, y) => add(acc, y));
  },
  norm_zero_row: (t) => add(mul(norm(t('z'), 2, 1), 2), norm(t('z'))),
  log_softmax_large_logits: (t) => add(logSoftmax(mul(t('x'), 40), 1), softmax(mul(t('x'), 40), 0)),
  logsumexp_masked_neg_inf: (t) => logsumexp(where(t('m'), t('x'), -Infinity), 1),
  std_all_keepdim: (t) => {
    const x = t('x');
    const z = div(sub(x, mean(x)), std(x, [0, 1, 2], { correction: 1, keepDims: true }));
    return add(z, unsqueeze(unsqueeze(variance(x, [0, 2], { correction: 0 }), 0), -1));
  },
  rounding_ops: (t) => {
    const x = t('x');
    return [mul(x, floor(x)), mul(ceil(x), 2), mul(round(x), 3), mul(sign(x), 4)].reduce((acc, y) => add(acc, y));
  },
  chunk_uneven: (t) => {
    const chunks = chunk(t('x'), 4, 1);
    expect(chunks.length).toBe(3);
    return concat(chunks.map((c, i) => mul(c, i + 1)), 1);
  },
  mean_sum_keepdim: (t) => {
    const x = t('x');
    return sub(mul(sum(x, 1, true), mean(x, [0, 2], true)), mean(x));
  },
};

function makeInputs(c: GoldenCase, dtype: FloatDType): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [name, inp] of Object.entries(c.inputs)) {
    if (inp.dtype === 'float64') out.set(name, floatLeaf(inp, dtype));
    else if (inp.dtype === 'int32') out.set(name, tensor(Int32Array.from(inp.data), { shape: inp.shape }));
    else out.set(name, tensor(Uint8Array.from(inp.data, Number), { shape: inp.shape, dtype: 'bool' }));
  }
  return out;
}

describe('golden ops vs PyTorch', () => {
  it('has a dl composition for every fixture case, and no other', () => {
    const fixtureNames = fixture.cases.map((c) => c.name).sort();
    expect(Object.keys(COMPOSITIONS).sort()).toEqual(fixtureNames);
    expect(fixtureNames.length).toBeGreaterThanOrEqual(30);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    describe(dtype, () => {
      it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
        const compose = COMPOSITIONS[name];
        if (!compose) throw new Error(`no dl composition for case ${name}`);
        const inputs = makeInputs(c, dtype);
        const get: Inputs = (k) => {
          const v = inputs.get(k);
          if (!v) throw new Error(`case ${name} has no input '${k}'`);
          return v;
        };
        const out = compose(get);
        const ref = c[dtype];
        expectClose(`${name} ${dtype} output`, dtype, out, ref.output);

        const wrt = [...inputs.entries()].filter(([, v]) => v.requiresGrad);
        expect(wrt.map(([k]) => k).sort(), `${name}: differentiable inputs`).toEqual(Object.keys(ref.grads).sort());
        const r = floatLeaf(c.r, dtype, false);
        const grads = gradients(sum(mul(out, r)), wrt.map(([, v]) => v));
        wrt.forEach(([k, v], i) => {
          const g = grads[i]!;
          expect(g.shape, `${name}: grad ${k} shape`).toEqual(v.shape);
          expectClose(`${name} ${dtype} grad ${k}`, dtype, g, ref.grads[k]!);
        });
      });
    });
  }

  afterAll(() => reportWorst('golden-ops'));
});
