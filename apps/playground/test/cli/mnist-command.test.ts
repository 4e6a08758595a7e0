import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSafetensors } from '@dl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistAction, weightFileBytes } from '../../src/cli/mnist-command.js';
import { writeMnistFolder } from './idx-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-mnist-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = { sizes: [784, 8, 10], epochs: 1, batchSize: 16, lr: 0.1, seed: 0 };

describe('mnist command', () => {
  it('sizes the weight file from the layer widths', () => {
    expect(weightFileBytes([784, 256, 10])).toBe(4 * (784 * 256 + 256 + 256 * 10 + 10) + 4096);
  });

  it('refuses training data with 0 examples, naming the file, and writes nothing', async () => {
    const data = join(dir, 'empty');
    mkdirSync(data);
    writeMnistFolder(data, 0, 10);
    const out = join(dir, 'empty.safetensors');
    await expect(mnistAction({ ...base, data, out }, () => {})).rejects.toThrow(
      `the training split has 0 images (${join(data, 'train-images-idx3-ubyte')}); nothing to train on`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a test split with 0 examples (its accuracy would be NaN)', async () => {
    const data = join(dir, 'no-test');
    mkdirSync(data);
    writeMnistFolder(data, 32, 0);
    await expect(mnistAction({ ...base, data, out: join(dir, 'x.safetensors') }, () => {})).rejects.toThrow(/^the test split has 0 images .*nothing to measure accuracy on$/);
  });

  it('checks the output path before training: a bad --out fails at once', async () => {
    const lines: string[] = [];
    await expect(mnistAction({ ...base, out: '/dev/full' }, (l) => lines.push(l))).rejects.toThrow('--out /dev/full is not a regular file; give a file path');
    expect(lines).toEqual([]); // not even the banner: nothing started
  });

  it('trains on a given folder and writes weights that load back', { timeout: 120_000 }, async () => {
    const data = join(dir, 'small');
    mkdirSync(data);
    writeMnistFolder(data, 64, 20);
    const out = join(dir, 'small.safetensors');
    const lines: string[] = [];
    await mnistAction({ ...base, data, out }, (l) => lines.push(l));
    expect(lines.at(-1)).toBe(`weights written to ${out}`);
    const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(out)));
    expect(tensors.get('0.weight')!.shape).toEqual([8, 784]);
    expect(metadata).toMatchObject({ model: 'mlp 784-8-10', framework: 'dl' });
  });
});
