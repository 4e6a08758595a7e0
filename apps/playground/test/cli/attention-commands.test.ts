import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors } from '@dl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-attention-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.flatMap((l) => l.split('\n')), err: err.flatMap((l) => l.split('\n')) };
}

describe('attention commands', () => {
  it('--help lists every option', async () => {
    const t = (await run(['transformer-task', '--help'])).out.join('\n');
    for (const o of ['--task', '--length', '--digits', '--delay', '--layers', '--embd', '--heads', '--steps', '--lr', '--test-size', '--seed', '--out', '--maps']) expect(t).toContain(o);
    const c = (await run(['chargpt', '--help'])).out.join('\n');
    for (const o of ['--data', '--layers', '--embd', '--heads', '--block', '--batch-size', '--steps', '--lr', '--min-lr', '--warmup', '--weight-decay', '--dropout', '--temperature', '--out', '--maps']) expect(c).toContain(o);
  });

  it('refuses bad values in one line, before any work', async () => {
    const task = await run(['transformer-task', '--task', 'reverse']);
    expect(task.code).toBe(1);
    expect(task.err).toEqual(["error: option '--task <name>' argument 'reverse' is invalid. Allowed choices are sort, copy."]);
    const drop = await run(['chargpt', '--dropout', '1']);
    expect(drop.err).toEqual(["error: option '--dropout <p>' argument '1' is invalid. expected a probability from 0 up to (not including) 1, got '1'"]);
    const heads = await run(['chargpt', '--embd', '30', '--heads', '4']);
    expect(heads.code).toBe(1);
    expect(heads.err.join('\n')).toContain('--embd 30 is not divisible by --heads 4');
  });

  it('transformer-task: a short run writes its table, samples, attention maps and weights', { timeout: 120_000 }, async () => {
    const out = join(dir, 'task.safetensors');
    const maps = join(dir, 'task.png');
    const r = await run(['transformer-task', '--task', 'copy', '--length', '3', '--digits', '3', '--delay', '1', '--layers', '1', '--embd', '16', '--heads', '2', '--steps', '20', '--eval-every', '10', '--test-size', '20', '--out', out, '--maps', maps]);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/exact match on 20 held-out sequences: [\d.]+%/);
    expect(text).toContain('→');
    expect(readFileSync(maps).subarray(1, 4).toString()).toBe('PNG');
    const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(out)));
    expect([...tensors.keys()]).toContain('encoder.layers.0.self_attn.in_proj_weight');
    expect(metadata?.['framework']).toBe('dl');
  });

  it('chargpt: a short run on a small corpus reports nats/char, a sample and writes its files', { timeout: 120_000 }, async () => {
    const corpus = join(dir, 'text.txt');
    writeFileSync(corpus, 'ROMEO:\nBut soft, what light through yonder window breaks?\n'.repeat(60));
    const out = join(dir, 'chargpt.safetensors');
    const maps = join(dir, 'chargpt.png');
    const r = await run(['chargpt', '--data', corpus, '--layers', '1', '--embd', '16', '--heads', '2', '--block', '16', '--batch-size', '4', '--steps', '6', '--warmup', '2', '--eval-every', '3', '--eval-batches', '2', '--sample-length', '20', '--out', out, '--maps', maps]);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/final validation loss [\d.]+ nats\/char/);
    expect(text).toContain('sample (temperature 0.8, key/value cache)');
    expect(existsSync(maps)).toBe(true);
    const distinct = new Set('ROMEO:\nBut soft, what light through yonder window breaks?\n').size;
    expect(loadSafetensors(new Uint8Array(readFileSync(out))).tensors.get('wte.weight')!.shape).toEqual([distinct, 16]);
  });
});
