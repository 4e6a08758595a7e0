import { describe, expect, it } from 'vitest';
import { describeTarget, targetReached } from '../../src/race/target.js';

describe('targets', () => {
  it('compare f or the gradient norm, strictly', () => {
    expect(targetReached({ kind: 'f-below', value: 1e-4 }, 9e-5, 100)).toBe(true);
    expect(targetReached({ kind: 'f-below', value: 1e-4 }, 1e-4, 0)).toBe(false);
    expect(targetReached({ kind: 'grad-norm-below', value: 1e-3 }, 50, 5e-4)).toBe(true);
    expect(targetReached({ kind: 'grad-norm-below', value: 1e-3 }, -50, 2e-3)).toBe(false);
  });

  it('read as formulas', () => {
    expect(describeTarget({ kind: 'f-below', value: 1e-4 })).toBe('f < 1e-4');
    expect(describeTarget({ kind: 'f-below', value: -1 })).toBe('f < -1');
    expect(describeTarget({ kind: 'grad-norm-below', value: 1e-3 })).toBe('‖∇f‖ < 0.001');
  });
});
