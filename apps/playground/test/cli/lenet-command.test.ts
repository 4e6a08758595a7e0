import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, loadSafetensors } from '@dl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { lenetAction, lenetWeightFileBytes } from '../../src/cli/lenet-command.js';
import { runCli } from '../../src/cli/run.js';
import { lenetModel } from '../../src/lenet/model.js';
import { writeMnistFolder } from './idx-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-lenet-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { variant: 'modern', epochs: 1, batchSize: 16, optimizer: 'sgd', momentum: 0.9, weightDecay: 0, schedule: 'constant', seed: 0 } as const;

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
  return { code, out: out.flatMap((l) => l.split('\n')), err: err.flatMap((l) => l.split('\n')) };
}

describe('lenet command', () => {
  it('sizes the weight file from the parameter count (the modern LeNet-5 has 61,706)', () => {
    expect(lenetWeightFileBytes('modern')).toBe(4 * 61_706 + 8192);
  });

  it('--help lists every option', async () => {
    const r = await run(['lenet', '--help']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    for (const o of ['--variant', '--epochs', '--batch-size', '--optimizer', '--lr', '--momentum', '--weight-decay', '--schedule', '--seed', '--train-limit', '--data', '--out', '--verbose']) {
      expect(text).toContain(o);
    }
  });

  it('refuses a bad option value in one line, before any work', async () => {
    const variant = await run(['lenet', '--variant', 'tiny']);
    expect(variant.code).toBe(1);
    expect(variant.err).toEqual(["error: option '--variant <name>' argument 'tiny' is invalid. Allowed choices are modern, original."]);
    const m = await run(['lenet', '--momentum', '1']);
    expect(m.err).toEqual(["error: option '--momentum <m>' argument '1' is invalid. expected a momentum from 0 up to (not including) 1 such as 0.9, got '1'"]);
    const lr = await run(['lenet', '--lr', '0,05']);
    expect(lr.err).toHaveLength(1);
    expect(lr.err[0]).toMatch(/^error: option '--lr <rate>' argument '0,05' is invalid/);
  });

  it('checks the output path before training', async () => {
    const lines: string[] = [];
    await expect(lenetAction({ ...base, out: '/dev/full' }, (l) => lines.push(l))).rejects.toThrow('--out /dev/full is not a regular file; give a file path');
    expect(lines).toEqual([]);
  });

  it('refuses training data with 0 examples and writes nothing', async () => {
    const data = join(dir, 'empty');
    mkdirSync(data);
    writeMnistFolder(data, 0, 10);
    const out = join(dir, 'empty.safetensors');
    await expect(lenetAction({ ...base, data, out }, () => {})).rejects.toThrow(`the training split has 0 images (${join(data, 'train-images-idx3-ubyte')}); nothing to train on`);
    expect(existsSync(out)).toBe(false);
  });

  it('trains on a given folder and writes weights that load back, with the recipe in the metadata', { timeout: 120_000 }, async () => {
    const data = join(dir, 'small');
    mkdirSync(data);
    writeMnistFolder(data, 64, 20);
    const out = join(dir, 'small.safetensors');
    const lines: string[] = [];
    await lenetAction({ ...base, data, out }, (l) => lines.push(l));
    expect(lines[0]).toBe('LeNet-5 (modern) on MNIST: SGD lr 0.05 momentum 0.9, weight decay 0, constant rate, batch 16, 1 epoch, seed 0');
    expect(lines.at(-1)).toBe(`weights written to ${out}`);
    const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(out)));
    let count = 0;
    for (const t of tensors.values()) count += t.size;
    expect(count).toBe(61_706);
    expect(metadata).toMatchObject({ model: 'lenet5 modern', framework: 'dl' });
  });

  it('trains the original network with Adam unless told otherwise', { timeout: 120_000 }, async () => {
    const data = join(dir, 'small-original');
    mkdirSync(data);
    writeMnistFolder(data, 32, 10);
    const out = join(dir, 'original.safetensors');
    const lines: string[] = [];
    const { optimizer: _, ...rest } = base;
    await lenetAction({ ...rest, variant: 'original', data, out }, (l) => lines.push(l));
    expect(lines[0]).toBe('LeNet-5 (original) on MNIST: Adam lr 0.001, weight decay 0, constant rate, batch 16, 1 epoch, seed 0');
    const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(out)));
    let count = 0;
    for (const t of tensors.values()) count += t.size;
    expect(count).toBe(lenetModel('original', new Generator(0)).numParameters());
    expect(metadata).toMatchObject({ model: 'lenet5 original', input: '[N, 1, 32, 32] standardized (x - 0.1307) / 0.3081' });
  });
});
