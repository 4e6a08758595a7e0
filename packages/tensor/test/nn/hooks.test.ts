import { describe, expect, it } from 'vitest';
import { Generator, Linear, Module, ReLU, Sequential, type Tensor, ValueError, randn, tensor, zerosLike } from '../../src/index.js';

const g = new Generator(3);
const mlp = () => new Sequential(new Linear(4, 3, { generator: g }), new ReLU(), new Linear(3, 2, { generator: g }));

describe('forward hooks', () => {
  it("see a child's input and output inside a Sequential, can replace the output, and stop after remove()", () => {
    const net = mlp();
    const x = randn([5, 4], { generator: g });
    const plain = net.forward(x).toFlatArray();
    const seen: Array<{ input: Tensor; output: Tensor }> = [];
    const relu = net.at(1);
    const handle = relu.registerForwardHook((m, [input], output) => {
      expect(m).toBe(relu);
      seen.push({ input, output });
    });
    expect(net.forward(x).toFlatArray()).toEqual(plain);
    expect(seen.length).toBe(1);
    expect(seen[0]!.input.toFlatArray()).toEqual(net.at(0).forward(x).toFlatArray());
    expect(seen[0]!.output.toFlatArray()).toEqual(seen[0]!.input.relu().toFlatArray());

    // A hook that replaces the output changes what the next layer sees.
    const zero = net.at(1).registerForwardHook((_m, _args, out) => zerosLike(out));
    const bias = (net.at(2) as Linear).bias!.toFlatArray();
    const y = net.forward(x);
    for (let r = 0; r < 5; r++) expect(y.toFlatArray().slice(r * 2, r * 2 + 2)).toEqual(bias);
    expect(seen.length).toBe(2);

    handle.remove();
    zero.remove();
    handle.remove(); // idempotent
    expect(net.forward(x).toFlatArray()).toEqual(plain);
    expect(seen.length).toBe(2);
  });

  it('a pre-hook can replace the arguments; hooks run in registration order', () => {
    const lin = new Linear(2, 1, { bias: false, generator: g });
    const order: string[] = [];
    const h1 = lin.registerForwardPreHook((_m, [x]) => {
      order.push('pre1');
      return [x.mul(2)];
    });
    const h2 = lin.registerForwardPreHook((_m, [x]) => {
      order.push('pre2');
      expect(x.toFlatArray()).toEqual([2, 4]); // sees pre1's replacement
    });
    const h3 = lin.registerForwardHook((_m, [x], out) => {
      order.push('post');
      expect(x.toFlatArray()).toEqual([2, 4]); // the arguments forward ran with
      return out.add(100);
    });
    const w = lin.weight.toFlatArray();
    const y = lin.forward(tensor([[1, 2]]));
    expect(order).toEqual(['pre1', 'pre2', 'post']);
    expect(y.item()).toBeCloseTo(2 * w[0]! + 4 * w[1]! + 100, 5);
    h1.remove();
    h2.remove();
    h3.remove();
    expect(lin.forward(tensor([[1, 2]])).item()).toBeCloseTo(w[0]! + 2 * w[1]!, 5);
  });

  it('modules without hooks keep their own forward; the wrapper goes with the last hook', () => {
    const lin = new Linear(2, 2);
    expect(Object.hasOwn(lin, 'forward')).toBe(false);
    const a = lin.registerForwardHook(() => undefined);
    const b = lin.registerForwardPreHook(() => undefined);
    expect(Object.hasOwn(lin, 'forward')).toBe(true);
    a.remove();
    expect(Object.hasOwn(lin, 'forward')).toBe(true);
    b.remove();
    expect(Object.hasOwn(lin, 'forward')).toBe(false);
    expect(lin.forward).toBe(Linear.prototype.forward);
  });

  it('a forward defined on the instance is restored after the hooks go', () => {
    class Doubler extends Module {
      forward = (x: Tensor): Tensor => x.mul(2);
    }
    const d = new Doubler();
    const own = d.forward;
    const h = d.registerForwardHook((_m, _a, out) => out.add(1));
    expect(d.forward(tensor([1])).item()).toBe(3);
    h.remove();
    expect(d.forward).toBe(own);
    expect(d.forward(tensor([1])).item()).toBe(2);
  });

  it('multi-argument forwards pass every argument to the hooks', () => {
    class Pair extends Module<[Tensor, Tensor], Tensor> {
      forward(a: Tensor, b: Tensor): Tensor {
        return a.sub(b);
      }
    }
    const p = new Pair();
    p.registerForwardPreHook((_m, [a, b]) => [b, a]);
    expect(p.forward(tensor([1]), tensor([5])).item()).toBe(4);
  });

  it('refuses a hook that is not a function', () => {
    expect(() => new ReLU().registerForwardHook(3 as never)).toThrow(ValueError);
    expect(() => new ReLU().registerForwardPreHook(null as never)).toThrow('registerForwardPreHook: hook must be a function, got object');
  });
});
