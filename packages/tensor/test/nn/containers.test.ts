import { describe, expect, it } from 'vitest';
import {
  Embedding,
  zeros,
  Generator,
  LayerNorm,
  Linear,
  Module,
  ModuleDict,
  ModuleList,
  ReLU,
  type Tensor,
  ValueError,
  loadSafetensors,
  tanh,
} from '../../src/index.js';
import { type StoredArray, expectStored, intsFromStored, readFixture, readFixtureBytes } from './layers-fixture.js';

const g = new Generator(0);

describe('ModuleList', () => {
  it('registers modules as "0", "1", … and gives state-dict keys like PyTorch', () => {
    const list = new ModuleList([new Linear(2, 3, { generator: g }), new ReLU(), new Linear(3, 1, { generator: g })]);
    expect(list.length).toBe(3);
    expect([...list.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(list.namedChildren().map(([k]) => k)).toEqual(['0', '1', '2']);
    expect(list.at(-1)).toBe(list.at(2));
    expect([...list].length).toBe(3);
  });

  it('append, extend, insert, set and pop keep names in list order', () => {
    const [a, b, c, d] = [new Linear(1, 1), new Linear(1, 2), new Linear(1, 3), new Linear(1, 4)];
    const list = new ModuleList<Linear>().append(a).extend([c]);
    list.insert(1, b);
    expect([...list]).toEqual([a, b, c]);
    expect(list.namedChildren()).toEqual([['0', a], ['1', b], ['2', c]]);
    list.insert(-3, d);
    expect([...list].map((m) => m.outFeatures)).toEqual([4, 1, 2, 3]);
    list.set(0, a);
    expect(list.pop(1)).toBe(a);
    expect(list.namedChildren().map(([k, m]) => [k, (m as Linear).outFeatures])).toEqual([['0', 1], ['1', 2], ['2', 3]]);
    expect([...list.stateDict().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '2.weight', '2.bias']);
    list.set(1, d);
    expect(list.at(1)).toBe(d);
    expect(list.namedChildren().map(([k]) => k)).toEqual(['0', '1', '2']);
    expect(list.pop()).toBe(c);
    expect(list.length).toBe(2);
    list.insert(2, c);
    expect(list.at(2)).toBe(c);
  });

  it('is a module: train/eval, parameters and nesting reach its items', () => {
    class Net extends Module {
      readonly layers = this.module('layers', new ModuleList([new Linear(2, 2), new Linear(2, 2)]));
      forward(x: Tensor): Tensor {
        let h = x;
        for (const layer of this.layers) h = layer.forward(h);
        return h;
      }
    }
    const net = new Net().eval();
    expect(net.layers.at(1).training).toBe(false);
    expect(net.parameters().length).toBe(4);
    expect([...net.stateDict().keys()]).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
  });

  it('refuses bad positions, non-modules and forward()', () => {
    const list = new ModuleList([new ReLU()]);
    expect(() => list.at(1)).toThrow('ModuleList.at: index 1 is out of range for a ModuleList of length 1');
    expect(() => list.insert(3, new ReLU())).toThrow(/ModuleList.insert: index 3 is out of range for a ModuleList of length 1 \(need -1 ≤ index ≤ 1\)/);
    expect(() => list.insert(0, list)).toThrow(/contain itself/);
    expect(list.length).toBe(1);
    expect(() => list.forward()).toThrow(/ModuleList: has no forward\(\); iterate it/);
    expect(() => new ModuleList(3 as unknown as ReLU[])).toThrow(ValueError);
  });
});

describe('ModuleDict', () => {
  it('keeps keys in insertion order, Map-like, with PyTorch state-dict keys', () => {
    const heads = new ModuleDict({ tag: new Linear(4, 3), score: new Linear(4, 1) });
    expect([...heads.keys()]).toEqual(['tag', 'score']);
    expect(heads.size).toBe(2);
    expect(heads.has('tag')).toBe(true);
    expect(heads.get('nope')).toBeUndefined();
    expect([...heads.stateDict().keys()]).toEqual(['tag.weight', 'tag.bias', 'score.weight', 'score.bias']);
    const extra = new Linear(4, 2);
    heads.set('extra', extra);
    heads.set('tag', new Linear(4, 5)); // replaced in place: keeps its position
    expect([...heads.keys()]).toEqual(['tag', 'score', 'extra']);
    expect((heads.get('tag') as Linear).outFeatures).toBe(5);
    expect([...heads.values()][2]).toBe(extra);
    expect([...heads.entries()].map(([k]) => k)).toEqual(['tag', 'score', 'extra']);
    expect([...heads].map(([k]) => k)).toEqual(['tag', 'score', 'extra']);
    expect(heads.delete('score')).toBe(true);
    expect(heads.delete('score')).toBe(false);
    expect([...heads.stateDict().keys()]).toEqual(['tag.weight', 'tag.bias', 'extra.weight', 'extra.bias']);
    heads.update(new Map([['score', new Linear(4, 1)]]));
    expect([...heads.keys()]).toEqual(['tag', 'extra', 'score']);
    heads.clear();
    expect(heads.size).toBe(0);
    expect(heads.stateDict().size).toBe(0);
  });

  it('refuses keys a module name cannot have, non-modules and forward()', () => {
    const d = new ModuleDict();
    expect(() => d.set('a.b', new ReLU())).toThrow(/name 'a.b' must not contain '.'/);
    expect(() => d.set('', new ReLU())).toThrow(/non-empty string/);
    expect(() => new ModuleDict({ x: 3 as unknown as ReLU })).toThrow("ModuleDict.update: the value for key 'x' must be a Module");
    expect(() => d.forward()).toThrow(/ModuleDict: has no forward\(\); pick a module with get\(key\)/);
    expect(d.size).toBe(0);
  });
});

interface StateDictFixture {
  file: string;
  keys: string[];
  config: { vocab: number; dim: number; out: number };
  input: StoredArray;
  outputTag: StoredArray;
  outputScore: StoredArray;
}

/** The twin of EmbedNormNet in tools/golden_nn_layers.py: Embedding, ModuleList of Linear and LayerNorm, ModuleDict of heads. */
class EmbedNormNet extends Module<[Tensor, string], Tensor> {
  readonly embed: Embedding;
  readonly blocks: ModuleList<Linear>;
  readonly norms: ModuleList<LayerNorm>;
  readonly heads: ModuleDict<Linear>;
  readonly finalNorm: LayerNorm;

  constructor(vocab: number, dim: number, out: number) {
    super();
    this.embed = this.module('embed', new Embedding(vocab, dim, { paddingIdx: 0 }));
    this.blocks = this.module('blocks', new ModuleList([new Linear(dim, dim), new Linear(dim, dim)]));
    this.norms = this.module('norms', new ModuleList([new LayerNorm(dim), new LayerNorm(dim, { elementwiseAffine: false })]));
    this.heads = this.module('heads', new ModuleDict({ tag: new Linear(dim, out), score: new Linear(dim, 1) }));
    // A camelCase field under PyTorch's snake_case key.
    this.finalNorm = this.module('final_norm', new LayerNorm([dim]));
  }

  forward(tokens: Tensor, which: string): Tensor {
    let h = this.embed.forward(tokens);
    for (let i = 0; i < this.blocks.length; i++) h = this.norms.at(i).forward(tanh(this.blocks.at(i).forward(h)));
    const head = this.heads.get(which);
    if (head === undefined) throw new ValueError('EmbedNormNet', `no head '${which}'`);
    return head.forward(this.finalNorm.forward(h));
  }
}

describe('a state dict saved by PyTorch (Embedding + LayerNorm + ModuleList + ModuleDict)', () => {
  const fx = readFixture<{ stateDict: StateDictFixture }>().stateDict;

  it('has the same keys in the same order, loads by name with strict, and reproduces torch\'s outputs', () => {
    const { vocab, dim, out } = fx.config;
    const net = new EmbedNormNet(vocab, dim, out);
    expect([...net.stateDict().keys()]).toEqual(fx.keys);
    const { tensors } = loadSafetensors(readFixtureBytes(fx.file));
    expect(net.loadStateDict(tensors)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const tokens = intsFromStored(fx.input);
    expectStored('tag head', net.forward(tokens, 'tag'), fx.outputTag, 'float32');
    expectStored('score head', net.forward(tokens, 'score'), fx.outputScore, 'float32');
  });

  it('strict loading refuses a missing module key, naming it', () => {
    const { vocab, dim, out } = fx.config;
    const net = new EmbedNormNet(vocab, dim, out);
    net.heads.delete('score');
    const { tensors } = loadSafetensors(readFixtureBytes(fx.file));
    expect(() => net.loadStateDict(tensors)).toThrow(/unexpected keys: "heads.score.bias", "heads.score.weight"/);
  });
});

describe("the README's state-dict rule example", () => {
  it('camelCase fields, PyTorch keys in registration order', () => {
    class Block extends Module {
      readonly inProjWeight = this.param('in_proj_weight', zeros([3 * 64, 64]));
      readonly runningMean = this.buffer('running_mean', zeros([64]));
      readonly finalNorm = this.module('final_norm', new LayerNorm(64));
      readonly layers = this.module('layers', new ModuleList([new Linear(64, 64), new Linear(64, 64)]));
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const block = new Block();
    expect([...block.stateDict().keys()]).toEqual([
      'in_proj_weight', 'running_mean', 'final_norm.weight', 'final_norm.bias',
      'layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias',
    ]);
    expect(block.stateDict().get('in_proj_weight')!.data).toBe(block.inProjWeight.data);
  });
});
