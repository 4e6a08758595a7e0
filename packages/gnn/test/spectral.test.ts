import { ChebConv, Graph, chebyshevFilter, denseLaplacian, graphFourierTransform, inverseGraphFourierTransform, lambdaMax, laplacian, spectralFilter, symmetricEigen, toSparseFeatures } from '@dl/gnn';
import { Generator, csrMatmul, randn, tensor } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { fixtures, karate } from './helpers.js';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i]! - b[i]!) <= tol * (1 + Math.abs(b[i]!)))) expect.fail(`[${i}]: ${a[i]} vs ${b[i]}`);
}

describe('spectral', () => {
  const g = karate();

  it("gives the Laplacians' spectra of the karate club as torch.linalg.eigvalsh", () => {
    const f = fixtures();
    close(symmetricEigen(denseLaplacian(g, 'combinatorial')).values, f.spectra.combinatorial, 1e-10);
    close(symmetricEigen(denseLaplacian(g, 'sym')).values, f.spectra.sym, 1e-10);
  });

  it('builds L = D − A, I − D^−½AD^−½ and I − D^−1A', () => {
    const x = randn([34, 2], { dtype: 'float64' });
    const L = csrMatmul(laplacian(g, 'combinatorial'), x).data;
    const A = csrMatmul(g.adjacency(undefined, 'float64'), x).data;
    const deg = g.degree();
    for (let i = 0; i < 34; i++) for (let j = 0; j < 2; j++) expect(L[i * 2 + j]).toBeCloseTo(deg[i]! * x.data[i * 2 + j]! - A[i * 2 + j]!, 10);
    const rw = csrMatmul(laplacian(g, 'rw'), tensor(new Float64Array(34).fill(1), { shape: [34, 1] })).data;
    for (const v of rw) expect(Math.abs(v)).toBeLessThan(1e-12); // rows of I − D^−1A sum to 0
  });

  it('has orthonormal eigenvectors: the Fourier transform inverts, U Λ Uᵀ = L', () => {
    const L = denseLaplacian(g, 'sym');
    const { values, vectors } = symmetricEigen(L);
    const x = randn([34, 3], { dtype: 'float64', generator: new Generator(3) });
    close(inverseGraphFourierTransform(graphFourierTransform(x, vectors), vectors).data, x.data, 1e-10);
    const v1 = randn([34], { dtype: 'float64' });
    close(inverseGraphFourierTransform(graphFourierTransform(v1, vectors), vectors).data, v1.data, 1e-10);
    const rebuilt = vectors.mul(tensor(values)).matmul(vectors.transpose());
    close(rebuilt.data, L.data, 1e-10);
    expect(() => symmetricEigen(tensor([[1, 2], [0, 1]], { dtype: 'float64' }))).toThrow(/not symmetric/);
  });

  it('filters exactly by eigen-decomposition, equal to the Chebyshev recursion for polynomial filters', () => {
    const x = randn([34, 4], { dtype: 'float64', generator: new Generator(5) });
    const theta = [0.7, -0.4, 0.25, 0.1];
    const lmax = 2;
    // g(λ) = Σ θ_k T_k(2λ/λmax − 1), T_k(t) = cos(k·acos t) for |t| ≤ 1
    const gfun = (l: number): number => {
      const t = Math.min(1, Math.max(-1, (2 * l) / lmax - 1));
      return theta.reduce((s, th, k) => s + th * Math.cos(k * Math.acos(t)), 0);
    };
    close(spectralFilter(g, x, gfun, 'sym').data, chebyshevFilter(g, x, theta, 'sym', lmax).data, 1e-9);
    // The combinatorial Laplacian with its own λ_max.
    const lc = lambdaMax(g, 'combinatorial');
    const gc = (l: number): number => theta.reduce((s, th, k) => s + th * Math.cos(k * Math.acos(Math.min(1, Math.max(-1, (2 * l) / lc - 1)))), 0);
    close(spectralFilter(g, x, gc, 'combinatorial').data, chebyshevFilter(g, x, theta, 'combinatorial', lc).data, 1e-7);
  });

  it('finds λ_max by power iteration', () => {
    const exact = symmetricEigen(denseLaplacian(g, 'combinatorial')).values[33]!;
    expect(lambdaMax(g, 'combinatorial')).toBeCloseTo(exact, 6);
    expect(lambdaMax(g, 'sym')).toBeLessThanOrEqual(2 + 1e-9);
  });

  it("ChebConv's project-first (Clenshaw) path equals the recursion on the inputs", () => {
    const x = randn([34, 20], { dtype: 'float64', generator: new Generator(2) });
    const wide = new ChebConv(20, 4, 4, { dtype: 'float64', generator: new Generator(0) }); // in > out: Clenshaw
    const narrow = new ChebConv(20, 40, 4, { dtype: 'float64' });
    // Same weights in a layer that takes the recursion path: copy the first 4 output rows.
    const w = wide.stateDict();
    for (const [k, v] of narrow.namedParameters()) {
      const src = w.get(k)!.data;
      const d = v.data;
      d.fill(0);
      d.set(src.subarray(0, Math.min(src.length, d.length)));
    }
    const a = wide.forward(x, g).data;
    const b = narrow.forward(x, g).data;
    for (let i = 0; i < 34; i++) for (let j = 0; j < 4; j++) expect(a[i * 4 + j]).toBeCloseTo(b[i * 40 + j]!, 10);
    // Sparse features take the projected path too.
    close(wide.forward(toSparseFeatures(x), g).data, a, 1e-12);
    expect(() => new ChebConv(2, 2, 0)).toThrow(/K must be an integer ≥ 1/);
    expect(new ChebConv(2, 2, 2, { normalization: 'combinatorial' }).lambdaMaxOf(new Graph({ edgeIndex: { src: [0, 1], dst: [1, 0] } }))).toBeCloseTo(2, 8);
  });
});
