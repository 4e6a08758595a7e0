import { describe, expect, it } from 'vitest';
import type { FixedResult } from '../../src/selfcheck/fixed-computation.js';
import { type CheckedRun, selfCheckVerdict } from '../../src/selfcheck/verdict.js';

const result = (fingerprint: string, sum: number): FixedResult => ({ name: 'matmul', shape: [2], fingerprint, sum, absSum: 100, head: [] });
const run = (backend: string, variant: string, threadsUsed: number, fingerprint: string, sum: number): CheckedRun => ({ backend, variant, threadsUsed, results: [result(fingerprint, sum)] });

describe('selfCheckVerdict', () => {
  it('passes when thread counts agree bit for bit and every build is near the reference, even if builds differ', () => {
    const v = selfCheckVerdict([
      run('wasm', 'plain', 1, 'aa', 10),
      run('wasm', 'plain', 2, 'aa', 10),
      run('wasm', 'relaxed', 1, 'bb', 10 + 1e-7),
      run('wasm', 'relaxed', 2, 'bb', 10 + 1e-7),
      run('js', 'unavailable', 1, 'cc', 10),
      run('reference', 'unavailable', 1, 'cc', 10),
    ]);
    expect(v.pass).toBe(true);
    expect(v.worst).toBeCloseTo(1e-9, 15);
    expect(v.text).toMatch(/^✓ Pass: the thread count never changes a bit, and every build is within 0\.00001 of the reference kernels \(largest deviation 1\.0e-9\)/);
  });

  it('fails, saying where, when the thread count changes a result or a build strays', () => {
    const threads = selfCheckVerdict([run('wasm', 'plain', 1, 'aa', 10), run('wasm', 'plain', 2, 'ab', 10), run('reference', 'unavailable', 1, 'cc', 10)]);
    expect(threads.pass).toBe(false);
    expect(threads.text).toBe('✗ Fail: wasm plain on 2 threads differs from 1 at “matmul”.');
    const strays = selfCheckVerdict([run('wasm', 'plain', 1, 'aa', 10.01), run('reference', 'unavailable', 1, 'cc', 10)]);
    expect(strays.text).toBe('✗ Fail: wasm plain strays 1.0e-4 from the reference at “matmul”.');
    expect(selfCheckVerdict([run('wasm', 'plain', 1, 'aa', Number.NaN), run('reference', 'unavailable', 1, 'cc', 10)]).pass).toBe(false);
  });
});
