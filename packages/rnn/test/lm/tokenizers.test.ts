import { describe, expect, it } from 'vitest';
import { CharTokenizer, WordTokenizer } from '../../src/index.js';

describe('CharTokenizer', () => {
  it('numbers the sorted distinct characters and round-trips', () => {
    const tok = CharTokenizer.fromText('hello world');
    expect(tok.chars).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(Array.from(tok.encode('hold'))).toEqual([3, 5, 4, 1]);
    expect(tok.decode(tok.encode('low row'))).toBe('low row');
  });

  it('maps unknown characters to unk when it has one', () => {
    const tok = CharTokenizer.fromText('ab', { unk: '?' });
    expect(tok.decode(tok.encode('abc'))).toBe('ab?');
  });

  it('names an unknown character and its position when it has no unk', () => {
    expect(() => CharTokenizer.fromText('ab').encode('abz')).toThrow(/CharTokenizer.encode.*"z" at position 2 is not in the vocabulary.*no unk/);
  });

  it('refuses ids outside the vocabulary', () => {
    expect(() => CharTokenizer.fromText('ab').decode([0, 7])).toThrow(/id 7 at position 1 is outside the vocabulary \[0, 2\)/);
  });
});

describe('WordTokenizer', () => {
  const texts = ['the cat sat on the mat.', 'the dog sat!'];

  it('puts PAD, BOS, EOS, UNK first and words by frequency', () => {
    const tok = WordTokenizer.fromTexts(texts);
    expect(tok.tokens.slice(0, 6)).toEqual(['<pad>', '<bos>', '<eos>', '<unk>', 'the', 'sat']);
    expect([tok.padId, tok.bosId, tok.eosId, tok.unkId]).toEqual([0, 1, 2, 3]);
  });

  it('drops words below the minimum frequency to UNK and frames with BOS/EOS', () => {
    const tok = WordTokenizer.fromTexts(texts, { minFrequency: 2 });
    expect(tok.tokens).toEqual(['<pad>', '<bos>', '<eos>', '<unk>', 'the', 'sat']);
    expect(Array.from(tok.encode('the cat sat', { bos: true, eos: true }))).toEqual([1, 4, 3, 5, 2]);
    expect(tok.decode([1, 4, 3, 5, 2])).toBe('the <unk> sat');
  });

  it('splits punctuation into words of their own and keeps contractions', () => {
    const tok = WordTokenizer.fromTexts([]);
    expect(tok.split("Don't stop, now!")).toEqual(["Don't", 'stop', ',', 'now', '!']);
    expect(WordTokenizer.fromTexts([], { lowercase: true }).split('The Cat')).toEqual(['the', 'cat']);
  });

  it('throws on an unknown word when built without UNK', () => {
    const tok = WordTokenizer.fromTexts(texts, { specials: { unk: null } });
    expect(tok.unkId).toBe(-1);
    expect(() => tok.encode('the bird')).toThrow(/WordTokenizer.encode.*word "bird" \(word 1 of the text\) is not in the vocabulary.*no UNK/);
  });

  it('checks its options', () => {
    expect(() => WordTokenizer.fromTexts(texts, { minFrequency: 0 })).toThrow(/minFrequency must be an integer ≥ 1/);
    expect(() => WordTokenizer.fromTexts(texts, { minFreq: 2 } as never)).toThrow(/minFreq/);
  });
});
