import { type Generator, Tensor, ValueError, getDefaultGenerator, expectInt, expectOptions } from '@dl/tensor';

/** Options of `classBalancedIndices`. */
export interface ClassBalancedOptions {
  /** Source of randomness (default: the global generator). */
  generator?: Generator;
  /** Samples drawn per class (default: the size of the largest class). */
  perClass?: number;
}

/**
 * Label shuffling for class imbalance (class-balanced resampling, as in Shen
 * et al., 2016): for every class, its sample indices are shuffled and
 * cycled — reshuffled at each pass — until the class has `perClass`
 * entries; the classes are concatenated and shuffled together. Every class
 * then appears equally often in an epoch, and minority samples are repeated
 * rather than weighted.
 *
 * @example
 * const order = classBalancedIndices(labels, { generator: g }); // Int32Array of sample indices
 */
export function classBalancedIndices(labels: Tensor | Int32Array | readonly number[], options: ClassBalancedOptions = {}): Int32Array {
  expectOptions('classBalancedIndices', options, ['generator', 'perClass']);
  const g = options.generator ?? getDefaultGenerator();
  const ys = labels instanceof Tensor ? labels.data : labels;
  if (labels instanceof Tensor && labels.dtype !== 'int32') throw new ValueError('classBalancedIndices', `labels must be int32, got ${labels.dtype}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i]!;
    if (!Number.isInteger(y)) throw new ValueError('classBalancedIndices', `labels must be integers, got ${y} at ${i}`);
    let list = byClass.get(y);
    if (!list) byClass.set(y, (list = []));
    list.push(i);
  }
  if (byClass.size === 0) throw new ValueError('classBalancedIndices', 'labels are empty (got 0 labels); need at least one');
  const perClass = options.perClass ?? Math.max(...[...byClass.values()].map((l) => l.length));
  expectInt('classBalancedIndices', 'perClass', perClass, 1);
  const out = new Int32Array(perClass * byClass.size);
  let k = 0;
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(cls)!;
    let order = g.permutation(members.length);
    let j = 0;
    for (let t = 0; t < perClass; t++) {
      if (j === members.length) {
        order = g.permutation(members.length);
        j = 0;
      }
      out[k++] = members[order[j++]!]!;
    }
  }
  const mix = g.permutation(out.length);
  return Int32Array.from(mix, (i) => out[i]!);
}
