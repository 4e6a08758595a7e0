import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Embedding,
  Generator,
  ShapeError,
  ValueError,
  embedding,
  mean,
  noGrad,
  randint,
  randn,
  std,
  tensor,
  zeros,
} from '../../src/index.js';
import { embGatherAny, embGatherF32, embScatterAddAny, embScatterAddF32 } from '../../src/nn/internal/embedding-kernels.js';
import { type StoredArray, expectStored, fromStored, intsFromStored, maxAbsDiff, opGrads, readFixture } from './layers-fixture.js';

interface EmbCase {
  id: string;
  numEmbeddings: number;
  embeddingDim: number;
  paddingIdx: number | null;
  paddingIdxNormalized: number | null;
  maxNorm: number | null;
  normType: number;
  weight: StoredArray;
  indices: StoredArray;
  gradOutput: StoredArray;
  output: StoredArray;
  weightAfter: StoredArray;
  gradWeight: StoredArray;
}

const cases = readFixture<{ embedding: EmbCase[] }>().embedding;
const ids = (values: number[], shape = [values.length]) => tensor(values, { dtype: 'int32', shape });

describe('Embedding against PyTorch (float64, 1e-10)', () => {
  expect(cases.length).toBe(6);
  for (const c of cases) {
    it(`${c.id}: output, weight after the forward (maxNorm renormalizes in place) and weight gradient`, () => {
      const emb = new Embedding(c.numEmbeddings, c.embeddingDim, { paddingIdx: c.paddingIdx, maxNorm: c.maxNorm, normType: c.normType, dtype: 'float64' });
      expect(emb.paddingIdx).toBe(c.paddingIdxNormalized);
      emb.loadStateDict({ weight: fromStored(c.weight) });
      const y = emb.forward(intsFromStored(c.indices));
      expectStored(`${c.id} output`, y, c.output);
      expectStored(`${c.id} weight after forward`, emb.weight, c.weightAfter);
      for (const differentiable of [false, true]) {
        const [gw, gi] = opGrads(y, fromStored(c.gradOutput), differentiable);
        expectStored(`${c.id} weight gradient (${differentiable ? 'rules' : 'fused'})`, gw!, c.gradWeight);
        expect(gi).toBeNull();
      }
      if (c.paddingIdxNormalized !== null) {
        // The padding row is looked up as it is (0.25 here), but never gets a gradient.
        const row = c.paddingIdxNormalized;
        expect(y.toFlatArray().some((v) => v === 0.25)).toBe(c.indices.data.includes(row));
        expect(c.gradWeight.data.slice(row * c.embeddingDim, (row + 1) * c.embeddingDim).every((v) => v === 0)).toBe(true);
      }
    });
  }

  it('the functional form gives the same values as the layer', () => {
    const c = cases.find((k) => k.id === 'emb/paddingIdx0/[3,4]')!;
    const y = embedding(intsFromStored(c.indices), fromStored(c.weight, 'float64', true), { paddingIdx: 0 });
    expectStored('embedding()', y, c.output);
    expectStored('embedding() weight gradient', opGrads(y, fromStored(c.gradOutput))[0]!, c.gradWeight);
  });
});

describe('Embedding lookup', () => {
  it('maps int32 indices of any shape to [...shape, dim]', () => {
    const emb = new Embedding(10, 3, { generator: new Generator(1) });
    expect(emb.forward(ids([1, 2])).shape).toEqual([2, 3]);
    expect(emb.forward(ids([1, 2, 3, 4, 5, 6], [2, 1, 3])).shape).toEqual([2, 1, 3, 3]);
    expect(emb.forward(tensor(4, { dtype: 'int32' })).shape).toEqual([3]);
    expect(emb.forward(ids([], [0, 2])).shape).toEqual([0, 2, 3]);
    const y = emb.forward(ids([7, 7, 0]));
    expect(y.toFlatArray().slice(0, 3)).toEqual(emb.weight.toFlatArray().slice(21, 24));
    expect(y.toFlatArray().slice(3, 6)).toEqual(emb.weight.toFlatArray().slice(21, 24));
  });

  it('float32 in, float32 out; the gradient sums repeated rows', () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true });
    const y = embedding(ids([2, 0, 2]), w);
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([[5, 6], [1, 2], [5, 6]]);
    const [gw] = opGrads(y, tensor([[1, 1], [10, 10], [100, 100]]));
    expect(gw!.toArray()).toEqual([[10, 10], [0, 0], [101, 101]]);
  });

  it('both scatter paths (SIMD backend for a small table, row loop for a large one) give the same gradient', () => {
    const g = new Generator(2);
    for (const rows of [5, 400]) {
      const w = randn([rows, 8], { generator: g, requiresGrad: true });
      const idx = randint(0, rows, [6, 10], { generator: g, dtype: 'int32' });
      const gy = randn([6, 10, 8], { generator: g });
      const [gw] = opGrads(embedding(idx, w, { paddingIdx: 1 }), gy);
      const expected = new Float64Array(rows * 8);
      idx.data.forEach((r, i) => {
        if (r === 1) return;
        for (let j = 0; j < 8; j++) expected[r * 8 + j] = Math.fround(expected[r * 8 + j]! + gy.data[i * 8 + j]!);
      });
      expect(gw!.toFlatArray()).toEqual(Array.from(expected));
    }
  });
});

describe('Embedding init, padding and fromPretrained', () => {
  it('initialises N(0, 1) (seeded) with the padding row zeroed', () => {
    const emb = new Embedding(400, 50, { paddingIdx: 3, generator: new Generator(5) });
    const w = emb.weight;
    expect(w.shape).toEqual([400, 50]);
    expect(w.toFlatArray().slice(150, 200).every((v) => v === 0)).toBe(true);
    // 20 000 draws: the mean's standard error is 0.007, the std's about 0.005.
    expect(Math.abs(mean(w).item())).toBeLessThan(0.03);
    expect(Math.abs(std(w).item() - 1)).toBeLessThan(0.03);
    expect(new Embedding(400, 50, { generator: new Generator(5) }).weight.toFlatArray()).not.toEqual(w.toFlatArray());
    expect(new Embedding(4, 2, { paddingIdx: -1 }).paddingIdx).toBe(3);
    expect([...emb.stateDict().keys()]).toEqual(['weight']);
    expect(String(emb)).toBe('Embedding(400, 50, paddingIdx=3)');
  });

  it('fromPretrained shares the table, keeps the padding row as given and freezes by default', () => {
    const table = tensor([[1, 1], [2, 2], [3, 3]]);
    const frozen = Embedding.fromPretrained(table, { paddingIdx: 0 });
    expect(frozen.weight.requiresGrad).toBe(false);
    expect(frozen.weight.data).toBe(table.data);
    expect(frozen.forward(ids([0, 2])).toArray()).toEqual([[1, 1], [3, 3]]);
    expect(frozen.forward(ids([0])).requiresGrad).toBe(false);
    const trainable = Embedding.fromPretrained(table, { freeze: false, maxNorm: 2 });
    expect(trainable.weight.requiresGrad).toBe(true);
    expect(trainable.maxNorm).toBe(2);
    expect([trainable.numEmbeddings, trainable.embeddingDim]).toEqual([3, 2]);
  });

  it('maxNorm rescales only the rows looked up, in place, and bumps the version only when a row changed', () => {
    const emb = Embedding.fromPretrained(tensor([[3, 4], [0.3, 0.4], [6, 8]], { dtype: 'float64' }), { maxNorm: 1 });
    const v0 = emb.weight.version;
    emb.forward(ids([1]));
    expect(emb.weight.version).toBe(v0);
    const y = emb.forward(ids([0, 0]));
    expect(emb.weight.version).toBe(v0 + 1);
    const scale = 1 / (5 + 1e-7);
    expect(y.toFlatArray()).toEqual([3 * scale, 4 * scale, 3 * scale, 4 * scale]);
    expect(emb.weight.toFlatArray().slice(4)).toEqual([6, 8]);
  });
});

describe('embedding kernels: the float32 copies compute what the generic loops compute (bitwise)', () => {
  it('gather and scatter-add', () => {
    const g = new Generator(9);
    const table = randn([6 * 5], { generator: g }).data as Float32Array;
    const src = randn([7 * 5], { generator: g }).data as Float32Array;
    const idx = randint(0, 6, [7], { generator: g, dtype: 'int32' }).data as Int32Array;
    const [a, b] = [new Float32Array(35), new Float32Array(35)];
    embGatherF32(table, idx, 5, idx[0]!, a);
    embGatherAny(table, idx, 5, idx[0]!, b);
    expect(a).toEqual(b);
    const [c, d] = [new Float32Array(30), new Float32Array(30)];
    embScatterAddF32(src, idx, 5, idx[1]!, c);
    embScatterAddAny(src, idx, 5, idx[1]!, d);
    expect(c).toEqual(d);
  });
});

describe('Embedding bad input', () => {
  const emb = new Embedding(10, 4);
  it('refuses float indices, naming the layer and the dtype', () => {
    expect(() => emb.forward(tensor([1, 2]))).toThrow(DTypeError);
    expect(() => emb.forward(tensor([1, 2]))).toThrow("Embedding: indices have dtype float32 (shape [2]); need int32 row numbers (e.g. tensor(ids, { dtype: 'int32' }))");
    expect(() => embedding(tensor([1], { dtype: 'float64' }), emb.weight)).toThrow(/embedding: indices have dtype float64/);
  });

  it('refuses an out-of-range or negative index, naming it, its position and numEmbeddings', () => {
    expect(() => emb.forward(ids([1, 10], [1, 2]))).toThrow(ValueError);
    expect(() => emb.forward(ids([1, 10], [1, 2]))).toThrow('Embedding: index 10 at position 1 of indices [1, 2] is out of range for numEmbeddings=10 (need 0 ≤ index < 10)');
    expect(() => emb.forward(ids([-1]))).toThrow(/index -1 at position 0/);
  });

  it('refuses bad options and tables', () => {
    expect(() => new Embedding(0, 4)).toThrow('Embedding: numEmbeddings must be an integer ≥ 1, got 0');
    expect(() => new Embedding(5, 2.5)).toThrow(/embeddingDim must be an integer ≥ 0, got 2.5/);
    expect(() => new Embedding(5, 2, { paddingIdx: 5 })).toThrow('Embedding: paddingIdx must be an integer in [-5, 5) (within numEmbeddings=5), got 5');
    expect(() => new Embedding(5, 2, { maxNorm: -1 })).toThrow(/Embedding: maxNorm must be a finite number > 0, got -1/);
    expect(() => new Embedding(5, 2, { weight: zeros([4, 2]) })).toThrow(ShapeError);
    expect(() => embedding(ids([0]), zeros([3]))).toThrow('embedding: weight has shape [3]; need [numEmbeddings, embeddingDim]');
    expect(() => embedding(ids([0]), tensor([[1]], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => Embedding.fromPretrained(zeros([2, 2, 2]))).toThrow(/Embedding.fromPretrained: weight has shape \[2, 2, 2\]/);
    expect(() => new Embedding(5, 2, { padding_idx: 0 } as never)).toThrow("Embedding: unknown option 'padding_idx'; the options are paddingIdx, maxNorm, normType, generator, dtype, weight");
    expect(() => embedding(ids([0]), zeros([2, 2]), { max_norm: 1 } as never)).toThrow(/embedding: unknown option 'max_norm'/);
  });

  it('a refused lookup leaves a maxNorm table unchanged', () => {
    const e = Embedding.fromPretrained(tensor([[3, 4]]), { maxNorm: 1 });
    expect(() => e.forward(ids([0, 1]))).toThrow(ValueError);
    expect(e.weight.toFlatArray()).toEqual([3, 4]);
    noGrad(() => expect(maxAbsDiff(e.forward(ids([0])), tensor([0.6, 0.8]))).toBeLessThan(1e-6));
  });
});
