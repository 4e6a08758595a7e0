/**
 * Fused batch norm (one defineOp, typed-array forward and first-order
 * backward) against the same function composed from @dl/tensor ops, forward
 * plus backward in training mode. Run: pnpm --filter @dl/regularize bench
 */
import { backward } from '@dl/autograd';
import { Generator, type Tensor, add, mean, mul, randn, reshape, rsqrt, sub, sum } from '@dl/tensor';
import { batchNorm } from '../src/index.js';

function composed(x: Tensor, w: Tensor, b: Tensor, eps = 1e-5): Tensor {
  const axes = [0, ...Array.from({ length: x.ndim - 2 }, (_, i) => i + 2)];
  const view = [1, x.shape[1]!, ...new Array<number>(x.ndim - 2).fill(1)];
  const centred = sub(x, mean(x, axes, true));
  const v = mean(mul(centred, centred), axes, true);
  return add(mul(mul(centred, rsqrt(add(v, eps))), reshape(w, view)), reshape(b, view));
}

function time(label: string, fn: () => void, reps: number): number {
  fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  const ms = (performance.now() - t0) / reps;
  console.log(`${label.padEnd(44)} ${ms.toFixed(2)} ms`);
  return ms;
}

const g = new Generator(0);
for (const shape of [[64, 32, 16, 16], [256, 512]] as const) {
  const C = shape[1];
  const x = randn([...shape], { generator: g, requiresGrad: true });
  const w = randn([C], { generator: g, requiresGrad: true });
  const b = randn([C], { generator: g, requiresGrad: true });
  const gy = randn([...shape], { generator: g });
  const step = (f: typeof composed) => () => {
    x.grad = w.grad = b.grad = null;
    backward(sum(mul(f(x, w, b), gy)));
  };
  const fused = time(`fused    [${shape.join(', ')}] fwd+bwd`, step((xx, ww, bb) => batchNorm(xx, { weight: ww, bias: bb, training: true })), 20);
  const comp = time(`composed [${shape.join(', ')}] fwd+bwd`, step(composed), 20);
  console.log(`  composed / fused = ${(comp / fused).toFixed(1)}×`);
}
