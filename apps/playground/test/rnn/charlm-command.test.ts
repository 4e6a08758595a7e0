import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensorsFile } from '@dl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { epochStarts, evalStarts, loadCorpus } from '../../src/rnn/data.js';
import { Generator } from '@dl/tensor';

const dir = mkdtempSync(join(tmpdir(), 'dl-charlm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const textFile = join(dir, 'text.txt');
writeFileSync(textFile, 'First Citizen:\nBefore we proceed any further, hear me speak.\n\n'.repeat(40));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.flatMap((l) => l.split('\n')), err: err.flatMap((l) => l.split('\n')) };
}

describe('charlm data', () => {
  it('splits 90/10 and covers the text with windows', () => {
    const c = loadCorpus(textFile, 16);
    const n = readFileSync(textFile, 'utf8').length;
    expect(c.train.length).toBe(Math.floor(n * 0.9));
    expect(c.train.length + c.valid.length).toBe(n);
    const starts = epochStarts(c.train, 16, new Generator(0));
    expect(new Set(starts).size).toBe(starts.length);
    for (const s of starts) expect(s + 17).toBeLessThanOrEqual(c.train.length);
    expect(evalStarts(c.valid, 16).length).toBe(Math.floor((c.valid.length - 1) / 16));
  });

  it('names a missing or too short file', () => {
    expect(() => loadCorpus(join(dir, 'none.txt'), 16)).toThrow(/--text .*none.txt: cannot read it/);
    const tiny = join(dir, 'tiny.txt');
    writeFileSync(tiny, 'abc');
    expect(() => loadCorpus(tiny, 16)).toThrow(/need at least 170 characters/);
  });
});

describe('charlm command', () => {
  it('trains, prints the table and a sample, saves weights; sample continues a prompt from them', { timeout: 120_000 }, async () => {
    const out = join(dir, 'lm.safetensors');
    const r = await run(['charlm', '--text', textFile, '--hidden', '16', '--embedding', '8', '--epochs', '2', '--batch-size', '4', '--seq-len', '16', '--batch-limit', '3', '--sample-every', '1', '--sample-length', '20', '--out', out]);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/valid loss/);
    expect(text).toMatch(/--- sample after epoch 2 ---/);
    expect(text).toMatch(/final validation loss \d\.\d{4} nats\/char/);
    const { tensors, metadata } = readSafetensorsFile(out);
    expect([...tensors.keys()]).toContain('rnn.weight_hh_l0');
    expect(JSON.parse(metadata['config']!)).toMatchObject({ cell: 'lstm', hiddenSize: 16 });
    const s = await run(['charlm', 'sample', '--weights', out, '--prompt', 'First', '--length', '30', '--top-k', '5']);
    expect(s.code).toBe(0);
    expect(s.out.join('\n').startsWith('First')).toBe(true);
    expect(s.out.join('\n').length).toBe(35);
  });

  it('refuses bad values in one line', async () => {
    const r = await run(['charlm', '--dropout', '1']);
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/--dropout <p>.*expected a dropout rate/);
    const s = await run(['charlm', 'sample', '--weights', join(dir, 'missing.safetensors')]);
    expect(s.code).toBe(1);
    expect(s.err[0]).toMatch(/^error: .*missing.safetensors/);
    const u = await run(['charlm', 'sample', '--weights', join(dir, 'lm.safetensors'), '--prompt', 'F€']);
    expect(u.code).toBe(1);
    expect(u.err[0]).toMatch(/character "€" at position 1 is not in the vocabulary/);
  });
});
