/**
 * Many-to-many sequence labelling: slot filling for ticket-booking sentences
 * (the notes' example). A bidirectional GRU reads the words and tags each one
 * O, B-from, B-to, B-date or B-class; trained on generated sentences, scored on
 * fresh ones.
 *
 *   npx tsx --conditions=@dl/source packages/rnn/examples/slot-filling.ts
 */
import { backward } from '@dl/autograd';
import { Embedding, Generator, Linear, Module, type Tensor, noGrad, tensor } from '@dl/tensor';
import { GRU, WordTokenizer, sequenceLoss } from '../src/index.js';
import { TinyAdam } from '../bench/tiny-adam.js';

export const TAGS = ['O', 'B-from', 'B-to', 'B-date', 'B-class'] as const;
const CITIES = ['boston', 'denver', 'paris', 'tokyo', 'lima', 'oslo', 'cairo', 'delhi', 'rome', 'seoul'];
const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'tomorrow'];
const CLASSES = ['economy', 'business', 'first'];

/** One generated request: its words and a tag per word. */
export function bookingSentence(g: Generator): { words: string[]; tags: number[] } {
  const pick = <T>(xs: readonly T[]): T => xs[g.randint(0, xs.length)]!;
  let from = pick(CITIES);
  let to = pick(CITIES);
  while (to === from) to = pick(CITIES);
  const parts: [string, number][][] = [
    [['from', 0], [from, 1]],
    [['to', 0], [to, 2]],
    [['on', 0], [pick(DAYS), 3]],
  ];
  if (g.random() < 0.5) parts.push([['in', 0], [pick(CLASSES), 4], ['class', 0]]);
  // Slots in any order: the tagger must read the cue words, not positions.
  const order = g.permutation(parts.length);
  const lead = pick([['book', 'a', 'flight'], ['i', 'need', 'a', 'ticket'], ['find', 'me', 'a', 'seat'], ['please', 'reserve', 'a', 'flight']]);
  const seq: [string, number][] = [...lead.map((w): [string, number] => [w, 0]), ...Array.from(order, (i) => parts[i]!).flat()];
  return { words: seq.map(([w]) => w), tags: seq.map(([, t]) => t) };
}

/** Embedding → bidirectional GRU → a tag score per word. */
export class SlotTagger extends Module<[tokens: Tensor, lengths: number[]], Tensor> {
  readonly embedding: Embedding;
  readonly rnn: GRU;
  readonly head: Linear;
  constructor(vocab: number, g: Generator) {
    super();
    this.embedding = this.module('embedding', new Embedding(vocab, 32, { generator: g }));
    this.rnn = this.module('rnn', new GRU(32, 32, { bidirectional: true, batchFirst: true, generator: g }));
    this.head = this.module('head', new Linear(64, TAGS.length, { generator: g }));
  }
  forward(tokens: Tensor, lengths: number[]): Tensor {
    return this.head.forward(this.rnn.forward(this.embedding.forward(tokens), null, { lengths }).output);
  }
}

/** Padded token and tag batches of sentences. */
export function batchOf(tok: WordTokenizer, sentences: { words: string[]; tags: number[] }[]) {
  const L = Math.max(...sentences.map((s) => s.words.length));
  const x = new Int32Array(sentences.length * L);
  const y = new Int32Array(sentences.length * L);
  sentences.forEach((s, b) => {
    x.set(tok.encode(s.words.join(' ')), b * L);
    y.set(s.tags, b * L);
  });
  const shape = [sentences.length, L];
  return { x: tensor(x, { dtype: 'int32', shape }), y: tensor(y, { dtype: 'int32', shape }), lengths: sentences.map((s) => s.words.length) };
}

/** Trains a tagger; returns it with its tokenizer and the token accuracy on `test` fresh sentences. */
export function trainSlotTagger(steps: number, test: number, seed = 0): { accuracy: number; sentenceAccuracy: number } {
  const g = new Generator(seed);
  const train = Array.from({ length: 2000 }, () => bookingSentence(g));
  const tok = WordTokenizer.fromTexts(train.map((s) => s.words.join(' ')));
  const model = new SlotTagger(tok.vocabSize, g);
  const opt = new TinyAdam(model.parameters(), 5e-3);
  for (let s = 0; s < steps; s++) {
    const b = batchOf(tok, Array.from({ length: 32 }, () => train[g.randint(0, train.length)]!));
    opt.zeroGrad();
    backward(sequenceLoss(model.forward(b.x, b.lengths), b.y, { lengths: b.lengths }));
    opt.step();
  }
  const fresh = Array.from({ length: test }, () => bookingSentence(g));
  const b = batchOf(tok, fresh);
  const scores = noGrad(() => model.eval().forward(b.x, b.lengths)).argmax(2).data as Int32Array;
  let right = 0;
  let total = 0;
  let whole = 0;
  const L = b.x.shape[1]!;
  fresh.forEach((s, i) => {
    let all = true;
    s.tags.forEach((t, j) => {
      total++;
      if (scores[i * L + j] === t) right++;
      else all = false;
    });
    if (all) whole++;
  });
  return { accuracy: right / total, sentenceAccuracy: whole / test };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = trainSlotTagger(300, 500);
  console.log(`slot filling on 500 fresh sentences: ${(100 * r.accuracy).toFixed(1)}% of words, ${(100 * r.sentenceAccuracy).toFixed(1)}% of sentences tagged right`);
}
