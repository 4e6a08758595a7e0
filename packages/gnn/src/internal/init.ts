import { type FloatDType, type Generator, Linear, type Tensor, xavierUniform_, zeros_ } from '@dl/tensor';

/** PyG's `Linear(…, weight_initializer='glorot')`: Glorot-uniform weight, zero bias. */
export function glorotLinear(inFeatures: number, outFeatures: number, bias: boolean, generator: Generator | undefined, dtype: FloatDType = 'float32'): Linear {
  const lin = new Linear(inFeatures, outFeatures, { bias, generator, dtype });
  xavierUniform_(lin.weight, { generator });
  if (lin.bias) zeros_(lin.bias);
  return lin;
}

/** Glorot-uniform over a `[1, H, C]` attention vector as PyG's `glorot` (fan from the last two dims). */
export function glorotUniform(t: Tensor, generator: Generator | undefined): void {
  const [a, b] = t.shape.slice(-2) as [number, number];
  const bound = Math.sqrt(6 / (a + b));
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = (generator ? generator.random() : Math.random()) * 2 * bound - bound;
}
