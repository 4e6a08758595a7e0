/**
 * The same benchmark in two checkouts of this repository, rounds
 * interleaved (this host's speed drifts 2–3× within an hour, so "before"
 * and "after" must share the sitting): each round runs the bench once in
 * the baseline checkout and once here, with `--json --only dl --rounds 1`,
 * and the table gives each metric's median and spread in both and the
 * ratio. Both checkouts must be built (their dist/ is what runs).
 *
 *   git worktree add /tmp/before <commit> && (cd /tmp/before && npx -y pnpm@12.4.2 install --offline && npx -y pnpm@12.4.2 exec turbo run build)
 *   pnpm --filter @dl/autograd exec tsx bench/compare-checkouts.ts --baseline /tmp/before --rounds 7 bench/per-call.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  options: { baseline: { type: 'string' }, rounds: { type: 'string', default: '5' } },
  allowPositionals: true,
});
const [bench] = positionals;
if (!opts.baseline || bench === undefined) {
  console.error('usage: compare-checkouts.ts --baseline <other checkout> [--rounds n] <bench file relative to packages/autograd>');
  process.exit(2);
}
const benchFile: string = bench;
const here = join(import.meta.dirname, '..');
const there = join(opts.baseline, 'packages/autograd');

type Result = Record<string, Record<string, number[]>>;
function runIn(dir: string): Result {
  const r = spawnSync('npx', ['tsx', benchFile, '--json', '--only', 'dl', '--rounds', '1'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench failed in ${dir}:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').at(-1)!;
  return JSON.parse(line) as Result;
}

const samples = { before: new Map<string, number[]>(), after: new Map<string, number[]>() };
const add = (into: Map<string, number[]>, res: Result): void => {
  for (const metrics of Object.values(res)) {
    for (const [k, v] of Object.entries(metrics)) into.set(k, [...(into.get(k) ?? []), ...v]);
  }
};
const rounds = Number(opts.rounds);
for (let i = 0; i < rounds; i++) {
  add(samples.before, runIn(there));
  add(samples.after, runIn(here));
  process.stderr.write(`round ${i + 1}/${rounds}\n`);
}
const med = (xs: number[]): number => [...xs].sort((p, q) => p - q)[xs.length >> 1]!;
const fmt = (xs: number[]): string => `${med(xs).toFixed(med(xs) < 10 ? 2 : 0)} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
console.log(`\nµs per call, median [min–max] over ${rounds} interleaved rounds; before = ${opts.baseline}, after = this checkout\n`);
console.log('| call | before | after | before / after |');
console.log('|---|---|---|---|');
for (const [k, after] of samples.after) {
  const before = samples.before.get(k);
  console.log(`| ${k} | ${before ? fmt(before) : '—'} | ${fmt(after)} | ${before ? `${(med(before) / med(after)).toFixed(2)}×` : '—'} |`);
}
