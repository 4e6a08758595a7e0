import { describe, expect, it } from 'vitest';
import { describeStep } from '../../src/race/describe-step.js';
import { parseExpression } from '../../src/race/expression.js';
import { toRaceTrace } from '../../src/race/protocol.js';
import { raceOne } from '../../src/race/race.js';

const f = parseExpression('x^2 + 10 y^2');
const EVERYWHERE = { xMin: -Infinity, xMax: Infinity, yMin: -Infinity, yMax: Infinity };
const opts = { loss: (p: Parameters<typeof f.loss>[0]) => f.loss(p), start: [1, 1] as const, steps: 20, target: { kind: 'f-below', value: 1e-6 } as const, arena: EVERYWHERE };
const lrs = { SGD: 0.05, Momentum: 0.05, NAG: 0.05, Adagrad: 0.1, RMSprop: 0.01, Adadelta: 1, Adam: 0.1, 'L-BFGS': 1 };

describe('describeStep', () => {
  it('says where SGD is, its gradient, and that its step is exactly −lr·∇f', () => {
    const t = toRaceTrace(raceOne('SGD', { ...opts, lrs }));
    expect(describeStep(t, 0)).toBe(
      'Step 0 of 20: at (1, 1), f = 11 and ∇f = (2, 20). It moves by (-0.1, -1) to (0.9, 0), where f = 0.81. That is exactly −lr·∇f = (-0.1, -1): a plain gradient step.',
    );
  });

  it('shows momentum turning and stretching the step once it has a velocity', () => {
    const t = toRaceTrace(raceOne('Momentum', { ...opts, lrs }));
    expect(describeStep(t, 0)).toMatch(/That is exactly −lr·∇f/); // no velocity yet
    expect(describeStep(t, 3)).toMatch(/^Step 3 of 20: .* A plain gradient step −lr·∇f would be \(.*\); this one points \d+° away from −∇f and is [\d.e-]+× as long\.$/);
  });

  it('ends with the racer’s final note', () => {
    const t = toRaceTrace(raceOne('Adam', { ...opts, lrs }));
    expect(describeStep(t, 20)).toMatch(/^Step 20 of 20: at .* This is where Adam ended: used all 20 steps\.$/);
  });
});
