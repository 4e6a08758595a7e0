// Writes the float32 copies of generic typed-array loops in place, from the
// generic functions themselves (named `…Any`), in the files listed below.
//
// Why copies: V8 keeps one type feedback per load/store site, so a loop that
// has seen Float64Array runs ~3× slower on Float32Array than a loop that only
// ever sees Float32Array. The copies exist only for that, so they are written
// here from the generic bodies — `fooAny` becomes `fooF32` with `FloatArray`
// read as `Float32Array` — and cannot drift from them. Each file keeps its
// copies between two marker lines; everything else in it is hand-written.
// (The elementwise loops have their own table-driven generator,
// gen-f32-loops.mjs.)
//
//   node scripts/gen-f32-copies.mjs          # rewrite the marked regions
//   node scripts/gen-f32-copies.mjs --check  # exit 1 if any is stale
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const FILES = [
  'src/nn/internal/batch-norm-kernels.ts',
  'src/nn/internal/layer-norm-kernels.ts',
  'src/nn/internal/embedding-kernels.ts',
];
const BEGIN = '// ---- float32 copies, written by scripts/gen-f32-copies.mjs from the …Any functions: do not edit ----';
const END = '// ---- end of the float32 copies ----';

/** Every `function nameAny(` … `}` in `src`, in order (brace matching from the body's opening brace). */
function genericFunctions(src) {
  const out = [];
  const re = /^(export )?function (\w+Any)\(/gm;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    // The body opens at the first `{` after the parameter list's closing `)` and return type.
    let depth = 0;
    let i = m.index + m[0].length - 1;
    for (; i < src.length; i++) {
      if (src[i] === '(') depth++;
      else if (src[i] === ')' && --depth === 0) break;
    }
    const open = src.indexOf('{', i);
    depth = 0;
    let j = open;
    for (; j < src.length; j++) {
      if (src[j] === '{') depth++;
      else if (src[j] === '}' && --depth === 0) break;
    }
    out.push(src.slice(m.index, j + 1));
  }
  return out;
}

function copies(src) {
  return genericFunctions(src)
    .map((fn) => fn.replace(/\b(\w+)Any\b/g, '$1F32').replace(/\bFloatArray\b/g, 'Float32Array'))
    .join('\n\n');
}

function regenerate(path) {
  const src = readFileSync(path, 'utf8');
  const a = src.indexOf(BEGIN);
  const b = src.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${path}: no region between the marker lines`);
  const before = src.slice(0, a);
  return `${before}${BEGIN}\n\n${copies(before)}\n\n${END}\n${src.slice(b + END.length).replace(/^\n/, '')}`;
}

let stale = false;
for (const file of FILES) {
  const path = `${root}${file}`;
  const next = regenerate(path);
  if (process.argv.includes('--check')) {
    if (next !== readFileSync(path, 'utf8')) {
      console.error(`${file}: its float32 copies are stale: run node scripts/gen-f32-copies.mjs`);
      stale = true;
    }
  } else writeFileSync(path, next);
}
if (stale) process.exit(1);
