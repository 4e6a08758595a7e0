import { ShapeError, type Tensor, concat, fmtShape } from '@dl/tensor';

/** Options of {@link KVCache}. */
export interface KVCacheOptions {
  /**
   * Keys and values that do not grow (cross-attention over an encoder's
   * memory): projected on the first call, reused as they are afterwards.
   */
  static?: boolean;
}

/**
 * The projected keys and values `[N, H, S, D]` of one attention layer, kept
 * between calls for autoregressive decoding: each step projects only the new
 * tokens and appends them, so step t costs O(t) instead of re-running the
 * whole prefix. Pass one cache per layer to `MultiheadAttention.forward`
 * (`{ cache }`); {@link KVCache.length} is the number of positions held.
 *
 * @example
 * const cache = new KVCache();
 * for (const x of tokens) mha.forward(x, x, x, { cache, needWeights: false }); // x [N, 1, E]
 */
export class KVCache {
  key: Tensor | null = null;
  value: Tensor | null = null;
  readonly isStatic: boolean;

  constructor(options: KVCacheOptions = {}) {
    this.isStatic = options.static ?? false;
  }

  /** Positions held (S). */
  get length(): number {
    return this.key === null ? 0 : this.key.shape[2]!;
  }

  /** Whether a static cache already holds its keys and values. */
  get filled(): boolean {
    return this.isStatic && this.key !== null;
  }

  /** Appends `[N, H, T, D]` keys and values; returns everything held. */
  append(key: Tensor, value: Tensor): { key: Tensor; value: Tensor } {
    if (this.key === null || this.value === null || this.isStatic) {
      this.key = key;
      this.value = value;
    } else {
      const k = this.key.shape;
      if (key.shape[0] !== k[0] || key.shape[1] !== k[1] || key.shape[3] !== k[3]) {
        throw new ShapeError('KVCache', `new keys have shape ${fmtShape(key.shape)} but the cache holds ${fmtShape(k)}; need the same [N, H, *, D] (one cache per layer and batch)`);
      }
      this.key = concat([this.key, key], 2);
      this.value = concat([this.value, value], 2);
    }
    return { key: this.key, value: this.value! };
  }

  /** Empties the cache (a new sequence). */
  reset(): void {
    this.key = null;
    this.value = null;
  }
}
