import { describe, expect, it } from 'vitest';
import {
  Generator,
  GradError,
  Linear,
  Module,
  Parameter,
  ReLU,
  Sequential,
  ShapeError,
  type Tensor,
  ValueError,
  matmul,
  ones,
  relu,
  tensor,
  zeros,
} from '../../src/index.js';

class Mlp extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  constructor(g: Generator) {
    super();
    this.fc1 = this.module('fc1', new Linear(4, 3, { generator: g }));
    this.fc2 = this.module('fc2', new Linear(3, 2, { generator: g }));
  }
  forward(x: Tensor): Tensor {
    return this.fc2.forward(relu(this.fc1.forward(x)));
  }
}

/** Own parameter, a persistent and a non-persistent buffer, then a child. */
class WithBuffers extends Module {
  readonly scale = this.param('scale', ones([2]));
  readonly running = this.buffer('running', zeros([2]));
  readonly scratch = this.buffer('scratch', zeros([3]), { persistent: false });
  readonly inner = this.module('inner', new Linear(2, 2, { generator: new Generator(1) }));
  forward(x: Tensor): Tensor {
    return this.inner.forward(x.mul(this.scale));
  }
}

/** A decoder reusing an encoder's weight (tied weights): the parameter is counted once. */
class TiedDecoder extends Module {
  readonly weight: Parameter;
  constructor(weight: Parameter) {
    super();
    this.weight = this.param('weight', weight);
  }
  forward(x: Tensor): Tensor {
    return matmul(x, this.weight);
  }
}

class Tied extends Module {
  readonly enc = this.module('enc', new Linear(3, 3, { bias: false }));
  readonly dec = this.module('dec', new TiedDecoder(this.enc.weight));
  forward(x: Tensor): Tensor {
    return this.dec.forward(this.enc.forward(x));
  }
}

/** A forward with two inputs: the signature is typed by the generic parameters. */
class Pair extends Module<[Tensor, Tensor], Tensor> {
  forward(a: Tensor, b: Tensor): Tensor {
    return a.add(b);
  }
}

describe('registration and traversal', () => {
  it('names parameters with dotted paths, own first, in registration order', () => {
    const m = new WithBuffers();
    expect(m.namedParameters().map(([k]) => k)).toEqual(['scale', 'inner.weight', 'inner.bias']);
    expect(m.namedBuffers().map(([k]) => k)).toEqual(['running', 'scratch']);
    expect(m.namedModules().map(([k]) => k)).toEqual(['', 'inner']);
    expect(m.parameters()[0]).toBe(m.scale);
    expect(m.namedParameters(false).map(([k]) => k)).toEqual(['scale']);
  });

  it('param wraps a tensor in a Parameter sharing its storage', () => {
    const m = new WithBuffers();
    expect(m.scale).toBeInstanceOf(Parameter);
    expect(m.scale.requiresGrad).toBe(true);
    const t = tensor([1, 2]);
    class M extends Module {
      readonly p = this.param('p', t);
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(new M().p.data).toBe(t.data);
  });

  it('recurses through nested modules (Sequential inside a module)', () => {
    class Outer extends Module {
      readonly body = this.module('body', new Sequential(new Linear(2, 2), new ReLU(), new Linear(2, 1)));
      forward(x: Tensor): Tensor {
        return this.body.forward(x);
      }
    }
    const o = new Outer();
    expect(o.namedParameters().map(([k]) => k)).toEqual(['body.0.weight', 'body.0.bias', 'body.2.weight', 'body.2.bias']);
    expect(o.namedModules().map(([k]) => k)).toEqual(['', 'body', 'body.0', 'body.1', 'body.2']);
    expect(o.namedModules('net').map(([k]) => k)[1]).toBe('net.body');
    expect(o.children()).toEqual([o.body]);
    expect(o.namedChildren().map(([k]) => k)).toEqual(['body']);
  });

  it('a shared parameter appears once in parameters() but under both keys in stateDict()', () => {
    const m = new Tied();
    expect(m.dec.weight).toBe(m.enc.weight);
    expect(m.namedParameters().map(([k]) => k)).toEqual(['enc.weight']);
    expect(m.numParameters()).toBe(9);
    expect([...m.stateDict().keys()]).toEqual(['enc.weight', 'dec.weight']);
    expect(m.forward(ones([1, 3])).shape).toEqual([1, 3]);
  });

  it('a module shared by two parents is visited once', () => {
    const shared = new Linear(2, 2);
    const seq = new Sequential(shared, new ReLU(), shared);
    expect(seq.namedModules().map(([k]) => k)).toEqual(['', '0', '1']);
    expect(seq.parameters()).toHaveLength(2);
    expect(seq.children()).toHaveLength(2);
  });

  it('rejects bad and duplicate names', () => {
    class Bad extends Module {
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new Bad();
    m.param('w', ones([1]));
    expect(() => m.param('w', ones([1]))).toThrow("Module.param: 'w' is already registered on Bad");
    expect(() => m.buffer('w', ones([1]))).toThrow(ValueError);
    expect(() => m.module('w', new ReLU())).toThrow(ValueError);
    expect(() => m.param('a.b', ones([1]))).toThrow(`Module.param: name 'a.b' must not contain '.'`);
    expect(() => m.param('', ones([1]))).toThrow(/non-empty string/);
    expect(() => m.param('i', ones([1], { dtype: 'int32' }))).toThrow(/^Parameter: data has dtype int32/);
    expect(() => m.module('self', m)).toThrow(/contain itself/);
  });

  it('typed forward signatures (two inputs)', () => {
    expect(new Pair().forward(tensor([1]), tensor([2])).item()).toBe(3);
  });
});

describe('modes, apply, zeroGrad', () => {
  it('train/eval recurse and return this', () => {
    const net = new Sequential(new Linear(2, 2), new Sequential(new ReLU()));
    expect(net.eval()).toBe(net);
    expect(net.namedModules().every(([, m]) => !m.training)).toBe(true);
    expect(net.train()).toBe(net);
    expect(net.namedModules().every(([, m]) => m.training)).toBe(true);
    net.train(false);
    expect(net.at(1).training).toBe(false);
  });

  it('apply visits children before the parent', () => {
    const net = new Sequential(new Linear(2, 2), new Sequential(new ReLU()));
    const seen: string[] = [];
    expect(net.apply((m) => seen.push(m.constructor.name))).toBe(net);
    expect(seen).toEqual(['Linear', 'ReLU', 'Sequential', 'Sequential']);
  });

  it('zeroGrad sets every grad to null', () => {
    const net = new Mlp(new Generator(0));
    for (const p of net.parameters()) p.grad = ones(p.shape);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('numParameters counts elements, optionally only trainable ones', () => {
    const net = new Mlp(new Generator(0));
    expect(net.numParameters()).toBe(4 * 3 + 3 + 3 * 2 + 2);
    net.fc2.weight.requiresGrad_(false);
    expect(net.numParameters({ trainableOnly: true })).toBe(4 * 3 + 3 + 2);
  });
});

describe('stateDict / loadStateDict', () => {
  it("keys follow PyTorch's order: own params, own persistent buffers, then children", () => {
    const m = new WithBuffers();
    expect([...m.stateDict().keys()]).toEqual(['scale', 'running', 'inner.weight', 'inner.bias']);
  });

  it('values are detached and share storage', () => {
    const m = new Mlp(new Generator(0));
    const sd = m.stateDict();
    const w = sd.get('fc1.weight')!;
    expect(w).not.toBeInstanceOf(Parameter);
    expect(w.requiresGrad).toBe(false);
    expect(w.data).toBe(m.fc1.weight.data);
  });

  it('round-trips between two differently initialised models', () => {
    const a = new Mlp(new Generator(1));
    const b = new Mlp(new Generator(2));
    const x = tensor([[0.1, -0.2, 0.3, 0.4]]);
    expect(b.forward(x).toFlatArray()).not.toEqual(a.forward(x).toFlatArray());
    const res = b.loadStateDict(a.stateDict());
    expect(res).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).toFlatArray()).toEqual(a.forward(x).toFlatArray());
    // A copy, not aliasing: later changes to a do not leak into b.
    expect(b.fc1.weight.data).not.toBe(a.fc1.weight.data);
  });

  it('accepts a plain object, casts dtypes, and works while grad is enabled', () => {
    const m = new Linear(2, 1, { bias: false });
    m.loadStateDict({ weight: tensor([[1, 2]], { dtype: 'float64' }) });
    expect(m.weight.dtype).toBe('float32');
    expect(m.weight.toFlatArray()).toEqual([1, 2]);
    expect(m.weight.requiresGrad).toBe(true);
  });

  it('loads persistent buffers and leaves non-persistent ones alone', () => {
    const m = new WithBuffers();
    const sd = new WithBuffers().stateDict();
    sd.set('running', tensor([5, 6]));
    m.loadStateDict(sd);
    expect(m.running.toFlatArray()).toEqual([5, 6]);
  });

  it('strict mode lists missing and unexpected keys', () => {
    const m = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const sd = m.stateDict();
    sd.delete('0.bias');
    sd.delete('2.weight');
    sd.set('3.weight', zeros([1]));
    let err: unknown;
    try {
      m.loadStateDict(sd);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValueError);
    expect((err as Error).message).toBe(
      'loadStateDict: error(s) loading the state dict into Sequential:\n' +
        '  missing keys: "0.bias", "2.weight"\n' +
        '  unexpected keys: "3.weight"',
    );
  });

  it('reports shape mismatches with expected and received shapes', () => {
    const m = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const sd = m.stateDict();
    sd.set('0.weight', zeros([3, 5]));
    sd.set('2.bias', zeros([1, 2]));
    expect(() => m.loadStateDict(sd)).toThrow(ShapeError);
    expect(() => m.loadStateDict(sd)).toThrow(
      'loadStateDict: error(s) loading the state dict into Sequential:\n' +
        '  shape mismatch for "0.weight": the state dict has [3, 5], the module expects [3, 4]\n' +
        '  shape mismatch for "2.bias": the state dict has [1, 2], the module expects [2]',
    );
    // Shape mismatches are refused even when not strict (as PyTorch does).
    expect(() => m.loadStateDict(sd, { strict: false })).toThrow(ShapeError);
  });

  it('lists every kind of problem together', () => {
    const m = new Linear(2, 2);
    expect(() => m.loadStateDict({ weight: zeros([2]), extra: zeros([1]) })).toThrow(
      'loadStateDict: error(s) loading the state dict into Linear:\n' +
        '  missing keys: "bias"\n' +
        '  unexpected keys: "extra"\n' +
        '  shape mismatch for "weight": the state dict has [2], the module expects [2, 2]',
    );
  });

  it('a failed load changes nothing', () => {
    const m = new Linear(2, 2);
    const before = m.weight.toFlatArray();
    expect(() => m.loadStateDict({ weight: ones([2, 2]), bias: ones([3]) })).toThrow(ShapeError);
    expect(m.weight.toFlatArray()).toEqual(before);
  });

  it('non-strict loads the matching keys and returns the rest', () => {
    const m = new Linear(2, 2);
    const res = m.loadStateDict({ weight: ones([2, 2]), extra: zeros([1]) }, { strict: false });
    expect(res).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
    expect(m.weight.toFlatArray()).toEqual([1, 1, 1, 1]);
  });

  it('rejects non-tensor values', () => {
    const m = new Linear(1, 1);
    expect(() => m.loadStateDict({ weight: [[1]] as unknown as Tensor, bias: zeros([1]) })).toThrow('loadStateDict: value for key "weight" is not a Tensor');
  });

  it('parameters stay protected from in-place writes while grad is recorded', () => {
    // loadStateDict runs under noGrad; writing directly does not.
    expect(() => new Linear(1, 1).weight.fill_(0)).toThrow(GradError);
  });
});

describe('toString', () => {
  it("prints a tree like PyTorch's repr", () => {
    const net = new Sequential(new Linear(4, 3), new ReLU(), new Sequential(new Linear(3, 2, { bias: false })));
    expect(net.toString()).toBe(
      [
        'Sequential(',
        '  (0): Linear(inFeatures=4, outFeatures=3, bias=true)',
        '  (1): ReLU()',
        '  (2): Sequential(',
        '    (0): Linear(inFeatures=3, outFeatures=2, bias=false)',
        '  )',
        ')',
      ].join('\n'),
    );
  });
});
