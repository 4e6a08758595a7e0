import { Generator, loadSafetensors, saveSafetensors } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Gpt } from '../../src/attention/gpt.js';
import { attentionMaps, encodeText, gptFromState, positionTables } from '../../src/attention/inspect.js';

function savedGpt(metadata: Record<string, string>) {
  const model = new Gpt({ vocabSize: 4, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8, dropout: 0 }, new Generator(1));
  const file = loadSafetensors(saveSafetensors(model.stateDict(), metadata));
  return { model, file };
}

describe('reading a GPT weights file back', () => {
  it('builds the model from shapes and metadata, with the same outputs', () => {
    const { model, file } = savedGpt({ heads: '2', vocabulary: 'ab_c', model: 'test gpt' });
    const loaded = gptFromState(file.tensors, file.metadata);
    expect(loaded.model.config).toMatchObject({ vocabSize: 4, blockSize: 6, nLayer: 2, nHead: 2, nEmbd: 8 });
    expect(loaded.description).toBe('test gpt');
    const ids = encodeText(loaded, 'ab_c');
    expect(ids).toEqual([0, 1, 2, 3]);
    model.eval();
    const maps = attentionMaps(loaded.model, ids);
    expect(maps).toHaveLength(2);
    expect(maps[0]).toHaveLength(2);
    const m = maps[1]![0]!;
    // Causal: row i sums to 1 over keys 0..i, zeros after.
    for (let i = 0; i < 4; i++) {
      let s = 0;
      for (let j = 0; j < 4; j++) {
        if (j > i) expect(m[i * 4 + j]).toBe(0);
        s += m[i * 4 + j]!;
      }
      expect(s).toBeCloseTo(1, 5);
    }
    expect(maps).toEqual(attentionMaps(model, ids));
    const tables = positionTables(loaded.model);
    expect([tables.rows, tables.cols, tables.learned.length, tables.sinusoidal.length]).toEqual([6, 8, 48, 48]);
  });
  it('says what is wrong with a file it cannot use, and with text outside the vocabulary', () => {
    const { file } = savedGpt({ heads: '2', vocabulary: 'ab_c' });
    const loaded = gptFromState(file.tensors, file.metadata);
    expect(() => encodeText(loaded, 'abz')).toThrow('"z" is not in the model\'s vocabulary ("ab_c")');
    expect(encodeText(loaded, 'abcabcab')).toHaveLength(6);
    expect(() => gptFromState(file.tensors, { heads: '2' })).toThrow("the file's vocabulary has 0 characters for 4 token ids");
    expect(() => gptFromState(new Map(), {})).toThrow('not a chargpt / transformer-task weights file');
    expect(() => gptFromState(file.tensors, { heads: '3', vocabulary: 'ab_c' })).toThrow("the file's heads (3) do not divide d_model 8");
  });
});
