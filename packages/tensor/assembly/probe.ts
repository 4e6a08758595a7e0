// Validates only where the runtime has relaxed SIMD; compiled with it enabled.
export function probe(a: v128, b: v128, c: v128): v128 {
  return f32x4.relaxed_madd(a, b, c);
}
