import { getBackend, Parameter, zeros, randn } from '@dl/tensor';
const be = getBackend();
const W = new Parameter(randn([1024, 256])).data as Float32Array;
const h = new Float32Array(32 * 256).fill(0.1);
const gh = new Float32Array(32 * 1024);
const dG = new Float32Array(32 * 1024).fill(0.1);
const dh = new Float32Array(32 * 256);
const big = new Float32Array(2048 * 1024).fill(0.1), prev = new Float32Array(2048 * 256).fill(0.1), dW = new Float32Array(1024 * 256);
function time(name: string, n: number, f: () => void, flops: number) {
  for (let i = 0; i < 5; i++) f();
  const t0 = performance.now(); for (let i = 0; i < n; i++) f(); const dt = (performance.now() - t0) / n;
  console.log(`${name}: ${(dt * 1000).toFixed(0)} µs, ${(flops / dt / 1e6).toFixed(1)} GFLOP/s`);
}
time('fwd h·Wᵀ 32×256·256×1024', 200, () => be.gemm({ transA: false, transB: true, m: 32, n: 1024, k: 256, alpha: 1, a: h, aOffset: 0, lda: 256, b: W, bOffset: 0, ldb: 256, beta: 0, c: gh, cOffset: 0, ldc: 1024 }), 2 * 32 * 1024 * 256);
time('bwd dG·W 32×1024·1024×256', 200, () => be.gemm({ transA: false, transB: false, m: 32, n: 256, k: 1024, alpha: 1, a: dG, aOffset: 0, lda: 1024, b: W, bOffset: 0, ldb: 256, beta: 0, c: dh, cOffset: 0, ldc: 256 }), 2 * 32 * 1024 * 256);
time('dW dGᵀ·H 1024×2048·2048×256', 20, () => be.gemm({ transA: true, transB: false, m: 1024, n: 256, k: 2048, alpha: 1, a: big, aOffset: 0, lda: 1024, b: prev, bOffset: 0, ldb: 256, beta: 0, c: dW, cOffset: 0, ldc: 256 }), 2 * 2048 * 1024 * 256);
