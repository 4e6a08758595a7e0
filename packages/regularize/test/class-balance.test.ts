import { Generator, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { classBalancedIndices } from '../src/index.js';

describe('classBalancedIndices (label shuffling)', () => {
  const labels = Int32Array.from([...new Array(90).fill(0), ...new Array(9).fill(1), 2]);

  it('gives every class the same count, using only that class\'s samples, covering all of the minority', () => {
    const idx = classBalancedIndices(labels, { generator: new Generator(1) });
    expect(idx.length).toBe(270);
    const counts = [0, 0, 0];
    for (const i of idx) counts[labels[i]!]!++;
    expect(counts).toEqual([90, 90, 90]);
    expect(new Set(Array.from(idx).filter((i) => labels[i] === 1)).size).toBe(9);
    expect(new Set(Array.from(idx).filter((i) => labels[i] === 0)).size).toBe(90);
  });

  it('cycles through a class before repeating a sample, and is mixed across classes', () => {
    const idx = classBalancedIndices(tensor([0, 0, 0, 1, 1, 1, 1, 1, 1], { dtype: 'int32' }), { generator: new Generator(2) });
    const zeros = Array.from(idx).filter((i) => i < 3);
    expect(zeros.length).toBe(6);
    expect(new Set(zeros.slice(0, 3)).size + new Set(zeros.slice(3)).size).toBeGreaterThanOrEqual(4);
    expect(Array.from(idx).slice(0, 6)).not.toEqual([...idx].sort((a, b) => a - b).slice(0, 6));
  });

  it('honours perClass, is deterministic, refuses bad labels', () => {
    expect(classBalancedIndices(labels, { perClass: 5, generator: new Generator(3) }).length).toBe(15);
    expect(classBalancedIndices(labels, { generator: new Generator(4) })).toEqual(classBalancedIndices(labels, { generator: new Generator(4) }));
    expect(() => classBalancedIndices([0.5, 1])).toThrow(/integers/);
    expect(() => classBalancedIndices(tensor([0, 1]))).toThrow(/int32/);
    expect(() => classBalancedIndices([])).toThrow(/empty/);
  });
});
