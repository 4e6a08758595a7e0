import { type Parameter, noGrad } from '@dl/tensor';

/**
 * Adam (Kingma & Ba) with bias correction and global-norm gradient clipping,
 * on typed arrays: the benchmarks' and the encoder–decoder script's optimizer
 * (`@dl/rnn` does not depend on `@dl/optim`; the playground uses the real one).
 */
export class TinyAdam {
  readonly #m: Float64Array[];
  readonly #v: Float64Array[];
  #t = 0;

  constructor(
    readonly params: Parameter[],
    readonly lr = 2e-3,
    readonly clip = 5,
  ) {
    this.#m = params.map((p) => new Float64Array(p.size));
    this.#v = params.map((p) => new Float64Array(p.size));
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  step(): void {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    this.#t++;
    let sq = 0;
    for (const p of this.params) {
      const g = p.grad?.data as ArrayLike<number> | undefined;
      if (g) for (let i = 0; i < g.length; i++) sq += g[i]! * g[i]!;
    }
    const scale = Math.sqrt(sq) > this.clip ? this.clip / Math.sqrt(sq) : 1;
    const c1 = 1 - b1 ** this.#t;
    const c2 = 1 - b2 ** this.#t;
    noGrad(() => {
      this.params.forEach((p, k) => {
        const g = p.grad?.data as ArrayLike<number> | undefined;
        if (!g) return;
        // A new array through assign_: the version bump tells the kernels' resident copy of p to refresh.
        const w = Float32Array.from(p.data as Float32Array);
        const m = this.#m[k]!;
        const v = this.#v[k]!;
        for (let i = 0; i < w.length; i++) {
          const gi = g[i]! * scale;
          m[i] = b1 * m[i]! + (1 - b1) * gi;
          v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
          w[i] = w[i]! - (this.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
        }
        p.assign_(w);
      });
    });
  }
}
