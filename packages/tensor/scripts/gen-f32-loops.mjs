// Generates src/kernels/elementwise-loops.generated.ts from one table of
// per-element expressions: the scalar functions, the generic loops the
// reference backend runs (any typed array) and the float32-only copies of the
// same loops the js and wasm backends run.
//
// Why generated: V8 keeps one type feedback per load/store site, so a loop
// that has seen Float64Array, Int32Array and Uint8Array goes megamorphic and
// runs ~3× slower on Float32Array than a loop that only ever sees
// Float32Array. The float32 copies exist only for that, so they are written
// from the same expressions as the reference loops and cannot drift: both
// compute in double and round once per store, bit for bit alike.
//
//   node scripts/gen-f32-loops.mjs          # write the generated file
//   node scripts/gen-f32-loops.mjs --check  # exit 1 if it is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const generatedPath = `${root}src/kernels/elementwise-loops.generated.ts`;

// ---- the table ---------------------------------------------------------
//
// Unary: `x` is the element, `p0`/`p1` the op's parameters (slope, bounds).
// Binary: `a` and `b` are the elements. Bool results are written `+(a > b)`
// rather than `a > b ? 1 : 0`: V8 then sets the byte without a branch, 2.6×
// faster on random data (a mispredicted branch per element otherwise). `pre` holds statements (consts) run
// before the expression. `bool: true` marks kernels whose output is a bool
// mask (0/1): their float32 copy reads Float32Array and writes Uint8Array.
// Helpers (erf, erfc, roundHalfEven) live in src/kernels/scalar-fns.ts.

/** @type {Record<string, { doc: string; expr: string; pre?: string[]; bool?: boolean }>} */
export const UNARY = {
  identity: { doc: 'x', expr: 'x' },
  neg: { doc: '−x', expr: '-x' },
  abs: { doc: '|x|', expr: 'Math.abs(x)' },
  sign: { doc: '−1, 0 or 1 (NaN stays NaN)', expr: 'x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN' },
  exp: { doc: 'eˣ', expr: 'Math.exp(x)' },
  log: { doc: 'ln x', expr: 'Math.log(x)' },
  log1p: { doc: 'ln(1 + x)', expr: 'Math.log1p(x)' },
  expm1: { doc: 'eˣ − 1', expr: 'Math.expm1(x)' },
  sqrt: { doc: '√x', expr: 'Math.sqrt(x)' },
  rsqrt: { doc: '1/√x', expr: '1 / Math.sqrt(x)' },
  square: { doc: 'x²', expr: 'x * x' },
  reciprocal: { doc: '1/x', expr: '1 / x' },
  sin: { doc: 'sin x', expr: 'Math.sin(x)' },
  cos: { doc: 'cos x', expr: 'Math.cos(x)' },
  tanh: { doc: 'tanh x', expr: 'Math.tanh(x)' },
  // e^{−|x|} ≤ 1: neither branch can overflow, and the x < 0 tail keeps its relative accuracy.
  sigmoid: { doc: '1/(1 + e⁻ˣ)', pre: ['const e = Math.exp(-Math.abs(x));'], expr: 'x >= 0 ? 1 / (1 + e) : e / (1 + e)' },
  relu: { doc: 'max(x, 0), NaN kept', expr: 'x > 0 ? x : x === x ? 0 : x' },
  leakyRelu: { doc: 'x, or p0·x for x ≤ 0', expr: 'x > 0 ? x : p0 * x' },
  elu: { doc: 'x, or p0·(eˣ − 1) for x ≤ 0', expr: 'x > 0 ? x : p0 * Math.expm1(x)' },
  // x·Φ(x) = ½x·erfc(−x/√2): erfc keeps the tail for very negative x exact.
  gelu: { doc: 'x·Φ(x)', expr: '0.5 * x * erfc(-x * Math.SQRT1_2)' },
  // ½x(1 + tanh u) = x·σ(2u): the σ form does not cancel for very negative x.
  geluTanh: {
    doc: '½x(1 + tanh(√(2/π)(x + 0.044715x³)))',
    pre: ['const u = 0.7978845608028654 * (x + 0.044715 * x * x * x);', 'const e = Math.exp(-2 * Math.abs(u));'],
    expr: 'u >= 0 ? x / (1 + e) : (x * e) / (1 + e)',
  },
  erf: { doc: 'erf x', expr: 'erf(x)' },
  // log(1 + eˣ) = max(x, 0) + log1p(e^−|x|), exact for large |x|.
  softplus: { doc: 'ln(1 + eˣ)', expr: 'Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))' },
  clip: { doc: 'x limited to [p0, p1]', expr: 'x < p0 ? p0 : x > p1 ? p1 : x' },
  logicalNot: { doc: '1 where x = 0, else 0', expr: '+(x === 0)', bool: true },
  isFinite: { doc: '1 where x is neither NaN nor ±∞', expr: '+Number.isFinite(x)', bool: true },
  floor: { doc: '⌊x⌋', expr: 'Math.floor(x)' },
  ceil: { doc: '⌈x⌉', expr: 'Math.ceil(x)' },
  round: { doc: 'nearest integer, halves to even', expr: 'roundHalfEven(x)' },
};

/** @type {Record<string, { doc: string; expr: string; bool?: boolean }>} */
export const BINARY = {
  add: { doc: 'a + b', expr: 'a + b' },
  sub: { doc: 'a − b', expr: 'a - b' },
  mul: { doc: 'a · b', expr: 'a * b' },
  div: { doc: 'a / b', expr: 'a / b' },
  pow: { doc: 'aᵇ', expr: 'Math.pow(a, b)' },
  // NaN-propagating like torch.maximum, unlike Math.max's treatment of −0.
  maximum: { doc: 'max(a, b), NaN propagating', expr: 'a !== a || b !== b ? NaN : a > b ? a : b' },
  minimum: { doc: 'min(a, b), NaN propagating', expr: 'a !== a || b !== b ? NaN : a < b ? a : b' },
  eq: { doc: 'a = b', expr: '+(a === b)', bool: true },
  ne: { doc: 'a ≠ b', expr: '+(a !== b)', bool: true },
  lt: { doc: 'a < b', expr: '+(a < b)', bool: true },
  le: { doc: 'a ≤ b', expr: '+(a <= b)', bool: true },
  gt: { doc: 'a > b', expr: '+(a > b)', bool: true },
  ge: { doc: 'a ≥ b', expr: '+(a >= b)', bool: true },
  and: { doc: 'a ∧ b (truthiness)', expr: '+(a !== 0) & +(b !== 0)', bool: true },
  or: { doc: 'a ∨ b (truthiness)', expr: '+(a !== 0) | +(b !== 0)', bool: true },
};

// ---- code generation ---------------------------------------------------

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const indent = (lines, n) => lines.map((l) => (l === '' ? l : ' '.repeat(n) + l));

/** Statements computing `x` (unary) or `a`, `b` (binary) into `dst[o]`. */
function unaryBody(def, read, store) {
  return [`const x = ${read};`, ...(def.pre ?? []), `${store} = ${def.expr};`];
}
function binaryBody(def, readA, readB, store) {
  return [...(readA ? [`const a = ${readA};`] : []), ...(readB ? [`const b = ${readB};`] : []), `${store} = ${def.expr};`];
}

function loop(body, bound = 'n', i = 'i') {
  return [`for (let ${i} = 0; ${i} < ${bound}; ${i}++) {`, ...indent(body, 2), '}'];
}

/** The unary dispatcher: one loop per code, over arrays of types `src`/`dst`. */
function unaryFunction(name, doc, srcType, dstType, codes) {
  const out = [`/** ${doc} */`, `export function ${name}(code: UnaryCode, src: ${srcType}, dst: ${dstType}, p0: number, p1: number): boolean {`, '  const n = src.length;', '  switch (code) {'];
  for (const code of codes) {
    out.push(`    case '${code}':`);
    out.push(...indent(loop(unaryBody(UNARY[code], 'src[i]!', 'dst[i]')), 6), '      return true;');
  }
  out.push('    default:', '      return false;', '  }', '}');
  return out;
}

/**
 * One function per binary code: flat loops for same-shape and scalar
 * operands, and rows of a NumPy broadcast (unit inner strides apart).
 */
function binaryFunction(name, code, aType, bType, oType) {
  const def = BINARY[code];
  const bc = (ai, bi) => binaryBody(def, `A[ao + j${ai}]!`, `B[bo + j${bi}]!`, 'O[o + j]');
  return [
    `function ${name}(A: ${aType}, aShape: Shape, B: ${bType}, bShape: Shape, O: ${oType}, outShape: Shape): void {`,
    '  const n = O.length;',
    '  if (n === 0) return;',
    '  if (A.length === n && B.length === n) {',
    ...indent(loop(binaryBody(def, 'A[i]!', 'B[i]!', 'O[i]')), 4),
    '    return;',
    '  }',
    '  if (B.length === 1 && A.length === n) {',
    '    const b = B[0]!;',
    ...indent(loop(binaryBody(def, 'A[i]!', null, 'O[i]')), 4),
    '    return;',
    '  }',
    '  if (A.length === 1 && B.length === n) {',
    '    const a = A[0]!;',
    ...indent(loop(binaryBody(def, null, 'B[i]!', 'O[i]')), 4),
    '    return;',
    '  }',
    '  const { inner, aStep, bStep, aRows, bRows } = broadcastRows(aShape, bShape, outShape);',
    '  for (let r = 0, o = 0; o < n; r++, o += inner) {',
    '    const ao = aRows[r]!;',
    '    const bo = bRows[r]!;',
    '    if (aStep === 1 && bStep === 1) {',
    ...indent(loop(bc('', ''), 'inner', 'j'), 6),
    '    } else {',
    ...indent(loop(bc(' * aStep', ' * bStep'), 'inner', 'j'), 6),
    '    }',
    '  }',
    '}',
  ];
}

function binaryDispatcher(name, doc, prefix, aType, bType, oType, codes) {
  return [
    `/** ${doc} */`,
    `export function ${name}(code: BinaryCode, a: ${aType}, aShape: Shape, b: ${bType}, bShape: Shape, out: ${oType}, outShape: Shape): boolean {`,
    '  switch (code) {',
    ...codes.flatMap((c) => [`    case '${c}':`, `      ${prefix}${cap(c)}(a, aShape, b, bShape, out, outShape);`, '      return true;']),
    '    default:',
    '      return false;',
    '  }',
    '}',
  ];
}

function scalarFunctions() {
  const unary = Object.entries(UNARY).flatMap(([code, def]) =>
    def.pre
      ? [`    case '${code}':`, '      return (x) => {', ...indent(def.pre, 8), `        return ${def.expr};`, '      };']
      : [`    case '${code}':`, `      return (x) => ${def.expr};`],
  );
  const binary = Object.entries(BINARY).flatMap(([code, def]) => [`    case '${code}':`, `      return (a, b) => ${def.expr};`]);
  return [
    '/** Scalar forms of the unary kernels: the reference semantics, one function per element. */',
    'export function unaryFn(code: UnaryCode, p0: number, p1: number): (x: number) => number {',
    '  switch (code) {',
    ...unary,
    '  }',
    '}',
    '',
    '/** Scalar forms of the binary kernels (comparisons and logic give 1 or 0). */',
    'export function binaryFn(code: BinaryCode): (a: number, b: number) => number {',
    '  switch (code) {',
    ...binary,
    '  }',
    '}',
  ];
}

/** The TypeScript source of the generated module. */
export function generate() {
  const unaryCodes = Object.keys(UNARY);
  const binaryCodes = Object.keys(BINARY);
  const floatUnary = unaryCodes.filter((c) => !UNARY[c].bool);
  const boolUnary = unaryCodes.filter((c) => UNARY[c].bool);
  const floatBinary = binaryCodes.filter((c) => !BINARY[c].bool);
  const boolBinary = binaryCodes.filter((c) => BINARY[c].bool);
  const lines = [
    '// Generated by scripts/gen-f32-loops.mjs from its table of per-element',
    '// expressions: do not edit. The generic loops (any typed array: the',
    '// reference backend) and the float32-only copies (the js and wasm backends;',
    '// monomorphic for V8) come from the same expressions, so they compute the',
    '// same double-precision value and round it once per store.',
    '',
    "import type { TypedArray } from '../dtype.js';",
    "import type { Shape } from '../shape.js';",
    "import { broadcastRows } from './broadcast-rows.js';",
    "import { erf, erfc, roundHalfEven } from './scalar-fns.js';",
    '',
    '/** Elementwise unary kernels by name; `p0`/`p1` carry parameters (slope, bounds). */',
    `export type UnaryCode =\n${unaryCodes.map((c) => `  | '${c}'`).join('\n')};`,
    '',
    '/** Elementwise binary kernels by name. */',
    `export type BinaryCode =\n${binaryCodes.map((c) => `  | '${c}'`).join('\n')};`,
    '',
    '/** Every unary code, in table order. */',
    `export const UNARY_CODES: readonly UnaryCode[] = [${unaryCodes.map((c) => `'${c}'`).join(', ')}];`,
    '/** Every binary code, in table order. */',
    `export const BINARY_CODES: readonly BinaryCode[] = [${binaryCodes.map((c) => `'${c}'`).join(', ')}];`,
    '/** Kernels whose result is a bool mask (0/1). */',
    `export const BOOL_CODES: ReadonlySet<UnaryCode | BinaryCode> = new Set([${[...boolUnary, ...boolBinary].map((c) => `'${c}'`).join(', ')}]);`,
    '',
    ...scalarFunctions(),
    '',
    ...unaryFunction('unaryLoop', '`dst[i] = f(src[i])` over any typed arrays (the reference loops). Returns false for an unknown code.', 'TypedArray', 'TypedArray', unaryCodes),
    '',
    ...unaryFunction('unaryLoopF32', 'The float32-only copy of `unaryLoop` for codes with a float result.', 'Float32Array', 'Float32Array', floatUnary),
    '',
    ...unaryFunction('unaryLoopF32Bool', 'The float32-input copy of `unaryLoop` for codes with a bool result.', 'Float32Array', 'Uint8Array', boolUnary),
    '',
    ...binaryDispatcher('binaryLoop', '`out = a ⊙ b` with NumPy broadcasting over any typed arrays (the reference loops). Returns false for an unknown code.', 'loop', 'TypedArray', 'TypedArray', 'TypedArray', binaryCodes),
    '',
    ...binaryDispatcher('binaryLoopF32', 'The float32-only copy of `binaryLoop` for codes with a float result.', 'f32', 'Float32Array', 'Float32Array', 'Float32Array', floatBinary),
    '',
    ...binaryDispatcher('binaryLoopF32Bool', 'The float32-input copy of `binaryLoop` for comparisons and logic (bool result).', 'f32', 'Float32Array', 'Float32Array', 'Uint8Array', boolBinary),
  ];
  for (const c of binaryCodes) lines.push('', ...binaryFunction(`loop${cap(c)}`, c, 'TypedArray', 'TypedArray', 'TypedArray'));
  for (const c of floatBinary) lines.push('', ...binaryFunction(`f32${cap(c)}`, c, 'Float32Array', 'Float32Array', 'Float32Array'));
  for (const c of boolBinary) lines.push('', ...binaryFunction(`f32${cap(c)}`, c, 'Float32Array', 'Float32Array', 'Uint8Array'));
  lines.push('');
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = generate();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(generatedPath, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${generatedPath} is stale: run node scripts/gen-f32-loops.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(generatedPath, text);
    console.log(`wrote ${generatedPath}`);
  }
}
