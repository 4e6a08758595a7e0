// Segment reductions, CSR × dense and masked softmax against PyTorch
// (tools/golden_graph_attention.py → fixtures/graph-attention.json), forward
// and gradients, on every backend and through both backward paths (the fused
// one and the differentiable rules).
import { describe, expect, it } from 'vitest';
import {
  CsrMatrix,
  type FloatDType,
  type Tensor,
  csrMatmul,
  maskedSoftmax,
  segmentMax,
  segmentMean,
  segmentMin,
  segmentSoftmax,
  segmentSum,
  tensor,
  withBackend,
} from '../../src/index.js';
import { type StoredArray, expectStored, fromStored, intsFromStored, opGrads, readFixture } from '../nn/layers-fixture.js';

interface SegmentCase {
  id: string;
  reduce: 'sum' | 'mean' | 'amax' | 'amin' | 'softmax';
  dtype: FloatDType;
  x: StoredArray;
  ids: StoredArray;
  numSegments: number;
  gradOutput: StoredArray;
  output: StoredArray;
  grad: StoredArray;
  indices?: StoredArray;
}

interface CsrCase {
  id: string;
  dtype: FloatDType;
  heads: number;
  rows: StoredArray;
  cols: StoredArray;
  values: StoredArray;
  shape: [number, number];
  x: StoredArray;
  gradOutput: StoredArray;
  output: StoredArray;
  gradX: StoredArray;
  gradValues: StoredArray;
}

interface MaskedCase {
  id: string;
  dtype: FloatDType;
  x: StoredArray;
  axis: number;
  scale: number;
  keep?: StoredArray;
  additive?: StoredArray;
  gradOutput: StoredArray;
  output: StoredArray;
  gradX: StoredArray;
  gradAdditive?: StoredArray;
}

interface Fixture {
  segment: SegmentCase[];
  csr: CsrCase[];
  maskedSoftmax: MaskedCase[];
  karate: { nodes: number; edges: number };
}

const fixture = readFixture<Fixture>('graph-attention.json');
const BACKENDS = ['reference', 'js', 'wasm'] as const;

// |dl − torch| ≤ tol·(1 + |torch|): float64 1e-10 (both in double; honest
// differences are summation order); float32 2e-5 (torch and dl each sum in
// float32 in their own order, ≤ ~20 terms here, and dl's wasm exp is a
// float32 polynomial of ≈ 1 ulp).
const TOL: Record<FloatDType, number> = { float64: 1e-10, float32: 2e-5 };

function segmentOp(c: SegmentCase, x: Tensor, ids: Tensor): Tensor[] {
  switch (c.reduce) {
    case 'sum':
      return [segmentSum(x, ids, c.numSegments)];
    case 'mean':
      return [segmentMean(x, ids, c.numSegments)];
    case 'softmax':
      return [segmentSoftmax(x, ids, c.numSegments)];
    case 'amax': {
      const { values, indices } = segmentMax(x, ids, c.numSegments);
      return [values, indices];
    }
    case 'amin': {
      const { values, indices } = segmentMin(x, ids, c.numSegments);
      return [values, indices];
    }
  }
}

describe('PyTorch golden values: the fixture', () => {
  it('covers the karate-club graph (34 nodes, 78 edges each way) and every primitive', () => {
    expect(fixture.karate).toEqual(expect.objectContaining({ nodes: 34, edges: 156 }));
    expect(new Set(fixture.segment.map((c) => c.reduce))).toEqual(new Set(['sum', 'mean', 'amax', 'amin', 'softmax']));
    expect(fixture.csr.some((c) => c.id.startsWith('karate'))).toBe(true);
    expect(fixture.maskedSoftmax.some((c) => c.id.startsWith('karate'))).toBe(true);
  });
});

describe.each(BACKENDS)('PyTorch golden values on the %s backend', (backend) => {
  describe('segment reductions vs torch.scatter_reduce / index_add_', () => {
    for (const c of fixture.segment) {
      it(c.id, () => {
        withBackend(backend, () => {
          const x = fromStored(c.x, c.dtype, true);
          const ids = intsFromStored(c.ids);
          const [y, indices] = segmentOp(c, x, ids);
          const tol = TOL[c.dtype];
          expectStored(`${c.id} output`, y!, c.output, c.dtype, tol);
          if (c.indices !== undefined) expect(Array.from(indices!.data), `${c.id} indices`).toEqual(c.indices.data);
          const g = fromStored(c.gradOutput, c.dtype);
          for (const differentiable of [false, true]) {
            const [gx] = opGrads(y!, g, differentiable);
            expectStored(`${c.id} grad (rules: ${differentiable})`, gx!, c.grad, c.dtype, tol);
          }
        });
      });
    }
  });

  describe('csrMatmul vs torch.sparse.mm', () => {
    for (const c of fixture.csr) {
      it(c.id, () => {
        withBackend(backend, () => {
          const values = fromStored(c.values, c.dtype, true);
          const a = CsrMatrix.fromCoo(intsFromStored(c.rows), intsFromStored(c.cols), values, c.shape);
          const x = fromStored(c.x, c.dtype, true);
          const y = csrMatmul(a, x);
          const tol = TOL[c.dtype];
          expectStored(`${c.id} output`, y, c.output, c.dtype, tol);
          const g = fromStored(c.gradOutput, c.dtype);
          const order = a.cooIndex!.data;
          for (const differentiable of [false, true]) {
            const [gv, gx] = opGrads(y, g, differentiable);
            expectStored(`${c.id} gradX (rules: ${differentiable})`, gx!, c.gradX, c.dtype, tol);
            // The product saw the values in CSR order; torch's are in COO order.
            const coo = new Float64Array(gv!.size);
            const h = c.heads;
            for (let k = 0; k < order.length; k++) for (let j = 0; j < h; j++) coo[order[k]! * h + j] = gv!.data[k * h + j]!;
            expectStored(`${c.id} gradValues (rules: ${differentiable})`, tensor(coo, { shape: gv!.shape }), c.gradValues, c.dtype, tol);
          }
        });
      });
    }
  });

  describe('maskedSoftmax vs softmax(x·scale + mask) in torch', () => {
    for (const c of fixture.maskedSoftmax) {
      it(c.id, () => {
        withBackend(backend, () => {
          const x = fromStored(c.x, c.dtype, true);
          const keep = c.keep === undefined ? null : tensor(Uint8Array.from(c.keep.data), { shape: c.keep.shape });
          const additive = c.additive === undefined ? null : fromStored(c.additive, c.dtype, true);
          const y = maskedSoftmax(x, { axis: c.axis, scale: c.scale, keep, additive });
          const tol = TOL[c.dtype];
          expectStored(`${c.id} output`, y, c.output, c.dtype, tol);
          const g = fromStored(c.gradOutput, c.dtype);
          for (const differentiable of [false, true]) {
            const [gx, ga] = opGrads(y, g, differentiable);
            expectStored(`${c.id} gradX (rules: ${differentiable})`, gx!, c.gradX, c.dtype, tol);
            if (c.gradAdditive !== undefined) {
              // The op hands back the broadcast (output-shaped) gradient; the engine sums it to the mask's shape.
              const summed = sumToShape(ga!, c.gradAdditive.shape);
              expectStored(`${c.id} gradAdditive (rules: ${differentiable})`, summed, c.gradAdditive, c.dtype, tol);
            }
          }
        });
      });
    }
  });
});

/** Sums a gradient over the dimensions a mask of `shape` was broadcast along (what the engine does). */
function sumToShape(t: Tensor, shape: readonly number[]): Tensor {
  const lead = t.ndim - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < t.ndim; d++) if (d < lead || shape[d - lead] === 1) axes.push(d);
  return axes.length === 0 ? t : t.sum(axes, true).reshape([...shape]);
}
