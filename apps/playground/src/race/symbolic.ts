import type { MathNode } from 'mathjs';
import { math } from './math.js';

/** A symbolic partial derivative from mathjs, within a budget that keeps it fast whatever f is typed. */
export interface SymbolicPartial {
  /** The formula as mathjs prints it, e.g. `2 * x`; null when f is too large to differentiate symbolically. */
  readonly formula: string | null;
  /** Whether mathjs simplified the formula (false: shown as differentiated, too large to simplify within the budget). */
  readonly simplified: boolean;
  /** Its value at (x, y), in float64; NaN when there is no formula. */
  evaluate(x: number, y: number): number;
}

/**
 * The budget. mathjs's `simplify` matches its rules against every grouping of
 * a sum or product, so its time grows about 3× per repeated term: `x+x+…+x+y`
 * with 30 x's ran for minutes, a 14-factor product for 85 s. Differentiating
 * without simplifying is fast (linear for sums and products, quadratic for
 * nesting), so mathjs always differentiates f of up to `maxInputNodes` nodes
 * and simplifies the result only when it has at most `maxSimplifyNodes`
 * nodes and no sum or product of more than `maxSimplifyChain` terms: over
 * 3,000 random and repetitive expressions within those bounds, the slowest
 * simplification took 0.15 s (2-core machine). Rosenbrock's and Beale's
 * partials (43 and 85 nodes, at most 4 terms) stay simplified.
 */
export const SYMBOLIC_BUDGET = { maxInputNodes: 400, maxSimplifyNodes: 150, maxSimplifyChain: 6 } as const;

/** Node count and the most operands of one sum (or product) once nested + − (or × ÷) are flattened, as mathjs's rules see them. */
export function treeSize(root: MathNode): { nodes: number; longestChain: number } {
  const family = (n: MathNode): string => {
    if (n.type !== 'OperatorNode') return '';
    const op = n as MathNode & { fn: string; args: MathNode[] };
    if (op.args.length !== 2) return '';
    if (op.fn === 'add' || op.fn === 'subtract') return '+';
    return op.fn === 'multiply' || op.fn === 'divide' ? '*' : '';
  };
  let nodes = 0;
  let longestChain = 0;
  // Iterative walks: an f nested a few hundred levels deep must not overflow the stack here.
  const stack: MathNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    nodes++;
    const f = family(n);
    if (f !== '') {
      let operands = 0;
      const chain: MathNode[] = [n];
      while (chain.length > 0) {
        const m = chain.pop()!;
        if (family(m) === f) chain.push(...(m as MathNode & { args: MathNode[] }).args);
        else operands++;
      }
      longestChain = Math.max(longestChain, operands);
    }
    n.forEach((child) => stack.push(child));
  }
  return { nodes, longestChain };
}

function evaluator(node: MathNode): (x: number, y: number) => number {
  const compiled = node.compile();
  return (x, y) => {
    const v: unknown = compiled.evaluate({ x, y });
    return typeof v === 'number' ? v : Number.NaN;
  };
}

const UNAVAILABLE: SymbolicPartial = { formula: null, simplified: false, evaluate: () => Number.NaN };

function usesVariables(node: MathNode): boolean {
  return node.filter((n) => n.type === 'SymbolNode' && ((n as MathNode & { name: string }).name === 'x' || (n as MathNode & { name: string }).name === 'y')).length > 0;
}

/**
 * ∂f/∂`variable` by mathjs within {@link SYMBOLIC_BUDGET}: simplified when
 * small, as differentiated (or its value, when constant) when larger, and
 * unavailable (formula null) when f is too large or too deeply nested for
 * mathjs — then autograd alone gives the gradient.
 *
 * @example symbolicPartial(math.parse('x^2 - y^2'), 'x').formula // '2 * x'
 */
export function symbolicPartial(node: MathNode, variable: 'x' | 'y'): SymbolicPartial {
  if (treeSize(node).nodes > SYMBOLIC_BUDGET.maxInputNodes) return UNAVAILABLE;
  let d: MathNode;
  try {
    d = math.derivative(node, variable, { simplify: false });
    const size = treeSize(d);
    if (size.nodes <= SYMBOLIC_BUDGET.maxSimplifyNodes && size.longestChain <= SYMBOLIC_BUDGET.maxSimplifyChain) {
      const s = math.simplify(d);
      return { formula: s.toString(), simplified: true, evaluate: evaluator(s) };
    }
    const evaluate = evaluator(d);
    // A derivative without x or y (1 + 1 + … + 1 of a long sum) reads best as its value.
    if (!usesVariables(d)) {
      const v = evaluate(0, 0);
      return { formula: String(v), simplified: true, evaluate: () => v };
    }
    return { formula: d.toString(), simplified: false, evaluate };
  } catch (e) {
    // mathjs recurses over the tree: a deeply nested f overflows its stack.
    if (e instanceof RangeError) return UNAVAILABLE;
    throw e;
  }
}

/**
 * What to tell the user about the symbolic side, or null when both partials
 * are simplified formulas.
 *
 * @example symbolicNote({ x: p, y: p }) // 'mathjs’s derivative is shown unsimplified: …'
 */
export function symbolicNote(partials: { readonly x: SymbolicPartial; readonly y: SymbolicPartial }): string | null {
  const both = [partials.x, partials.y];
  if (both.some((p) => p.formula === null)) {
    return `f is too large for mathjs to differentiate symbolically (more than ${SYMBOLIC_BUDGET.maxInputNodes} terms or too deeply nested): autograd alone gives the gradient.`;
  }
  if (both.some((p) => !p.simplified)) {
    return 'mathjs’s derivative is shown as differentiated, not simplified: simplifying a formula this long could take minutes.';
  }
  return null;
}
