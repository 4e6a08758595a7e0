import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliIo, oneLine, runCli } from '../../src/cli/run.js';
import { writeMnistFolder } from './idx-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-cli-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(env: Record<string, string> = {}): CliIo & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return { outLines, errLines, out: (l) => outLines.push(l), err: (l) => errLines.push(l), env };
}

async function run(args: string[], env: Record<string, string> = {}) {
  const o = io(env);
  const code = await runCli(args, o);
  // Every line of stderr, split as a terminal shows it.
  const err = o.errLines.flatMap((l) => l.split('\n'));
  return { code, err, out: o.outLines };
}

describe('runCli: every error is one line and exit code 1 (issue 17, item 18)', () => {
  it('a bad option value: commander’s one line', async () => {
    const r = await run(['mnist', '--seed', '12abc']);
    expect(r.code).toBe(1);
    expect(r.err).toEqual(["error: option '--seed <n>' argument '12abc' is invalid. expected a whole number from 0 to 2147483647, got '12abc'"]);
  });

  it('a bad DL_NUM_THREADS, before any work', async () => {
    for (const value of ['0', '-1', 'abc', '1.5']) {
      const r = await run(['optimizers', '--steps', '1'], { DL_NUM_THREADS: value });
      expect(r.code, value).toBe(1);
      expect(r.err, value).toEqual([`error: DL_NUM_THREADS='${value}' is not a whole number ≥ 1; set it to the number of threads the kernels may use, or unset it to use every core`]);
      expect(r.out).toEqual([]);
    }
  });

  it('an error inside a command (0 training images): one line, no stack; --verbose adds the stack', async () => {
    const data = join(dir, 'empty');
    mkdirSync(data);
    writeMnistFolder(data, 0, 5);
    const args = ['mnist', '--data', data, '--out', join(dir, 'w.safetensors')];
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.err).toEqual([`error: the training split has 0 images (${join(data, 'train-images-idx3-ubyte')}); nothing to train on`]);
    const v = await run([...args, '--verbose']);
    expect(v.code).toBe(1);
    expect(v.err[0]).toBe(r.err[0]);
    expect(v.err.slice(1).some((l) => /^\s+at /.test(l))).toBe(true);
  });

  it('a malformed IDX file: the IdxFormatError’s message as one line', async () => {
    const data = join(dir, 'corrupt');
    mkdirSync(data);
    writeMnistFolder(data, 5, 5);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(data, 'train-labels-idx1-ubyte'), new Uint8Array([0, 0, 8, 1, 0, 0]));
    const r = await run(['mnist', '--data', data, '--out', join(dir, 'c.safetensors')]);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^error: .*train-labels-idx1-ubyte/);
  });

  it('an expression too deep to parse and a malformed one: one line each', async () => {
    const deep = await run(['optimizers', '--expr', `${'('.repeat(3000)}x${')'.repeat(3000)}`, '--out', join(dir, 'd.svg')]);
    expect(deep.code).toBe(1);
    expect(deep.err).toEqual(['error: f has 6001 characters; at most 5000 are accepted.']);
    const nested = await run(['optimizers', '--expr', `${'('.repeat(2000)}x${')'.repeat(2000)}`, '--out', join(dir, 'd.svg')]);
    expect(nested.err).toEqual(['error: f is too long or too deeply nested to race (4001 characters); shorten it or remove some nesting.']);
    const bad = await run(['optimizers', '--expr', 'x +* y', '--out', join(dir, 'b.svg')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toHaveLength(1);
    expect(bad.err[0]).toMatch(/^error: Cannot parse "x \+\* y"/);
  });

  it('an unknown command or option and --help', async () => {
    expect((await run(['train'])).code).toBe(1);
    const unknown = await run(['mnist', '--epoch', '2']);
    expect(unknown.code).toBe(1);
    expect(unknown.err[0]).toMatch(/^error: unknown option '--epoch'/);
    const help = await run(['mnist', '--help']);
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toContain('--data <dir>');
  });

  it('succeeds with exit code 0 (a short race)', { timeout: 60_000 }, async () => {
    const r = await run(['optimizers', '--preset', 'saddle', '--steps', '5', '--out', join(dir, 's.svg')]);
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expect(r.out.at(-1)).toBe(`paths written to ${join(dir, 's.svg')}`);
  });
});

describe('oneLine', () => {
  it('joins a multi-line message', () => {
    expect(oneLine('error(s) loading the state dict:\n  missing keys: "a"\n  unexpected keys: "b"\n')).toBe('error(s) loading the state dict:; missing keys: "a"; unexpected keys: "b"');
  });
});
