import { describe, expect, it } from 'vitest';
import {
  BatchNorm1d,
  DTypeError,
  Embedding,
  Generator,
  LayerNorm,
  Linear,
  Module,
  Sequential,
  type Tensor,
  ones,
  randn,
  zeros,
} from '../../src/index.js';

const g = new Generator(7);

class Tied extends Module {
  readonly enc = this.module('enc', new Linear(3, 3, { bias: false, generator: g }));
  readonly norm = this.module('norm', new LayerNorm(3));
  readonly bn = this.module('bn', new BatchNorm1d(3));
  readonly mask = this.buffer('mask', ones([3], { dtype: 'int32' }));
  forward(x: Tensor): Tensor {
    return this.bn.forward(this.norm.forward(this.enc.forward(x)));
  }
}

describe('Module.to(dtype)', () => {
  it('converts every floating parameter and buffer in place, keeping the objects and their values', () => {
    const m = new Tied();
    const params = m.parameters();
    const weight = m.enc.weight;
    const before = weight.toFlatArray();
    const oldData = weight.data;
    expect(m.to('float64')).toBe(m);
    expect(m.parameters()).toEqual(params);
    expect(m.enc.weight).toBe(weight);
    expect(weight.dtype).toBe('float64');
    expect(weight.data).toBeInstanceOf(Float64Array);
    expect(weight.data).not.toBe(oldData);
    expect(weight.toFlatArray()).toEqual(before); // float32 values are exact in float64
    expect(weight.requiresGrad).toBe(true);
    for (const [k, t] of m.stateDict()) {
      const integer = k === 'mask' || k === 'bn.num_batches_tracked';
      expect(t.dtype, k).toBe(integer ? 'int32' : 'float64');
    }
    expect(m.bn.runningVar!.toFlatArray()).toEqual([1, 1, 1]);
  });

  it('the converted model computes in the new dtype and converts back', () => {
    const net = new Sequential(new Linear(4, 3, { generator: g }), new LayerNorm(3));
    const x = randn([2, 4], { generator: g });
    const y32 = net.forward(x);
    const y64 = net.to('float64').forward(x.to('float64'));
    expect(y64.dtype).toBe('float64');
    y64.toFlatArray().forEach((v, i) => expect(Math.abs(v - y32.data[i]!)).toBeLessThan(1e-5));
    net.to('float32');
    expect(net.forward(x).dtype).toBe('float32');
    expect(() => net.forward(x.to('float64'))).toThrow(DTypeError);
  });

  it('converts gradients too, and converts a parameter shared by two modules once', () => {
    const emb = new Embedding(5, 3, { generator: g });
    const head = new Linear(3, 5, { bias: false });
    class Lm extends Module {
      readonly emb = this.module('emb', emb);
      readonly head = this.module('head', head);
      constructor() {
        super();
        this.head.param('tied', this.emb.weight);
      }
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const lm = new Lm();
    emb.weight.grad = ones([5, 3]);
    lm.to('float64');
    expect(emb.weight.grad.dtype).toBe('float64');
    expect(emb.weight.grad.toFlatArray()).toEqual(new Array(15).fill(1));
    expect(emb.weight.dtype).toBe('float64');
  });

  it('moves the storage version past the old one (graphs recorded before refuse to backward)', () => {
    const lin = new Linear(2, 2);
    const v = lin.weight.version;
    lin.to('float64');
    expect(lin.weight.version).toBeGreaterThan(v);
  });

  it('refuses a dtype that is not floating', () => {
    expect(() => new Linear(2, 2).to('int32' as never)).toThrow('Module.to: dtype must be float32 or float64, got int32');
    class Counter extends Module {
      readonly count = this.buffer('count', zeros([], { dtype: 'int32' }));
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const c = new Counter().to('float64');
    expect(c.count.dtype).toBe('int32');
  });
});

describe('Module.requiresGrad_', () => {
  it('freezes and unfreezes every parameter, returning the module', () => {
    const net = new Sequential(new Linear(2, 2), new LayerNorm(2));
    expect(net.requiresGrad_(false)).toBe(net);
    expect(net.parameters().every((p) => !p.requiresGrad)).toBe(true);
    expect(net.numParameters({ trainableOnly: true })).toBe(0);
    net.at(1).requiresGrad_();
    expect(net.numParameters({ trainableOnly: true })).toBe(4);
    expect(net.forward(randn([1, 2])).requiresGrad).toBe(true);
    net.requiresGrad_(false);
    expect(net.forward(randn([1, 2])).requiresGrad).toBe(false);
  });
});
