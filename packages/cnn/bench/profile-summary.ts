/**
 * Where a `node --cpu-prof` profile of the LeNet benchmark spends its time:
 * self time per function on the profiled thread, WebAssembly functions named
 * from the export section of the core's module (an internal function by the
 * exported kernel that called it).
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/lenet-prof --import tsx --conditions=@dl/source \
 *     bench/lenet.bench.ts --quick --only "dl wasm 2" --workload train
 *   npx tsx bench/profile-summary.ts /tmp/lenet-prof/<the main thread's .cpuprofile> [rows]
 *
 * The main thread's profile is the one whose name ends in `.0.001.cpuprofile`; the kernels' worker
 * threads write their own.
 */
import { readFileSync } from 'node:fs';
import { wasmBinaries } from '../../tensor/src/kernels/wasm/modules.generated.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Function index → export name, from a wasm binary's export section. */
function exportNames(bytes: Uint8Array): Map<number, string> {
  const names = new Map<number, string>();
  let p = 8;
  const leb = (): number => {
    let r = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[p++]!;
      r |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return r >>> 0;
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = leb();
    const end = p + size;
    if (id === 7) {
      const n = leb();
      for (let i = 0; i < n; i++) {
        const len = leb();
        const name = new TextDecoder().decode(bytes.subarray(p, p + len));
        p += len;
        const kind = bytes[p++]!;
        const index = leb();
        if (kind === 0) names.set(index, name);
      }
    }
    p = end;
  }
  return names;
}

const file = process.argv[2];
if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [rows]');
const rows = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const exported = exportNames(Buffer.from(wasmBinaries.plainShared, 'base64'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function label(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const wasm = /^wasm-function\[(\d+)\]$/.exec(functionName);
  if (!wasm) return `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}${lineNumber > 0 ? `:${lineNumber}` : ''}`;
  const own = exported.get(Number(wasm[1]));
  if (own) return `wasm ${own}`;
  // An internal function: name it by the nearest exported kernel up the stack.
  for (let q = parent.get(n.id); q !== undefined; q = parent.get(q)) {
    const m = /^wasm-function\[(\d+)\]$/.exec(byId.get(q)!.callFrame.functionName);
    if (!m) break;
    const name = exported.get(Number(m[1]));
    if (name) return `wasm (inside ${name})`;
  }
  return `wasm ${functionName} (called from JS)`;
}

const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const key = label(byId.get(id)!);
  self.set(key, (self.get(key) ?? 0) + dt);
});
let wasmShare = 0;
for (const [k, v] of self) if (k.startsWith('wasm')) wasmShare += v;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled; WebAssembly ${((100 * wasmShare) / total).toFixed(1)}% of it\n`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
