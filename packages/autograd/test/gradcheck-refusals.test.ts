// Issue 17, item 10: gradcheck must not pass a function it cannot check — one
// whose outputs are not float64 (a cast to float32 hid a gradient 123× too
// large) or that returns no outputs.
import { describe, expect, it } from 'vitest';
import { DTypeError, Generator, ValueError, cast, defineOp, mul, randn, sum, type Tensor } from '@dl/tensor';
import { gradcheck, gradgradcheck } from '../src/index.js';

// x ↦ 2x with a backward 123 times too large.
const wrongDouble = defineOp<void>({
  name: 'wrongDouble',
  forward: ([x]) => mul(x!, 2),
  backward: [(g) => mul(g, 246)],
});

const x = (): Tensor => randn([3], { dtype: 'float64', generator: new Generator(0) });

describe('gradcheck refuses what it cannot check (item 10)', () => {
  it('catches the wrong gradient in float64', () => {
    expect(() => gradcheck((a) => wrongDouble([a]), [x()])).toThrow(/Jacobian mismatch/);
  });

  it('refuses a float32 output instead of passing the wrong gradient', () => {
    const f = (a: Tensor) => cast(wrongDouble([a]), 'float32');
    expect(() => gradcheck(f, [x()])).toThrow(DTypeError);
    expect(() => gradcheck(f, [x()])).toThrow(
      'gradcheck: output 0 has dtype float32 (shape [3]); finite differences need float64 outputs (a float32 output, or a cast to it, makes the check too coarse to catch a wrong gradient); return it in float64',
    );
    expect(() => gradcheck((a) => [sum(a), cast(a, 'float32')], [x()], { raiseException: false })).toThrow(/output 1 has dtype float32/);
  });

  it('refuses a function with no float64 output to check', () => {
    expect(() => gradcheck(() => [], [x()])).toThrow('gradcheck: the function returned no outputs; need at least one float64 output to check');
    expect(() => gradcheck((a) => cast(a, 'int32'), [x()])).toThrow('gradcheck: the function returned only int32 outputs; need at least one float64 output to check');
    expect(() => gradcheck(() => 3 as never, [x()])).toThrow(ValueError);
    expect(() => gradcheck(() => 3 as never, [x()])).toThrow('gradcheck: the function returned number 3 as output 0; need a Tensor or an array of Tensors');
  });

  it('integer outputs beside float64 ones are skipped, not refused', () => {
    expect(gradcheck((a) => [mul(a, a), cast(a, 'int32')], [x()])).toBe(true);
  });

  it('gradgradcheck of a function whose gradient does not depend on the input still runs', () => {
    expect(gradgradcheck((a) => mul(a, 3), [x()])).toBe(true);
  });

  it('options are checked against the known keys', () => {
    expect(() => gradcheck((a) => mul(a, a), [x()], { rel_tol: 1e-3 } as never)).toThrow(/gradcheck: unknown option 'rel_tol'.* did you mean 'rtol'\?/);
    expect(() => gradcheck((a) => mul(a, a), [x()], { seed: 1 } as never)).toThrow(/gradcheck: unknown option 'seed'/);
  });
});
