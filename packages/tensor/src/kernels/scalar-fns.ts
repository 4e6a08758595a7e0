/** Elementwise unary kernels by name; `p0`/`p1` carry parameters (slope, bounds). */
export type UnaryCode =
  | 'identity' | 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt'
  | 'square' | 'reciprocal' | 'sin' | 'cos' | 'tanh' | 'sigmoid' | 'relu' | 'leakyRelu' | 'elu'
  | 'gelu' | 'erf' | 'softplus' | 'clip' | 'logicalNot' | 'isFinite' | 'floor' | 'ceil' | 'round';

/** Elementwise binary kernels by name. */
export type BinaryCode =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or';

/**
 * Error function to double precision. For |x| < 3 the series
 * erf x = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)) has only positive
 * terms (no cancellation); beyond, erfc's continued fraction converges fast.
 */
export function erf(x: number): number {
  if (x !== x) return NaN;
  const z = Math.abs(x);
  if (z < 3) {
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let n = 0; n < 200 && term > sum * 1e-17; n++) {
      term *= (2 * z2) / (2 * n + 3);
      sum += term;
    }
    const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-z2) * sum;
    return x < 0 ? -r : r;
  }
  const r = 1 - erfcLarge(z);
  return x < 0 ? -r : r;
}

/**
 * Complementary error function 1 − erf(x), accurate in relative terms in
 * the far tail (where 1 − erf would cancel to nothing).
 */
export function erfc(x: number): number {
  if (x !== x) return NaN;
  if (x < 3) return 1 - erf(x);
  return erfcLarge(x);
}

/** erfc(z) for z ≥ 3 by the continued fraction z + ½/(z + 1/(z + 3/2/(z + …))), modified Lentz. */
function erfcLarge(z: number): number {
  if (z > 27) return 0;
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = z + an * d;
    d = d === 0 ? tiny : d;
    c = z + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
}

/** Scalar forms of the unary kernels: the reference semantics. */
export function unaryFn(code: UnaryCode, p0: number, p1: number): (x: number) => number {
  switch (code) {
    case 'identity': return (x) => x;
    case 'neg': return (x) => -x;
    case 'abs': return Math.abs;
    case 'sign': return (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN);
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'log1p': return Math.log1p;
    case 'expm1': return Math.expm1;
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (x) => 1 / Math.sqrt(x);
    case 'square': return (x) => x * x;
    case 'reciprocal': return (x) => 1 / x;
    case 'sin': return Math.sin;
    case 'cos': return Math.cos;
    case 'tanh': return Math.tanh;
    // Two branches so neither exp can overflow.
    case 'sigmoid': return (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    case 'relu': return (x) => (x > 0 ? x : x === x ? 0 : x);
    case 'leakyRelu': return (x) => (x > 0 ? x : p0 * x);
    case 'elu': return (x) => (x > 0 ? x : p0 * Math.expm1(x));
    // x·Φ(x) = ½x·erfc(−x/√2): erfc keeps the tail for very negative x exact.
    case 'gelu': return (x) => 0.5 * x * erfc(-x * Math.SQRT1_2);
    case 'erf': return erf;
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|), exact for large |x|.
    case 'softplus': return (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case 'clip': return (x) => (x < p0 ? p0 : x > p1 ? p1 : x);
    case 'logicalNot': return (x) => (x === 0 ? 1 : 0);
    case 'isFinite': return (x) => (Number.isFinite(x) ? 1 : 0);
    case 'floor': return Math.floor;
    case 'ceil': return Math.ceil;
    case 'round': return roundHalfEven;
  }
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Scalar forms of the binary kernels. Comparisons give 1 or 0. */
export function binaryFn(code: BinaryCode): (a: number, b: number) => number {
  switch (code) {
    case 'add': return (a, b) => a + b;
    case 'sub': return (a, b) => a - b;
    case 'mul': return (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'pow': return Math.pow;
    // NaN-propagating like torch.maximum, unlike Math.max's treatment of -0.
    case 'maximum': return (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b);
    case 'minimum': return (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b);
    case 'eq': return (a, b) => (a === b ? 1 : 0);
    case 'ne': return (a, b) => (a !== b ? 1 : 0);
    case 'lt': return (a, b) => (a < b ? 1 : 0);
    case 'le': return (a, b) => (a <= b ? 1 : 0);
    case 'gt': return (a, b) => (a > b ? 1 : 0);
    case 'ge': return (a, b) => (a >= b ? 1 : 0);
    case 'and': return (a, b) => (a !== 0 && b !== 0 ? 1 : 0);
    case 'or': return (a, b) => (a !== 0 || b !== 0 ? 1 : 0);
  }
}
