import { type Tensor, add, div, mul, neg, pow, square, sub } from '@dl/tensor';
import type { FunctionNode, MathNode, OperatorNode, ParenthesisNode, SymbolNode } from 'mathjs';
import { ExpressionError } from './expression-error.js';
import { SUPPORTED_FUNCTIONS, SUPPORTED_FUNCTION_NAMES, type Value } from './functions.js';

/** A compiled expression: dl ops on the two coordinates (each shape [1], float64), or a number when f is constant. */
export type DlExpression = (x: Tensor, y: Tensor) => Value;

/** The operators a race expression may use (mathjs's names for them). */
const OPERATORS: ReadonlyMap<string, (a: Value, b: Value) => Value> = new Map<string, (a: Value, b: Value) => Value>([
  ['add', (a, b) => (typeof a === 'number' && typeof b === 'number' ? a + b : add(a, b))],
  ['subtract', (a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : sub(a, b))],
  ['multiply', (a, b) => (typeof a === 'number' && typeof b === 'number' ? a * b : mul(a, b))],
  ['divide', (a, b) => (typeof a === 'number' && typeof b === 'number' ? a / b : div(a, b))],
  // square(t) rather than pow(t, 2): its gradient 2t needs no aᵇ⁻¹ and is exact.
  ['pow', (a, b) => (typeof a === 'number' && typeof b === 'number' ? a ** b : b === 2 && typeof a !== 'number' ? square(a) : pow(a, b))],
]);

/** The symbols f may use besides x and y, with their values. */
const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['PI', Math.PI],
  ['e', Math.E],
  ['E', Math.E],
]);

/** Wording shared by the error messages. */
export const ALLOWED_SUMMARY = `numbers, x, y, pi, e, + - * / ^, parentheses and ${SUPPORTED_FUNCTION_NAMES.join(', ')}`;

const SYNTAX_NAMES: Readonly<Record<string, string>> = {
  AssignmentNode: 'an assignment (=)',
  FunctionAssignmentNode: 'a function definition',
  ArrayNode: 'a vector or matrix ([...])',
  ObjectNode: 'an object ({...})',
  IndexNode: 'indexing',
  AccessorNode: 'indexing or a property access',
  ConditionalNode: 'a conditional (? :)',
  RangeNode: 'a range (:)',
  RelationalNode: 'a comparison',
  BlockNode: 'several expressions (; or a line break)',
};

/** 1-based position of `word` standing alone in `text` (not inside a longer name), or null. */
function wordPosition(text: string, word: string): number | null {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const at = text.search(new RegExp(`(?<![A-Za-z0-9_$])${escaped}(?![A-Za-z0-9_$])`));
  return at < 0 ? null : at + 1;
}

function where(position: number | null): string {
  return position === null ? '' : ` at character ${position}`;
}

/**
 * Compiles a parsed mathjs expression into dl ops, so that autograd can
 * differentiate it, refusing (with an `ExpressionError` naming what was typed
 * and what is allowed) any variable other than x and y, any function dl or
 * mathjs's `derivative` cannot handle, and any syntax beyond a single formula.
 *
 * @example
 * const f = compileToDl(math.parse('x^2 + sin(y)'), 'x^2 + sin(y)');
 * f(x, y); // a tensor of shape [1]
 */
export function compileToDl(root: MathNode, text: string): DlExpression {
  const fail = (kind: ConstructorParameters<typeof ExpressionError>[0], message: string, position: number | null): never => {
    throw new ExpressionError(kind, message, text, position);
  };

  const compile = (node: MathNode): DlExpression => {
    switch (node.type) {
      case 'ConstantNode': {
        const value: unknown = (node as MathNode & { value: unknown }).value;
        if (typeof value !== 'number') {
          return fail('constant', `Unsupported constant ${node.toString()} in "${text}": f may use numbers only (no strings or booleans).`, null);
        }
        if (!Number.isFinite(value)) {
          const position = wordPosition(text, node.toString());
          return fail('constant', `The constant ${node.toString()}${where(position)} in "${text}" is not a finite number.`, position);
        }
        return () => value;
      }
      case 'SymbolNode': {
        const { name } = node as SymbolNode;
        if (name === 'x') return (x) => x;
        if (name === 'y') return (_x, y) => y;
        const constant = CONSTANTS.get(name);
        if (constant !== undefined) return () => constant;
        const position = wordPosition(text, name);
        if (SUPPORTED_FUNCTIONS.has(name)) {
          return fail('syntax', `"${name}" is a function${where(position)} in "${text}": write its argument in parentheses, as in ${name}(x).`, position);
        }
        return fail('unknown-variable', `Unknown variable "${name}"${where(position)} in "${text}": f may use only x and y (and the constants pi and e).`, position);
      }
      case 'ParenthesisNode':
        return compile((node as ParenthesisNode).content);
      case 'OperatorNode':
        return compileOperator(node as OperatorNode<never, never>);
      case 'FunctionNode':
        return compileFunction(node as FunctionNode);
      default: {
        const what = SYNTAX_NAMES[node.type] ?? node.type;
        return fail('unsupported-syntax', `Unsupported syntax in "${text}": ${what}. f must be one formula in x and y using ${ALLOWED_SUMMARY}.`, null);
      }
    }
  };

  const compileOperator = (node: OperatorNode<never, never>): DlExpression => {
    const op = node.op as string;
    const fn = node.fn as string;
    const args = node.args.map(compile);
    if (fn === 'unaryMinus' && args.length === 1) {
      const [a] = args as [DlExpression];
      return (x, y) => {
        const v = a(x, y);
        return typeof v === 'number' ? -v : neg(v);
      };
    }
    if (fn === 'unaryPlus' && args.length === 1) return args[0]!;
    const binary = OPERATORS.get(fn);
    if (binary === undefined || args.length < 2) {
      const at = text.indexOf(op);
      const position = at < 0 ? null : at + 1;
      return fail('unsupported-operator', `Unsupported operator "${op}"${where(position)} in "${text}". Supported operators: + - * / ^ (and implicit multiplication, as in 2x).`, position);
    }
    // mathjs may give + and * more than two operands; fold left as it evaluates them.
    return (x, y) => args.slice(1).reduce((acc, arg) => binary(acc, arg(x, y)), args[0]!(x, y));
  };

  const compileFunction = (node: FunctionNode): DlExpression => {
    const callee = node.fn as MathNode;
    if (callee.type !== 'SymbolNode') {
      return fail('unsupported-syntax', `Unsupported call in "${text}": only named functions (${SUPPORTED_FUNCTION_NAMES.join(', ')}) may be called.`, null);
    }
    const { name } = callee as SymbolNode;
    const position = wordPosition(text, name);
    const spec = SUPPORTED_FUNCTIONS.get(name);
    if (spec === undefined) {
      return fail('unsupported-function', `Unsupported function "${name}"${where(position)} in "${text}". Supported functions: ${SUPPORTED_FUNCTION_NAMES.join(', ')}.`, position);
    }
    const [lo, hi] = spec.arity;
    if (node.args.length < lo || node.args.length > hi) {
      const wanted = lo === hi ? `${lo} argument${lo === 1 ? '' : 's'}` : `${lo} to ${hi} arguments`;
      return fail('arity', `${name} takes ${wanted}, got ${node.args.length}${where(position)} in "${text}".`, position);
    }
    const args = node.args.map(compile);
    return (x, y) => {
      const values = args.map((a) => a(x, y));
      return values.every((v): v is number => typeof v === 'number') ? spec.num(values) : spec.dl(values);
    };
  };

  return compile(root);
}
