// Issue 17, item 11: the options objects of the nn layers, losses, initializers
// and Module's methods are checked against their known keys.
import { describe, expect, it } from 'vitest';
import { CrossEntropyLoss, Generator, Linear, MSELoss, Parameter, ValueError, kaimingUniform_, tensor, uniform_, xavierNormal_, zeros } from '../../src/index.js';

describe('unknown option keys are refused, naming the nearest known one', () => {
  it('layers, loss modules, parameters and initializers', () => {
    expect(() => new Linear(2, 3, { bias: false, dtype: 'float64', generater: new Generator(0) } as never)).toThrow(
      "Linear: unknown option 'generater'; the options are bias, generator, dtype — did you mean 'generator'?",
    );
    expect(() => new Linear(2, 3, { bias: 0 } as never)).toThrow('Linear: bias must be true or false, got 0');
    expect(() => new CrossEntropyLoss({ label_smoothing: 0.1 } as never)).toThrow(/CrossEntropyLoss: unknown option 'label_smoothing'.* did you mean 'labelSmoothing'\?/);
    expect(() => new MSELoss({ Reduction: 'sum' } as never)).toThrow(/MSELoss: unknown option 'Reduction'; the options are reduction — did you mean 'reduction'\?/);
    expect(() => new Parameter(zeros([2]), { requires_grad: false } as never)).toThrow(/Parameter: unknown option 'requires_grad'.* did you mean 'requiresGrad'\?/);
    const w = zeros([3, 4]);
    expect(() => kaimingUniform_(w, { nonlinearity: 'relu', fan_mode: 'fanIn' } as never)).toThrow(/kaimingUniform_: unknown option 'fan_mode'/);
    expect(() => xavierNormal_(w, { gian: 2 } as never)).toThrow(/did you mean 'gain'\?/);
    expect(() => uniform_(w, 0, 1, { generator: 3 } as never)).toThrow('uniform_: generator must be a Generator, got 3');
  });

  it("Module's buffer, numParameters and loadStateDict", () => {
    const m = new Linear(2, 2, { generator: new Generator(0) });
    expect(() => m.numParameters({ trainable_only: true } as never)).toThrow(/numParameters: unknown option 'trainable_only'.* did you mean 'trainableOnly'\?/);
    expect(() => m.loadStateDict(m.stateDict(), { strcit: false } as never)).toThrow(/loadStateDict: unknown option 'strcit'.* did you mean 'strict'\?/);
    expect(() => m.loadStateDict(null as never)).toThrow(ValueError);
    expect(() => m.buffer('mask', tensor([1]), { persistant: false } as never)).toThrow(/Module\.buffer: unknown option 'persistant'.* did you mean 'persistent'\?/);
  });
});
