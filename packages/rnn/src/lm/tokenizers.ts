import { ValueError, describeValue, expectOptions } from '@dl/tensor';

/** Options of `CharTokenizer.fromText`. */
export interface CharTokenizerOptions {
  /** A character to map unknown characters to (added to the vocabulary); default none: unknown characters throw. */
  unk?: string;
}

/**
 * A character-level vocabulary: every distinct character of a text (as
 * Unicode code points), sorted, numbered from 0 — the vocabulary of
 * char-rnn and nanoGPT's `shakespeare_char` (65 symbols on Tiny Shakespeare).
 *
 * @example
 * const tok = CharTokenizer.fromText('hello');
 * tok.encode('hole'); // Int32Array [2, 3, 2, 1]
 * tok.decode([0, 1]); // 'eh'
 */
export class CharTokenizer {
  /** The symbols, index = id. */
  readonly chars: readonly string[];
  /** The unknown symbol, or null when unknown characters throw. */
  readonly unk: string | null;
  readonly #ids: Map<string, number>;

  constructor(chars: readonly string[], options: CharTokenizerOptions = {}) {
    expectOptions('CharTokenizer', options, ['unk']);
    if (!Array.isArray(chars) || chars.some((c) => typeof c !== 'string' || [...c].length !== 1)) {
      throw new ValueError('CharTokenizer', `chars must be an array of single characters, got ${describeValue(chars)}`);
    }
    const list = [...chars];
    if (options.unk !== undefined) {
      if (typeof options.unk !== 'string' || [...options.unk].length !== 1) throw new ValueError('CharTokenizer', `unk must be one character, got ${describeValue(options.unk)}`);
      if (!list.includes(options.unk)) list.push(options.unk);
    }
    this.chars = list;
    this.unk = options.unk ?? null;
    this.#ids = new Map(list.map((c, i) => [c, i]));
    if (this.#ids.size !== list.length) throw new ValueError('CharTokenizer', 'chars has duplicates; need each character once');
  }

  /** The sorted distinct characters of `text`. */
  static fromText(text: string, options: CharTokenizerOptions = {}): CharTokenizer {
    if (typeof text !== 'string' || text.length === 0) throw new ValueError('CharTokenizer.fromText', `need a non-empty string, got ${describeValue(text)}`);
    return new CharTokenizer([...new Set(text)].sort(), options);
  }

  /** Number of symbols. */
  get vocabSize(): number {
    return this.chars.length;
  }

  /** Ids of `text`'s characters; an unknown character maps to `unk` or throws, naming it and its position. */
  encode(text: string): Int32Array {
    if (typeof text !== 'string') throw new ValueError('CharTokenizer.encode', `need a string, got ${describeValue(text)}`);
    const chars = [...text];
    const out = new Int32Array(chars.length);
    const unkId = this.unk === null ? -1 : this.#ids.get(this.unk)!;
    for (let i = 0; i < chars.length; i++) {
      const id = this.#ids.get(chars[i]!);
      if (id !== undefined) out[i] = id;
      else if (unkId >= 0) out[i] = unkId;
      else {
        throw new ValueError('CharTokenizer.encode', `character ${JSON.stringify(chars[i])} at position ${i} is not in the vocabulary of ${this.chars.length} characters and the tokenizer has no unk; build it with { unk } or from a text containing it`);
      }
    }
    return out;
  }

  /** The text of `ids`. */
  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const c = this.chars[ids[i]!];
      if (c === undefined) throw new ValueError('CharTokenizer.decode', `id ${ids[i]} at position ${i} is outside the vocabulary [0, ${this.chars.length})`);
      s += c;
    }
    return s;
  }
}

/** Options of `WordTokenizer.fromTexts`. */
export interface WordTokenizerOptions {
  /** Words seen fewer times than this map to UNK (default 1: keep every word). */
  minFrequency?: number;
  /** Lower-case before splitting (default `false`). */
  lowercase?: boolean;
  /** Special tokens; `unk: null` makes unknown words throw (default `'<unk>'`). */
  specials?: { pad?: string; bos?: string; eos?: string; unk?: string | null };
}

const WORD = /[\p{L}\p{N}_]+(?:'[\p{L}]+)?|[^\s\p{L}\p{N}_]/gu;

/**
 * A word-level vocabulary with the special tokens PAD (id 0), BOS, EOS and
 * UNK, built from texts with a minimum frequency: words split at white space
 * and each punctuation mark is a word of its own (`"don't stop!"` →
 * `don't`, `stop`, `!`). Words are numbered by decreasing frequency, ties in
 * order of first appearance.
 *
 * @example
 * const tok = WordTokenizer.fromTexts(['the cat sat', 'the dog sat'], { minFrequency: 2 });
 * tok.encode('the cat sat', { bos: true, eos: true }); // [bos, the, unk, sat, eos]
 */
export class WordTokenizer {
  /** Tokens, index = id: specials first (pad, bos, eos, unk), then words. */
  readonly tokens: readonly string[];
  readonly padId: number;
  readonly bosId: number;
  readonly eosId: number;
  /** −1 when the tokenizer has no UNK (unknown words throw). */
  readonly unkId: number;
  readonly lowercase: boolean;
  readonly #ids: Map<string, number>;

  private constructor(tokens: string[], unk: boolean, lowercase: boolean) {
    this.tokens = tokens;
    this.#ids = new Map(tokens.map((t, i) => [t, i]));
    this.padId = 0;
    this.bosId = 1;
    this.eosId = 2;
    this.unkId = unk ? 3 : -1;
    this.lowercase = lowercase;
  }

  /** Splits a text into words and punctuation marks (after lower-casing, if set). */
  split(text: string): string[] {
    return (this.lowercase ? text.toLowerCase() : text).match(WORD) ?? [];
  }

  /** Builds the vocabulary from `texts`. */
  static fromTexts(texts: readonly string[], options: WordTokenizerOptions = {}): WordTokenizer {
    const op = 'WordTokenizer.fromTexts';
    expectOptions(op, options, ['minFrequency', 'lowercase', 'specials']);
    if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) throw new ValueError(op, `texts must be an array of strings, got ${describeValue(texts)}`);
    const minFrequency = options.minFrequency ?? 1;
    if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new ValueError(op, `minFrequency must be an integer ≥ 1, got ${describeValue(minFrequency)}`);
    const sp = options.specials ?? {};
    expectOptions(op, sp, ['pad', 'bos', 'eos', 'unk']);
    const specials = [sp.pad ?? '<pad>', sp.bos ?? '<bos>', sp.eos ?? '<eos>'];
    const unk = sp.unk === undefined ? '<unk>' : sp.unk;
    if (unk !== null) specials.push(unk);
    if (new Set(specials).size !== specials.length) throw new ValueError(op, `special tokens must differ, got ${specials.join(', ')}`);
    const probe = new WordTokenizer([], false, options.lowercase ?? false);
    const counts = new Map<string, number>();
    for (const t of texts) for (const w of probe.split(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts].filter(([w, n]) => n >= minFrequency && !specials.includes(w));
    // Stable sort: equal counts keep first-appearance order.
    words.sort((a, b) => b[1] - a[1]);
    return new WordTokenizer([...specials, ...words.map(([w]) => w)], unk !== null, options.lowercase ?? false);
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** Ids of a text's words, optionally framed by BOS and EOS; an unknown word maps to UNK or throws when there is none. */
  encode(text: string, options: { bos?: boolean; eos?: boolean } = {}): Int32Array {
    const op = 'WordTokenizer.encode';
    if (typeof text !== 'string') throw new ValueError(op, `need a string, got ${describeValue(text)}`);
    expectOptions(op, options, ['bos', 'eos']);
    const ids: number[] = [];
    if (options.bos) ids.push(this.bosId);
    this.split(text).forEach((w, i) => {
      const id = this.#ids.get(w);
      if (id !== undefined) ids.push(id);
      else if (this.unkId >= 0) ids.push(this.unkId);
      else throw new ValueError(op, `word ${JSON.stringify(w)} (word ${i} of the text) is not in the vocabulary of ${this.tokens.length} tokens and the tokenizer has no UNK; build it with specials.unk or from texts containing the word`);
    });
    if (options.eos) ids.push(this.eosId);
    return Int32Array.from(ids);
  }

  /** The words of `ids` joined by spaces; specials are dropped unless `keepSpecials`. */
  decode(ids: ArrayLike<number>, options: { keepSpecials?: boolean } = {}): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const t = this.tokens[id];
      if (t === undefined) throw new ValueError('WordTokenizer.decode', `id ${id} at position ${i} is outside the vocabulary [0, ${this.tokens.length})`);
      if (!options.keepSpecials && (id === this.padId || id === this.bosId || id === this.eosId)) continue;
      out.push(t);
    }
    return out.join(' ');
  }
}
