import { gradients } from '@dl/autograd';
import { type Tensor, tensor } from '@dl/tensor';
import type { MathNode } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { math } from '../../src/race/math.js';
import { type DlExpression, compileToDl } from '../../src/race/to-dl.js';
import { itRefuses } from './refusals.js';

const compile = (text: string): DlExpression => compileToDl(math.parse(text), text);

/** f and its gradient at (x, y), each coordinate a float64 tensor of shape [1]. */
function valueAndGradAt(f: DlExpression, x: number, y: number): { value: number; grad: [number, number] } {
  const tx = tensor([x], { dtype: 'float64', requiresGrad: true });
  const ty = tensor([y], { dtype: 'float64', requiresGrad: true });
  const out = f(tx, ty) as Tensor;
  expect(typeof out).toBe('object');
  expect(out.dtype).toBe('float64');
  expect(out.shape).toEqual([1]);
  const [gx, gy] = gradients(out, [tx, ty], { allowUnused: true });
  return { value: out.data[0]!, grad: [gx!.data[0]!, gy!.data[0]!] };
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * (1 + Math.abs(b));

const sec = (t: number) => 1 / Math.cos(t);
const csc = (t: number) => 1 / Math.sin(t);
// [expression, f(x, y), [∂f/∂x, ∂f/∂y]] in closed form.
const CASES: [string, (x: number, y: number) => number, (x: number, y: number) => [number, number]][] = [
  ['x + y', (x, y) => x + y, () => [1, 1]],
  ['x - y', (x, y) => x - y, () => [1, -1]],
  ['x * y', (x, y) => x * y, (x, y) => [y, x]],
  ['x / y', (x, y) => x / y, (x, y) => [1 / y, -x / (y * y)]],
  ['3 / x', (x) => 3 / x, (x) => [-3 / (x * x), 0]],
  ['x ^ y', (x, y) => x ** y, (x, y) => [y * x ** (y - 1), x ** y * Math.log(x)]],
  ['2 ^ x', (x) => 2 ** x, (x) => [2 ** x * Math.LN2, 0]],
  ['x ^ 2', (x) => x * x, (x) => [2 * x, 0]],
  ['y ^ 3', (_x, y) => y ** 3, (_x, y) => [0, 3 * y * y]],
  ['x ^ -1', (x) => 1 / x, (x) => [-1 / (x * x), 0]],
  ['x ^ 0.5', (x) => Math.sqrt(x), (x) => [0.5 / Math.sqrt(x), 0]],
  ['x ^ (1/3)', (x) => Math.cbrt(x), (x) => [1 / (3 * Math.cbrt(x) ** 2), 0]],
  ['-x', (x) => -x, () => [-1, 0]],
  ['+y', (_x, y) => y, () => [0, 1]],
  ['-(x * y)', (x, y) => -x * y, (x, y) => [-y, -x]],
  ['x - -y', (x, y) => x + y, () => [1, 1]],
  ['sin(x)', Math.sin, (x) => [Math.cos(x), 0]],
  ['cos(y)', (_x, y) => Math.cos(y), (_x, y) => [0, -Math.sin(y)]],
  ['tan(x)', Math.tan, (x) => [sec(x) ** 2, 0]],
  ['sec(x)', sec, (x) => [sec(x) * Math.tan(x), 0]],
  ['csc(x)', csc, (x) => [-csc(x) / Math.tan(x), 0]],
  ['cot(x)', (x) => 1 / Math.tan(x), (x) => [-(csc(x) ** 2), 0]],
  ['sinh(x)', Math.sinh, (x) => [Math.cosh(x), 0]],
  ['cosh(x)', Math.cosh, (x) => [Math.sinh(x), 0]],
  ['tanh(x)', Math.tanh, (x) => [1 - Math.tanh(x) ** 2, 0]],
  ['exp(x)', Math.exp, (x) => [Math.exp(x), 0]],
  ['log(x)', Math.log, (x) => [1 / x, 0]],
  ['log(x, 2)', (x) => Math.log(x) / Math.LN2, (x) => [1 / (x * Math.LN2), 0]],
  ['log(2, y)', (_x, y) => Math.LN2 / Math.log(y), (_x, y) => [0, -Math.LN2 / (y * Math.log(y) ** 2)]],
  ['log(x, y)', (x, y) => Math.log(x) / Math.log(y), (x, y) => [1 / (x * Math.log(y)), -Math.log(x) / (y * Math.log(y) ** 2)]],
  ['log10(x)', Math.log10, (x) => [1 / (x * Math.LN10), 0]],
  ['sqrt(y)', (_x, y) => Math.sqrt(y), (_x, y) => [0, 0.5 / Math.sqrt(y)]],
  ['abs(x - y)', (x, y) => Math.abs(x - y), (x, y) => [Math.sign(x - y), -Math.sign(x - y)]],
  ['pi x + e y', (x, y) => Math.PI * x + Math.E * y, () => [Math.PI, Math.E]],
];
// Inside every case's domain (x, y > 0, y ≠ 1, x ≠ y, away from poles).
const POINTS: [number, number][] = [
  [0.3, 1.7],
  [0.8, 0.45],
  [1.3, 2.6],
];

describe('compileToDl', () => {
  for (const [text, value, grad] of CASES) {
    it(`maps ${text} to dl ops with its value and gradient in float64`, () => {
      const f = compile(text);
      for (const [x, y] of POINTS) {
        const got = valueAndGradAt(f, x, y);
        expect(close(got.value, value(x, y), 1e-14), `${text} at (${x}, ${y}): ${got.value} vs ${value(x, y)}`).toBe(true);
        const [ex, ey] = grad(x, y);
        expect(close(got.grad[0], ex, 1e-13), `∂/∂x of ${text} at (${x}, ${y}): ${got.grad[0]} vs ${ex}`).toBe(true);
        expect(close(got.grad[1], ey, 1e-13), `∂/∂y of ${text} at (${x}, ${y}): ${got.grad[1]} vs ${ey}`).toBe(true);
      }
    });
  }

  it('folds a formula without x or y into a plain number, computed as JavaScript computes it', () => {
    const folded: [string, number][] = [
      ['2 pi', 2 * Math.PI],
      ['-3', -3],
      ['+4', 4],
      ['e^2 - 3/4', Math.E ** 2 - 3 / 4],
      ['(1 + 2) * 5 / 4', 3.75],
      ['2^0.5', Math.SQRT2],
      ['sqrt(16) + log(e) + sin(pi / 2)', 6],
      ['log(8, 2)', Math.log(8) / Math.log(2)],
      ['abs(-PI) + E', Math.PI + Math.E],
    ];
    const x = tensor([0.5], { dtype: 'float64' });
    const y = tensor([2], { dtype: 'float64' });
    for (const [text, want] of folded) expect(compile(text)(x, y), text).toBe(want);
  });

  it('folds n-ary + and - left to right, as mathjs evaluates them', () => {
    const m = math as unknown as { OperatorNode: new (op: string, fn: string, args: MathNode[]) => MathNode; SymbolNode: new (name: string) => MathNode; ConstantNode: new (v: number) => MathNode };
    const node = new m.OperatorNode('-', 'subtract', [new m.ConstantNode(10), new m.SymbolNode('x'), new m.SymbolNode('y')]);
    const f = compileToDl(node, '10 - x - y');
    const { value, grad } = valueAndGradAt(f, 3, 2);
    expect(value).toBe(5);
    expect(grad).toEqual([-1, -1]);
  });
});

describe('compileToDl errors', () => {
  itRefuses(compile, [
    ['x + z', 'unknown-variable', /^Unknown variable "z" at character 5 in "x \+ z": f may use only x and y/, 5],
    ['3 cm', 'unknown-variable', /Unknown variable "cm"/, 3],
    ['foo(x)', 'unsupported-function', /^Unsupported function "foo" at character 1 in "foo\(x\)"\. Supported functions: sin, cos, .*sqrt, abs\.$/, 1],
    ['asin(x) + y', 'unsupported-function', /"asin"/, 1],
    ['sin x', 'syntax', /"sin" is a function .* write its argument in parentheses, as in sin\(x\)/, 1],
    ['x!', 'unsupported-operator', /^Unsupported operator "!" at character 2 in "x!"\. Supported operators: \+ - \* \/ \^/, 2],
    ['not x', 'unsupported-operator', /^Unsupported operator "not" at character 1/, 1],
    ['x mod y', 'unsupported-operator', /"mod"/, 3],
    ['x > y', 'unsupported-operator', /">"/, 3],
    ['x = 2', 'unsupported-syntax', /an assignment/, null],
    ['[x, y]', 'unsupported-syntax', /a vector or matrix/, null],
    ['x > 0 ? x : y', 'unsupported-syntax', /a conditional/, null],
    ['x; y', 'unsupported-syntax', /^Unsupported syntax in "x; y": several expressions \(; or a line break\)\. f must be one formula in x and y using numbers, x, y, pi, e/, null],
    ['a.b(x)', 'unsupported-syntax', /^Unsupported call in "a\.b\(x\)": only named functions \(sin, .*, abs\) may be called\.$/, null],
    ['sin(x, y)', 'arity', /^sin takes 1 argument, got 2/, 1],
    ['log()', 'arity', /^log takes 1 to 2 arguments, got 0/, 1],
    ['Infinity * x', 'constant', /not a finite number/, 1],
    ['"a" + x', 'constant', /numbers only/, null],
    ['true + x', 'constant', /^Unsupported constant true in "true \+ x": f may use numbers only/, null],
  ]);
});
