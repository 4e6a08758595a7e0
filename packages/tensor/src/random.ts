import { ValueError, safeString } from './errors.js';

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32).
 * Every random op takes one, so runs are reproducible; ops given none use the
 * default generator, which `manualSeed` resets.
 *
 * @example
 * const g = new Generator(42);
 * const w = randn([3, 4], { generator: g });
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Resets the state from an integer seed. */
  manualSeed(seed: number): this {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ValueError('Generator.manualSeed', `seed must be a finite number, got ${safeString(seed)}`);
    let x = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
    return this;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal sample (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [low, high). */
  randint(low: number, high: number): number {
    const span = high - low;
    if (!(span > 0)) throw new ValueError('Generator.randint', `need low < high, got low=${safeString(low)}, high=${safeString(high)}`);
    // Rejection sampling keeps the distribution exactly uniform.
    if (span <= 0x100000000) {
      const limit = Math.floor(0x100000000 / span) * span;
      let x = this.nextUint32();
      while (x >= limit) x = this.nextUint32();
      return low + (x % span);
    }
    return low + Math.floor(this.random() * span);
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.randint(0, i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultGenerator = new Generator(0);

/** The generator random ops use when none is passed. */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}

/** Reseeds the default generator (like `torch.manual_seed`). */
export function manualSeed(seed: number): Generator {
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}
