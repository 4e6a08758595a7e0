import { describe, expect, it } from 'vitest';
import { Generator, Linear, Sequential, saveSafetensors } from '@dl/tensor';
import { convolutions, inspectLenet } from '../../src/lenet/inspect.js';
import { lenetModel } from '../../src/lenet/model.js';
import { readLenetWeights } from '../../src/lenet/weights.js';

// A 28×28 "1": a vertical bar of ink.
const one = new Float32Array(784);
for (let r = 4; r < 24; r++) for (let c = 13; c < 16; c++) one[r * 28 + c] = 1;

describe('inspectLenet', () => {
  it('gives ten probabilities and the modern network’s two convolutions’ feature maps', () => {
    const model = lenetModel('modern', new Generator(0));
    expect(convolutions(model).map(([n]) => n)).toEqual(['features.0', 'features.3']);
    const { probs, maps } = inspectLenet(model, 28, one);
    expect(probs).toHaveLength(10);
    expect(probs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    expect(maps.map((m) => [m.name, m.channels, m.height, m.width, m.values.length])).toEqual([
      ['features.0', 6, 28, 28, 6 * 784],
      ['features.3', 16, 10, 10, 1600],
    ]);
    // The hooks are gone afterwards, and the model is back in training mode.
    expect(model.training).toBe(true);
    expect(inspectLenet(model, 28, one).maps).toHaveLength(2);
  });

  it('shows the original network’s C1 and C3 maps (not C5, which is 1×1)', () => {
    const model = lenetModel('original', new Generator(0));
    model.eval();
    const { maps } = inspectLenet(model, 32, one);
    expect(maps.map((m) => [m.channels, m.height, m.width])).toEqual([
      [6, 28, 28],
      [16, 10, 10],
    ]);
    expect(model.training).toBe(false);
  });

  it('refuses an image that is not 28×28', () => {
    expect(() => inspectLenet(lenetModel('modern', new Generator(0)), 28, new Float32Array(100))).toThrow('inspectLenet: expected 784 pixels (28×28), got 100');
  });
});

describe('readLenetWeights', () => {
  it('rebuilds either variant from its safetensors file, with the same outputs', () => {
    for (const variant of ['modern', 'original'] as const) {
      const model = lenetModel(variant, new Generator(7));
      const loaded = readLenetWeights(saveSafetensors(model.stateDict(), { model: `lenet5 ${variant}` }));
      expect(loaded.variant).toBe(variant);
      expect(loaded.metadata).toEqual({ model: `lenet5 ${variant}` });
      const side = variant === 'modern' ? 28 : 32;
      expect(Array.from(inspectLenet(loaded.model, side, one).probs)).toEqual(Array.from(inspectLenet(model, side, one).probs));
    }
  });

  it('names what a file holds when it is not LeNet-5', () => {
    const mlp = new Sequential(new Linear(784, 16, { generator: new Generator(0) }), new Linear(16, 10, { generator: new Generator(0) }));
    expect(() => readLenetWeights(saveSafetensors(mlp.stateDict()), 'mlp.safetensors')).toThrow(
      'mlp.safetensors does not hold LeNet-5 weights: its 4 tensors (0.bias [16], 0.weight [16, 784], 1.bias [10], 1.weight [10, 16]) match neither the modern nor the original network; the lenet command writes such a file (out/lenet5-modern.safetensors)',
    );
    expect(() => readLenetWeights(new Uint8Array([1, 2, 3]), 'x.bin')).toThrow(/^x\.bin is not a safetensors file: /);
  });
});
