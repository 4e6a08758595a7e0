import { type Generator, ShapeError, type Tensor, ValueError, expectOptions, fmtShape, getDefaultGenerator } from '@dl/tensor';

/** How `sampleLogits` picks the next token. */
export interface SamplingOptions {
  /** Divides the logits before the softmax: < 1 sharpens, > 1 flattens, 0 is greedy (default 1). */
  temperature?: number;
  /** Keep only the k most likely tokens (default: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (nucleus sampling; default 1: all). */
  topP?: number;
  /** Source of randomness (default: the global generator). */
  generator?: Generator;
}

const KEYS = ['temperature', 'topK', 'topP', 'generator'];

/** Checks sampling options once; returns them with defaults filled in. */
export function samplingOptions(op: string, o: SamplingOptions): Required<Omit<SamplingOptions, 'topK'>> & { topK: number } {
  if (o === null || typeof o !== 'object') throw new ValueError(op, `options must be an object, got ${String(o)}`);
  expectOptions(op, o, KEYS);
  const temperature = o.temperature ?? 1;
  if (typeof temperature !== 'number' || !(temperature >= 0) || !Number.isFinite(temperature)) throw new ValueError(op, `temperature must be a finite number ≥ 0, got ${String(temperature)}`);
  const topK = o.topK ?? 0;
  if (!Number.isInteger(topK) || topK < 0) throw new ValueError(op, `topK must be an integer ≥ 1 (or 0 for all), got ${String(topK)}`);
  const topP = o.topP ?? 1;
  if (typeof topP !== 'number' || !(topP > 0 && topP <= 1)) throw new ValueError(op, `topP must be in (0, 1], got ${String(topP)}`);
  return { temperature, topK, topP, generator: o.generator ?? getDefaultGenerator() };
}

/**
 * Draws one token from a row of logits (`row[offset .. offset + V)`), with
 * temperature, top-k and top-p applied in that order (as Hugging Face's
 * samplers do). Temperature 0 returns the argmax.
 */
export function sampleRow(row: ArrayLike<number>, offset: number, V: number, o: ReturnType<typeof samplingOptions>): number {
  let best = 0;
  for (let v = 1; v < V; v++) if (row[offset + v]! > row[offset + best]!) best = v;
  if (o.temperature === 0) return best;
  const max = row[offset + best]!;
  const p = new Float64Array(V);
  let total = 0;
  for (let v = 0; v < V; v++) {
    const e = Math.exp((row[offset + v]! - max) / o.temperature);
    p[v] = e;
    total += e;
  }
  let order: number[] | null = null;
  if ((o.topK > 0 && o.topK < V) || o.topP < 1) {
    order = Array.from({ length: V }, (_, v) => v).sort((a, b) => p[b]! - p[a]!);
    let keep = o.topK > 0 ? Math.min(o.topK, V) : V;
    if (o.topP < 1) {
      let mass = 0;
      for (let j = 0; j < keep; j++) {
        mass += p[order[j]!]! / total;
        if (mass >= o.topP) {
          keep = j + 1;
          break;
        }
      }
    }
    order = order.slice(0, keep);
    total = 0;
    for (const v of order) total += p[v]!;
  }
  let u = o.generator.random() * total;
  const candidates = order ?? Array.from({ length: V }, (_, v) => v);
  for (const v of candidates) {
    u -= p[v]!;
    if (u < 0) return v;
  }
  return candidates[candidates.length - 1]!;
}

/**
 * Samples one token per row of `logits` (`[B, V]` or `[V]`) with
 * temperature, top-k and top-p, from a seeded generator.
 *
 * @example sampleLogits(logits, { temperature: 0.8, topK: 20, generator: new Generator(0) }); // Int32Array [B]
 */
export function sampleLogits(logits: Tensor, options: SamplingOptions = {}): Int32Array {
  const op = 'sampleLogits';
  const o = samplingOptions(op, options);
  if (logits.ndim !== 1 && logits.ndim !== 2) throw new ShapeError(op, `logits has shape ${fmtShape(logits.shape)}; need [B, V] or [V]`);
  const V = logits.shape[logits.ndim - 1]!;
  if (V === 0) throw new ShapeError(op, 'logits has an empty vocabulary dimension');
  const B = logits.ndim === 2 ? logits.shape[0]! : 1;
  const out = new Int32Array(B);
  const data = logits.data as ArrayLike<number>;
  for (let b = 0; b < B; b++) out[b] = sampleRow(data, b * V, V, o);
  return out;
}
