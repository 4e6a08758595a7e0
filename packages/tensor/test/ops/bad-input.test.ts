// Issue 17: misuse that used to crash deep inside (TypeError, RangeError),
// wrap int32 silently or ignore options, now refused with a DLError that names
// the op, what it got and what it needed.
import { describe, expect, it } from 'vitest';
import {
  DLError,
  DTypeError,
  Linear,
  ShapeError,
  ValueError,
  add,
  arange,
  cast,
  crossEntropy,
  cumsum,
  defineOp,
  expand,
  full,
  matmul,
  nllLoss,
  ones,
  permute,
  prod,
  randint,
  randn,
  reshape,
  std,
  sum,
  tensor,
  variance,
  zeros,
} from '../../src/index.js';
import { expectClose, expectExact } from '../helpers.js';

const i32 = (v: number[]) => tensor(v, { dtype: 'int32' });

describe('int32 overflow is refused, not wrapped (item 9)', () => {
  it('full, arange and randint refuse values int32 cannot hold, as PyTorch does', () => {
    expect(() => full([1], 1e10, { dtype: 'int32' })).toThrow('full: fill value 10000000000 does not fit int32');
    expect(() => full([1], Number.NaN, { dtype: 'int32' })).toThrow(ValueError);
    expectExact(full([2], -2147483648, { dtype: 'int32' }), [-2147483648, -2147483648], 'int32');
    expect(() => arange(2 ** 31 - 2, 2 ** 31 + 2)).toThrow("arange: values from 2147483646 to 2147483649 do not fit int32 (integers in [-2147483648, 2147483647]); pass { dtype: 'float64' }");
    expectExact(arange(2 ** 31 - 2, 2 ** 31 + 2, 1, { dtype: 'float64' }), [2147483646, 2147483647, 2147483648, 2147483649], 'float64');
    expectExact(arange(2 ** 31 - 2, 2 ** 31), [2147483646, 2147483647], 'int32');
    expect(() => randint(0, 2 ** 32, [2])).toThrow("randint: high 4294967296 is out of range for int32: high − 1 must be at most 2147483647; pass { dtype: 'float64' } for larger integers");
    expect(() => randint(-(2 ** 31) - 1, 0, [2])).toThrow(ValueError);
    const big = randint(0, 2 ** 32, [64], { dtype: 'float64' });
    expect(big.toFlatArray().every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
    expect(big.toFlatArray().some((v) => v > 2 ** 31)).toBe(true);
  });

  it('elementwise int32 arithmetic wraps modulo 2^32, as PyTorch integer arithmetic does (the documented rule)', () => {
    expectExact(add(i32([2147483647, -2147483648]), i32([1, -1])), [-2147483648, 2147483647], 'int32');
    expectExact(tensor([65536], { dtype: 'int32' }).mul(tensor([65536], { dtype: 'int32' })), [0], 'int32');
    expect(Array.from(i32([2147483647]).addInPlace_(1).data)).toEqual([-2147483648]);
  });

  it('a cast of 3e9 to int32 is refused', () => {
    expect(() => cast(tensor([3e9], { dtype: 'float64' }), 'int32')).toThrow('cast: float64 value 3000000000 at element 0 does not fit int32');
  });

  it('sum and prod of int32 accumulate wider and refuse a result outside int32', () => {
    expect(() => sum(full([3], 2 ** 30, { dtype: 'int32' }))).toThrow(ValueError);
    expect(() => sum(full([3], 2 ** 30, { dtype: 'int32' }))).toThrow(
      "sum: the int32 sum over axes [0] of shape [3] is 3221225472 at output element 0, outside int32 [-2147483648, 2147483647]; cast first: x.to('float64')",
    );
    expect(() => prod(full([3], 2 ** 20, { dtype: 'int32' }))).toThrow(/prod: the int32 prod .* is 1152921504606847000 at output element 0/);
    // In range, the exact value, even past a partial result that left int32.
    expectExact(sum(i32([2 ** 30, 2 ** 30, -(2 ** 30), -(2 ** 30)])), 0, 'int32');
    expectExact(sum(i32([2147483647, 0])), 2147483647, 'int32');
    expectExact(prod(i32([65536, 65536, 0])), 0, 'int32');
    // Forty factors of 2³⁰ overflow even float64 (∞) before the zero: still exactly 0.
    expectExact(prod(i32([...new Array<number>(40).fill(2 ** 30), 0])), 0, 'int32');
    expectExact(sum(i32([1, 2, 3, 4]).reshape([2, 2]), 0), [4, 6], 'int32');
    expectExact(sum(tensor([true, true, false])), 2, 'int32');
    expect(() => sum(full([2, 3], 2 ** 30, { dtype: 'int32' }), 1)).toThrow(/outside int32/);
  });

  it('cumsum of int32 refuses a running sum outside int32', () => {
    expect(() => cumsum(full([3], 2 ** 30, { dtype: 'int32' }), 0)).toThrow(
      "cumsum: the running int32 sum reaches 2147483648 at element 1 of shape [3], outside int32 [-2147483648, 2147483647]; cast first: x.to('float64')",
    );
    expectExact(cumsum(i32([2 ** 30, 2 ** 30 - 1, -5]), 0), [2 ** 30, 2147483647, 2147483642], 'int32');
  });
});

describe('variance and std: PyTorch correction / unbiased, options objects only (item 11)', () => {
  const x = tensor([[1, 2, 3, 4], [2, 4, 6, 8]], { dtype: 'float64' });
  it('{ unbiased: false } is the population variance and { correction } is PyTorch 2 spelling', () => {
    expectClose(variance(x, 1, { unbiased: false }), [1.25, 5], 1e-12);
    expectClose(variance(x, 1, { correction: 0 }), [1.25, 5], 1e-12);
    expectClose(variance(x, 1, { unbiased: true }), [5 / 3, 20 / 3], 1e-12);
    expectClose(variance(x, 1), [5 / 3, 20 / 3], 1e-12);
    expectClose(std(x, 1, { unbiased: false, keepDims: true }), [[Math.sqrt(1.25)], [Math.sqrt(5)]], 1e-12);
  });

  it('a positional boolean is refused: it means unbiased in PyTorch and keepDims in sum', () => {
    expect(() => variance(x, 1, true as never)).toThrow(ValueError);
    expect(() => variance(x, 1, true as never)).toThrow(
      "variance: the third argument must be an options object, got true: write { unbiased: true } for PyTorch's positional unbiased, or { keepDims: true } to keep the reduced axes",
    );
    expect(() => std(x, 1, false as never)).toThrow(/std: the third argument must be an options object/);
  });

  it('unknown keys and disagreeing spellings are refused', () => {
    expect(() => variance(x, 1, { keepdim: true } as never)).toThrow("variance: unknown option 'keepdim'; the options are correction, unbiased, keepDims — did you mean 'keepDims'?");
    expect(() => variance(x, 1, { correction: 1, unbiased: false })).toThrow('variance: correction 1 and unbiased false disagree');
    expect(() => variance(x, 1, { correction: -1 })).toThrow('variance: correction must be a finite number ≥ 0, got -1');
  });
});

describe('misuse gets a DLError naming the op, not a TypeError (item 17)', () => {
  const x = tensor([1, 2, 3]);
  it('reductions check their axes and keepDims', () => {
    expect(() => sum(x, null as never)).toThrow('sum: axes must be an integer, an array of integers, or undefined (every axis), got null');
    expect(() => sum(x, '1' as never)).toThrow("sum: axes must be an integer, an array of integers, or undefined (every axis), got string '1'");
    expect(() => sum(x, ['0'] as never)).toThrow("sum: axis '0' (a string) is not an integer; need an integer in [-1, 0]");
    expect(() => sum(x, 0, 'yes' as never)).toThrow('sum: keepDims must be true or false');
    expect(() => sum(null as never)).toThrow('sum: input must be a Tensor, got null');
    expect(() => sum([1, 2] as never)).toThrow('sum: input must be a Tensor, got an array of 2 items; wrap it with tensor(...)');
  });

  it('binary ops name a bad operand', () => {
    expect(() => add(x, null as never)).toThrow('add: second operand must be a Tensor or a number, got null');
    expect(() => add(x, '1' as never)).toThrow(`add: second operand must be a Tensor or a number, got string '1' (convert it: Number("1"))`);
    expect(() => add(undefined as never, 1)).toThrow('add: first operand must be a Tensor or a number, got undefined');
    expect(() => matmul(x, [1, 2, 3] as never)).toThrow('matmul: b must be a Tensor, got an array of 3 items');
  });

  it('creation functions say what a shape is', () => {
    expect(() => zeros(5 as never)).toThrow('zeros: shape must be an array of non-negative integers, got number 5 (a 1-D shape is [5])');
    expect(() => ones(undefined as never)).toThrow('ones: shape must be an array of non-negative integers, got undefined');
    expect(() => zeros([2, 3], { dtype: 'int64' as never })).toThrow("zeros: unknown dtype 'int64'; need float32, float64, int32 or bool");
    expect(() => zeros([2], { dype: 'float64' } as never)).toThrow("zeros: unknown option 'dype'; the options are dtype, requiresGrad — did you mean 'dtype'?");
    expect(() => tensor(x as never)).toThrow('tensor: data must be a number, a boolean, nested arrays of them, or a typed array; got a Tensor (float32, shape [3]); to copy a tensor use x.clone() or x.to(dtype)');
  });

  it('shape ops validate their shape and dims arguments (item 4: no hang, no silent zeros)', () => {
    expect(() => reshape(x, [-2, -2] as never)).toThrow(ValueError);
    expect(() => reshape(x, 3 as never)).toThrow('reshape: shape must be an array of integers, got 3');
    expect(() => permute(x, null as never)).toThrow('permute: dims must be an array of integers, got null');
    expect(() => expand(x, [2, 1.5])).toThrow('expand: shape [2, 1.5] has a non-integer entry at 1; need integers');
    expect(() => permute(reshape(x, [3, 1]), [0, 0])).toThrow(ValueError);
  });
});

describe('allocation past the typed-array limit is a DLError with the op, shape and bytes (item 16)', () => {
  it('zeros and friends', () => {
    const huge = (): unknown => zeros([2 ** 20, 2 ** 20]);
    expect(huge).toThrow(ValueError);
    expect(huge).toThrow(/^zeros: cannot allocate a float32 tensor of shape \[1048576, 1048576\] \(1099511627776 elements\): 4398046511104 bytes \(4\.0 TiB\) is more than a typed array can hold or than memory allows/);
    expect(() => full([2 ** 40], 1, { dtype: 'float64' })).toThrow(/^full: cannot allocate a float64 tensor of shape \[1099511627776\] .*8796093022208 bytes \(8\.0 TiB\)/);
    expect(() => randn([2 ** 30, 2 ** 30])).toThrow(/^randn: cannot allocate/);
  });

  it('Linear(2**20, 2**20)', () => {
    const make = (): unknown => new Linear(2 ** 20, 2 ** 20);
    expect(make).toThrow(DLError);
    expect(make).toThrow(/^Linear: cannot allocate its weight, a float32 tensor of shape \[1048576, 1048576\] \(1099511627776 elements\): 4398046511104 bytes \(4\.0 TiB\)/);
  });

  it('an op whose output cannot be allocated names the op', () => {
    const a = ones([2 ** 16, 1]);
    const b = ones([1, 2 ** 17]);
    // [65536, 131072] float32 = 2³³ elements: past the typed-array limit.
    expect(() => add(a, b)).toThrow(/^add: cannot allocate 8589934592 float32 elements: 34359738368 bytes \(32\.0 GiB\)/);
  });

  it("a kernel's own working array that cannot be allocated is named by the op too", () => {
    const scratchy = defineOp<void>({
      name: 'scratchy',
      forward: ([x]) => {
        const work = new Float64Array(2 ** 40);
        return x!.add(work.length);
      },
    });
    expect(() => scratchy([ones([2])])).toThrow(ValueError);
    expect(() => scratchy([ones([2])])).toThrow(/^scratchy: ran out of memory for a working array: Invalid typed array length: 1099511627776; the inputs are too large for this process$/);
  });
});

describe('a float class-index target is named as such (item 19)', () => {
  it('crossEntropy and nllLoss say what was likely meant', () => {
    const logits = randn([3, 7]);
    const target = tensor([0, 6, 3]);
    expect(() => crossEntropy(logits, target)).toThrow(DTypeError);
    expect(() => crossEntropy(logits, target)).toThrow(
      "crossEntropy: target has dtype float32 and shape [3], the shape of class indices for input [3, 7]; class indices must be int32 — did you mean int32? tensor([...], { dtype: 'int32' }) or target.to('int32') (a float target of the input's shape [3, 7] holds class probabilities)",
    );
    expect(() => nllLoss(logits, target)).toThrow(
      "nllLoss: target has dtype float32 (shape [3]); need int32 class indices — did you mean int32? tensor([...], { dtype: 'int32' }) or target.to('int32')",
    );
    // A probability target of the wrong shape is still described as one.
    expect(() => crossEntropy(logits, randn([3, 6]))).toThrow(ShapeError);
    expect(() => crossEntropy(logits, randn([3, 6]))).toThrow('crossEntropy: probability target has shape [3, 6]');
  });

  it('loss options are checked against the known keys', () => {
    expect(() => crossEntropy(randn([2, 3]), i32([0, 1]), { label_smoothing: 0.1 } as never)).toThrow(
      "crossEntropy: unknown option 'label_smoothing'; the options are reduction, weight, ignoreIndex, labelSmoothing — did you mean 'labelSmoothing'?",
    );
    expect(() => nllLoss(randn([2, 3]), i32([0, 1]), { ignore_index: 1 } as never)).toThrow(/did you mean 'ignoreIndex'\?/);
  });
});
