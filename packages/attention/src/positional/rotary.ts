import { type FloatDType, Module, ShapeError, Tensor, ValueError, add, concat, expectInt, expectOptions, fmtShape, mul, narrow, neg } from '@dl/tensor';

/** Options of {@link RotaryEmbedding}. */
export interface RotaryOptions {
  /** Frequency base (default 10000). */
  base?: number;
}

/**
 * Rotary position embedding (RoPE, Su et al. 2021), GPT-NeoX's "rotate half"
 * layout: feature pairs (i, i + D/2) of a query or key at position p are
 * rotated by the angle p·θᵢ, θᵢ = base^(−2i/D). Then q_m·k_n depends on the
 * positions only through m − n (relative position), and no parameter is
 * learned. Apply to queries and keys `[*, L, D]` (per head) before the scores.
 *
 * @example
 * const rope = new RotaryEmbedding(8);
 * const q2 = rope.forward(q); // q [2, 4, 10, 8] ([N, H, L, D])
 */
export class RotaryEmbedding extends Module<[Tensor, number?]> {
  readonly dim: number;
  readonly base: number;
  #tables = new Map<string, { cos: Tensor; sin: Tensor }>();

  constructor(dim: number, options: RotaryOptions = {}) {
    super();
    expectOptions('RotaryEmbedding', options, ['base']);
    expectInt('RotaryEmbedding', 'dim', dim, 2);
    if (dim % 2 !== 0) throw new ValueError('RotaryEmbedding', `dim=${dim} is odd; need an even head size (features rotate in pairs)`);
    this.dim = dim;
    this.base = options.base ?? 10000;
    if (!(this.base > 1) || !Number.isFinite(this.base)) throw new ValueError('RotaryEmbedding', `base must be a finite number > 1, got ${this.base}`);
  }

  /** cos and sin tables `[L, D]` for positions offset…offset+L−1 (each angle repeated for both halves). */
  tables(length: number, offset = 0, dtype: FloatDType = 'float32'): { cos: Tensor; sin: Tensor } {
    const key = `${length},${offset},${dtype}`;
    const known = this.#tables.get(key);
    if (known) return known;
    const d = this.dim;
    const half = d / 2;
    const c = dtype === 'float64' ? new Float64Array(length * d) : new Float32Array(length * d);
    const s = dtype === 'float64' ? new Float64Array(length * d) : new Float32Array(length * d);
    for (let p = 0; p < length; p++) {
      for (let i = 0; i < half; i++) {
        const angle = (offset + p) * this.base ** ((-2 * i) / d);
        c[p * d + i] = c[p * d + i + half] = Math.cos(angle);
        s[p * d + i] = s[p * d + i + half] = Math.sin(angle);
      }
    }
    const t = { cos: new Tensor(c, [length, d]), sin: new Tensor(s, [length, d]) };
    if (this.#tables.size > 16) this.#tables.clear();
    this.#tables.set(key, t);
    return t;
  }

  /** x rotated by position: `x·cos + rotateHalf(x)·sin`, x `[*, L, D]`. */
  forward(x: Tensor, offset = 0): Tensor {
    if (x.ndim < 2 || x.shape[x.ndim - 1] !== this.dim) {
      throw new ShapeError('RotaryEmbedding', `input has shape ${fmtShape(x.shape)}; need [*, L, ${this.dim}] (last dimension dim=${this.dim})`);
    }
    const l = x.shape[x.ndim - 2]!;
    const { cos, sin } = this.tables(l, offset, x.dtype === 'float64' ? 'float64' : 'float32');
    const half = this.dim / 2;
    const rotated = concat([neg(narrow(x, -1, half, half)), narrow(x, -1, 0, half)], -1);
    return add(mul(x, cos), mul(rotated, sin));
  }
}
