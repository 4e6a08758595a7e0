import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, saveSafetensors, zeros } from '@dl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { charlmAction, charlmSampleAction } from '../../src/cli/rnn-commands.js';
import { continueText } from '../../web/charlm/stepper.js';
import { charModelFromSafetensors, charModelToSafetensors } from '../../web/charlm/weights.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-charlm-card-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the card reads and writes the charlm command’s weights', () => {
  it('loads what `charlm train` wrote and continues a prompt exactly as `charlm sample` does', { timeout: 120_000 }, () => {
    const textPath = join(dir, 'text.txt');
    writeFileSync(textPath, 'ROMEO: what light through yonder window breaks?\nJULIET: ay me.\n'.repeat(30));
    const out = join(dir, 'charlm-gru.safetensors');
    const log = (): void => {};
    charlmAction({ text: textPath, cell: 'gru', hidden: 16, layers: 2, embedding: 8, dropout: 0, epochs: 1, batchSize: 4, seqLen: 16, lr: 3e-3, clip: 5, seed: 0, sampleEvery: 0, sampleLength: 10, temperature: 1, batchLimit: 3, out }, log);
    const loaded = charModelFromSafetensors(readFileSync(out), 'charlm-gru.safetensors');
    expect(loaded.config).toEqual({ cell: 'gru', hiddenSize: 16, numLayers: 2, embeddingDim: 8, dropout: 0 });
    expect(loaded.metadata['epochs']).toBe('1 of 1');
    const cli = charlmSampleAction({ weights: out, prompt: 'ROMEO:', length: 50, temperature: 0.8, seed: 3 }, log);
    const card = [...continueText(loaded.model, loaded.tokenizer, 'ROMEO:', 50, { temperature: 0.8, generator: new Generator(3) })].map((c) => c.char).join('');
    expect(card).toBe(cli);
    // Written back from the page, the file loads again with the same weights and metadata.
    const again = charModelFromSafetensors(charModelToSafetensors(loaded.model, loaded.config, loaded.tokenizer, { source: 'playground page' }), 'again');
    expect(again.metadata['source']).toBe('playground page');
    expect(again.tokenizer.chars).toEqual(loaded.tokenizer.chars);
    expect(Array.from(again.model.head.weight.data as Float32Array)).toEqual(Array.from(loaded.model.head.weight.data as Float32Array));
    // … and the CLI samples from it.
    const saved = join(dir, 'from-the-page.safetensors');
    writeFileSync(saved, charModelToSafetensors(loaded.model, loaded.config, loaded.tokenizer, {}));
    expect(charlmSampleAction({ weights: saved, prompt: 'ROMEO:', length: 50, temperature: 0.8, seed: 3 }, log)).toBe(cli);
  });

  it('names what a file that is not a charlm model lacks', () => {
    const gpt = saveSafetensors({ 'wte.weight': zeros([5, 4]) }, { model: 'transformer-task copy', vocabulary: '0123_' });
    expect(() => charModelFromSafetensors(gpt, 'gpt.safetensors')).toThrow('gpt.safetensors: not a charlm weights file — its metadata has no "config" (train one with the playground\'s charlm command, or in this card)');
    expect(() => charModelFromSafetensors(saveSafetensors({ w: zeros([1]) }), 'bare.safetensors')).toThrow('its metadata has no "config" and no "vocabulary"');
    expect(() => charModelFromSafetensors(new TextEncoder().encode('hello'), 'notes.txt')).toThrow(/^notes\.txt: not a safetensors file \(/);
    const badConfig = saveSafetensors({ w: zeros([1]) }, { config: JSON.stringify({ cell: 'rnn', hiddenSize: 0, numLayers: 1, embeddingDim: 4, dropout: 0 }), vocabulary: '["a","b"]' });
    expect(() => charModelFromSafetensors(badConfig, 'odd.safetensors')).toThrow('odd.safetensors: its metadata "config" has a bad cell ("rnn"; need "lstm" or "gru"), hiddenSize (0; need a positive integer)');
    const noTensors = saveSafetensors({ w: zeros([1]) }, { config: JSON.stringify({ cell: 'lstm', hiddenSize: 4, numLayers: 1, embeddingDim: 4, dropout: 0 }), vocabulary: '["a","b"]' });
    expect(() => charModelFromSafetensors(noTensors, 'empty.safetensors')).toThrow(/^empty\.safetensors: its tensors do not fit a LSTM of 1 × 4 over 2 characters \(.*missing keys: .*embedding\.weight/);
  });
});
