import { Generator } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { TAGS, bookingSentence, trainSlotTagger } from '../examples/slot-filling.js';

describe('many-to-many: slot filling (examples/slot-filling.ts)', () => {
  it('generates tagged booking requests', () => {
    const s = bookingSentence(new Generator(0));
    expect(s.words.length).toBe(s.tags.length);
    for (const t of [1, 2, 3]) expect(s.tags.filter((v) => v === t)).toHaveLength(1);
    expect(TAGS[s.tags[s.words.indexOf('from') + 1]!]).toBe('B-from');
  });

  it('a bidirectional GRU tagger learns the slots', { timeout: 120_000 }, () => {
    const r = trainSlotTagger(120, 200);
    expect(r.accuracy).toBeGreaterThan(0.97);
  });
});
