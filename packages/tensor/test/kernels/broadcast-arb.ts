import fc from 'fast-check';

/** Output shapes from `shapeArb`, and two shapes broadcasting to each (dims dropped on the left or set to 1). */
export const broadcastShapesArb = (shapeArb: fc.Arbitrary<number[]>) =>
  shapeArb.chain((out) =>
  fc.record({
    out: fc.constant(out),
    dropA: fc.integer({ min: 0, max: out.length }),
    dropB: fc.integer({ min: 0, max: out.length }),
    onesA: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    onesB: fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
    seed: fc.nat(),
  }),
).map(({ out, dropA, dropB, onesA, onesB, seed }) => {
  const a = out.slice(dropA).map((d, i) => (onesA[dropA + i] ? 1 : d));
  const b = out.slice(dropB).map((d, i) => (onesB[dropB + i] ? 1 : d));
  const o = out.map((d, i) => ((a[a.length - out.length + i] ?? 1) === 1 && (b[b.length - out.length + i] ?? 1) === 1 ? 1 : d));
  return { out: o, a, b, seed };
});

