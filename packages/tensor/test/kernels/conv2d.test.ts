import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DTypeError, Generator, ShapeError, ValueError, getNumThreads, setNumThreads, wasmThreadsReady, withBackend } from '../../src/index.js';
import {
  conv2dBackwardBias,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dForward,
  inputGradientAsConv,
  setConvParallelMinWork,
  setConvPathForTests,
} from '../../src/kernels/conv/conv2d.js';
import { type Conv2dGeometry, type ConvArray, conv2dGeometry, conv2dOutputSize } from '../../src/kernels/conv/geometry.js';
import { abs, convGeometryArb, describeGeometry, exactData, expectBitwise, expectSameValues, expectWithinSumBound, normalData } from './conv-harness.js';

type Form = 'reference' | 'js' | 'wasm';

interface Problem {
  g: Conv2dGeometry;
  x: ConvArray;
  w: ConvArray;
  b: ConvArray | null;
  dy: ConvArray;
}

interface Results {
  y: ConvArray;
  dx: ConvArray;
  dw: ConvArray;
  db: ConvArray;
}

function problem(g: Conv2dGeometry, seed: number, data: typeof exactData, f64 = false, withBias = true): Problem {
  const gen = new Generator(seed);
  const [oh, ow] = conv2dOutputSize(g);
  return {
    g,
    x: data(gen, g.batch * g.inChannels * g.height * g.width, f64),
    w: data(gen, g.outChannels * (g.inChannels / g.groups) * g.kernelH * g.kernelW, f64),
    b: withBias ? data(gen, g.outChannels, f64) : null,
    dy: data(gen, g.batch * g.outChannels * oh * ow, f64),
  };
}

function like(a: ConvArray, n: number): ConvArray {
  return a instanceof Float64Array ? new Float64Array(n) : new Float32Array(n).fill(Number.NaN);
}

// Runs every kernel in one form; outputs start as NaN, so a missed element shows.
function run(form: Form, p: Problem): Results {
  const { g, x, w, b, dy } = p;
  const y = like(x, dy.length);
  const dx = like(x, x.length);
  const dw = like(x, w.length);
  const db = like(x, g.outChannels);
  const call = <A>(k: { reference: (a: A) => void; js?: (a: A) => void; wasm?: (a: A) => boolean }, a: A): void => {
    if (form === 'wasm') expect(k.wasm!(a)).toBe(true);
    else k[form]!(a);
  };
  call(conv2dForward, { geometry: g, x, weight: w, bias: b, out: y });
  call(conv2dBackwardInput, { geometry: g, gradOut: dy, weight: w, gradIn: dx });
  call(conv2dBackwardWeight, { geometry: g, x, gradOut: dy, gradWeight: dw, gradBias: db });
  return { y, dx, dw, db };
}

function expectSame(got: Results, want: Results, g: Conv2dGeometry, compare = expectSameValues): void {
  const at = describeGeometry(g);
  compare(`y ${at}`, got.y, want.y);
  compare(`dx ${at}`, got.dx, want.dx);
  compare(`dw ${at}`, got.dw, want.dw);
  compare(`db ${at}`, got.db, want.db);
}

// The error bound of each output (see expectWithinSumBound): S from the
// reference on absolute values; terms = the longest float32 sum behind an element.
function expectWithinBound(got: Results, p: Problem): void {
  const { g } = p;
  const want = run('reference', p);
  const s = run('reference', { g, x: abs(p.x), w: abs(p.w), b: p.b && abs(p.b), dy: abs(p.dy) });
  const [oh, ow] = conv2dOutputSize(g);
  const at = describeGeometry(g);
  const kk = g.kernelH * g.kernelW;
  expectWithinSumBound(`y ${at}`, got.y, want.y, s.y, (g.inChannels / g.groups) * kk + 1);
  // dx sums O/groups products per patch entry, then up to kH·kW patch entries.
  expectWithinSumBound(`dx ${at}`, got.dx, want.dx, s.dx, (g.outChannels / g.groups) * kk + kk);
  expectWithinSumBound(`dw ${at}`, got.dw, want.dw, s.dw, g.batch * oh * ow);
  expectWithinSumBound(`db ${at}`, got.db, want.db, s.db, g.batch * oh * ow);
}

const threadsAtStart = getNumThreads();
beforeAll(async () => {
  await wasmThreadsReady();
});
afterAll(() => {
  setNumThreads(threadsAtStart);
  setConvParallelMinWork();
  setConvPathForTests();
});

// The wasm forward (and the stride-1 input gradient, a forward of its own)
// lowers either to im2col panels + GEMM or to the direct kernel, by a
// measured rule; each test runs under the rule and with each lowering forced.
const PATHS = ['auto', 'gemm', 'direct'] as const;
function eachPath(body: () => void): void {
  try {
    for (const path of PATHS) {
      setConvPathForTests(path);
      body();
    }
  } finally {
    setConvPathForTests();
  }
}

// Geometries the random ones rarely reach: every thread slicing (images,
// pixels, output channels, input channels, patch columns, groups), the
// GEMM's cache-block edges (K > KC = 256, O > MC = 128, pixels > NC = 2048
// and > the input gradient's 1024-column tile), images straddling a K block
// of the weight gradient, 1×1 convolutions (a plain GEMM), depthwise.
const FIXED: Conv2dGeometry[] = [
  conv2dGeometry({ batch: 1, inChannels: 3, height: 12, width: 13, outChannels: 5, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
  conv2dGeometry({ batch: 1, inChannels: 2, height: 5, width: 6, outChannels: 37, kernelH: 2, kernelW: 3 }),
  conv2dGeometry({ batch: 3, inChannels: 4, height: 9, width: 7, outChannels: 6, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1, padH: 1 }),
  conv2dGeometry({ batch: 2, inChannels: 31, height: 6, width: 5, outChannels: 9, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
  conv2dGeometry({ batch: 1, inChannels: 2, height: 3, width: 3, outChannels: 131, kernelH: 1, kernelW: 1 }),
  conv2dGeometry({ batch: 1, inChannels: 2, height: 47, width: 53, outChannels: 3, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
  conv2dGeometry({ batch: 5, inChannels: 3, height: 11, width: 10, outChannels: 4, kernelH: 2, kernelW: 2, strideH: 1, strideW: 1 }),
  conv2dGeometry({ batch: 2, inChannels: 6, height: 10, width: 10, outChannels: 8, kernelH: 1, kernelW: 1 }),
  conv2dGeometry({ batch: 2, inChannels: 6, height: 9, width: 9, outChannels: 8, kernelH: 1, kernelW: 1, strideH: 2, strideW: 2 }),
  conv2dGeometry({ batch: 3, inChannels: 8, height: 7, width: 9, outChannels: 8, kernelH: 3, kernelW: 3, padH: 1, padW: 1, groups: 8 }),
  conv2dGeometry({ batch: 1, inChannels: 6, height: 8, width: 8, outChannels: 4, kernelH: 3, kernelW: 3, dilationH: 2, dilationW: 2, padH: 2, padW: 2, groups: 2 }),
  conv2dGeometry({ batch: 4, inChannels: 1, height: 28, width: 28, outChannels: 6, kernelH: 5, kernelW: 5, padH: 2, padW: 2 }),
];

describe('conv2d kernels: js and wasm against the reference', () => {
  it('equal it exactly on exact data (quarter-integers), random geometries, float32, every lowering', () => {
    eachPath(() =>
      fc.assert(
        fc.property(convGeometryArb, fc.nat(), fc.boolean(), (g, seed, withBias) => {
          const p = problem(g, seed, exactData, false, withBias);
          const want = run('reference', p);
          expectSame(run('js', p), want, g);
          expectSame(run('wasm', p), want, g);
        }),
        { numRuns: 100 },
      ),
    );
  }, 120_000);

  it('equal it exactly in float64 (js form), random geometries', () => {
    fc.assert(
      fc.property(convGeometryArb, fc.nat(), (g, seed) => {
        const p = problem(g, seed, exactData, true);
        expectSame(run('js', p), run('reference', p), g);
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('equal it exactly when every job is split across threads', async () => {
    setNumThreads(2);
    await wasmThreadsReady();
    setConvParallelMinWork(1);
    try {
      eachPath(() => {
        fc.assert(
          fc.property(convGeometryArb, fc.nat(), (g, seed) => {
            const p = problem(g, seed, exactData);
            expectSame(run('wasm', p), run('reference', p), g);
          }),
          { numRuns: 60 },
        );
        for (const [i, g] of FIXED.entries()) {
          const p = problem(g, i, exactData);
          expectSame(run('wasm', p), run('reference', p), g);
        }
      });
    } finally {
      setConvParallelMinWork();
      setNumThreads(threadsAtStart);
    }
  }, 120_000);

  it('stay within the float32 summation bound on normal data (random and block-edge geometries), every lowering', () => {
    eachPath(() => {
    fc.assert(
      fc.property(convGeometryArb, fc.nat(), (g, seed) => {
        const p = problem(g, seed, normalData);
        expectWithinBound(run('wasm', p), p);
        expectWithinBound(run('js', p), p);
      }),
      { numRuns: 60 },
    );
    for (const [i, g] of FIXED.entries()) {
      const p = problem(g, 100 + i, normalData);
      expectWithinBound(run('wasm', p), p);
    }
    // K = 270 > KC, O = 140 > MC, 2,916 pixels > NC, batch 3 straddling K blocks of the weight gradient.
    for (const g of [
      conv2dGeometry({ batch: 3, inChannels: 30, height: 6, width: 7, outChannels: 140, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
      conv2dGeometry({ batch: 1, inChannels: 2, height: 54, width: 54, outChannels: 5, kernelH: 3, kernelW: 3, padH: 1, padW: 1 }),
    ]) {
      const p = problem(g, 7, normalData);
      expectWithinBound(run('wasm', p), p);
    }
    });
  }, 240_000);
});

describe('conv2d wasm on one thread and on two', () => {
  function at(threads: number, p: Problem): Results {
    setNumThreads(threads);
    return run('wasm', p);
  }

  it('gives bitwise-identical results: slicing changes which thread computes an element, never its arithmetic', async () => {
    setNumThreads(2);
    expect(await wasmThreadsReady()).toBe(2);
    setConvParallelMinWork(1);
    try {
      eachPath(() => {
        fc.assert(
          fc.property(convGeometryArb, fc.nat(), (g, seed) => {
            const p = problem(g, seed, normalData);
            expectSame(at(2, p), at(1, p), g, expectBitwise);
          }),
          { numRuns: 40 },
        );
        for (const [i, g] of FIXED.entries()) {
          const p = problem(g, 200 + i, normalData);
          expectSame(at(2, p), at(1, p), g, expectBitwise);
        }
      });
    } finally {
      setConvParallelMinWork();
      setNumThreads(threadsAtStart);
    }
  }, 120_000);
});

describe('conv2d kernel dispatch and checks', () => {
  const g = conv2dGeometry({ batch: 2, inChannels: 2, height: 5, width: 5, outChannels: 3, kernelH: 3, kernelW: 3, padH: 1, padW: 1 });

  it('a stride-1 input gradient is the convolution of the output gradient with the flipped, transposed weight', () => {
    const g1 = conv2dGeometry({ batch: 2, inChannels: 4, height: 6, width: 7, outChannels: 6, kernelH: 3, kernelW: 2, padH: 1, padW: 1, dilationH: 2, groups: 2 });
    const gt = inputGradientAsConv(g1)!;
    expect(gt).toMatchObject({ inChannels: 6, outChannels: 4, height: 4, width: 8, padH: 3, padW: 0, groups: 2 });
    expect(conv2dOutputSize(gt)).toEqual([6, 7]);
    expect(inputGradientAsConv({ ...g1, strideH: 2 })).toBeNull();
    expect(inputGradientAsConv({ ...g1, padW: 2 })).toBeNull();
  });

  it('the wasm forms decline float64, which then runs on the js form on the wasm backend', () => {
    const p = problem(g, 1, exactData, true);
    const y = new Float64Array(p.dy.length);
    expect(conv2dForward.wasm!({ geometry: g, x: p.x, weight: p.w, bias: p.b, out: y })).toBe(false);
    expect(conv2dBackwardInput.wasm!({ geometry: g, gradOut: p.dy, weight: p.w, gradIn: new Float64Array(p.x.length) })).toBe(false);
    expect(conv2dBackwardWeight.wasm!({ geometry: g, x: p.x, gradOut: p.dy, gradWeight: new Float64Array(p.w.length) })).toBe(false);
    withBackend('wasm', () => conv2dForward({ geometry: g, x: p.x, weight: p.w, bias: p.b, out: y }));
    expectSameValues('y', y, run('reference', p).y);
  });

  it('the documented examples hold', () => {
    const g1 = conv2dGeometry({ batch: 1, inChannels: 1, height: 3, width: 3, outChannels: 1, kernelH: 2, kernelW: 2 });
    const x = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const backend of ['reference', 'js', 'wasm']) {
      withBackend(backend, () => {
        const out = new Float32Array(4);
        conv2dForward({ geometry: g1, x, weight: new Float32Array([1, 0, 0, 1]), bias: null, out });
        expect(Array.from(out)).toEqual([6, 8, 12, 14]);
        const gradIn = new Float32Array(9);
        conv2dBackwardInput({ geometry: g1, gradOut: new Float32Array([1, 1, 1, 1]), weight: new Float32Array([1, 0, 0, 1]), gradIn });
        expect(Array.from(gradIn)).toEqual([1, 1, 0, 1, 2, 1, 0, 1, 1]);
        const gradWeight = new Float32Array(4);
        conv2dBackwardWeight({ geometry: g1, x, gradOut: new Float32Array([1, 0, 0, 0]), gradWeight });
        expect(Array.from(gradWeight)).toEqual([1, 2, 4, 5]);
        const gradBias = new Float32Array(2);
        conv2dBackwardBias({ gradOut: Float32Array.from([1, 2, 3, 4]), batch: 1, channels: 2, plane: 2, gradBias });
        expect(Array.from(gradBias)).toEqual([3, 7]);
      });
    }
  });

  it('the bias gradient alone equals the reference within the sum bound, on every form', () => {
    const gen = new Generator(3);
    const dy = normalData(gen, 3 * 5 * 37);
    const want = new Float64Array(5);
    const s = new Float64Array(5);
    conv2dBackwardBias.reference({ gradOut: Float64Array.from(dy), batch: 3, channels: 5, plane: 37, gradBias: want });
    conv2dBackwardBias.reference({ gradOut: abs(dy), batch: 3, channels: 5, plane: 37, gradBias: s });
    for (const form of ['js', 'wasm'] as const) {
      const db = new Float32Array(5);
      if (form === 'wasm') expect(conv2dBackwardBias.wasm!({ gradOut: dy, batch: 3, channels: 5, plane: 37, gradBias: db })).toBe(true);
      else conv2dBackwardBias.js!({ gradOut: dy, batch: 3, channels: 5, plane: 37, gradBias: db });
      expectWithinSumBound(`db ${form}`, db, want, s, 3 * 37);
    }
  });

  it('bad geometry and sizes throw errors naming the kernel, what it got and what it needs', () => {
    const base = { batch: 1, inChannels: 4, height: 5, width: 5, outChannels: 6, kernelH: 3, kernelW: 3 };
    expect(() => conv2dGeometry({ ...base, groups: 3 })).toThrow(ValueError);
    expect(() => conv2dGeometry({ ...base, groups: 3 })).toThrow(/conv2dGeometry: groups \(3\) must divide inChannels \(4\) and outChannels \(6\)/);
    expect(() => conv2dGeometry({ ...base, kernelH: 7 })).toThrow(ShapeError);
    expect(() => conv2dGeometry({ ...base, kernelH: 7 })).toThrow(/larger than the padded input \(5×5\)/);
    expect(() => conv2dGeometry({ ...base, strideH: 0 })).toThrow(/strideH must be an integer ≥ 1, got 0/);
    expect(() => conv2dGeometry({ ...base, padW: 1.5 })).toThrow(/padW must be an integer ≥ 0, got 1.5/);
    const p = problem(g, 2, exactData);
    for (const backend of ['reference', 'js', 'wasm']) {
      withBackend(backend, () => {
        expect(() => conv2dForward({ geometry: g, x: p.x.subarray(1), weight: p.w, bias: null, out: new Float32Array(p.dy.length) })).toThrow(
          /conv2dForward: x has 99 elements; need 100 for shape \[2, 2, 5, 5\]/,
        );
        expect(() => conv2dBackwardWeight({ geometry: g, x: p.x, gradOut: p.dy, gradWeight: new Float32Array(5) })).toThrow(/conv2dBackwardWeight: gradWeight has 5 elements; need 54/);
        expect(() => conv2dBackwardInput({ geometry: g, gradOut: p.dy, weight: new Float64Array(p.w.length), gradIn: new Float32Array(p.x.length) })).toThrow(DTypeError);
      });
    }
  });
});
