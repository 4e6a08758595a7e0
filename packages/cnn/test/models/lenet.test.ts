import { backward } from '@dl/autograd';
import { Generator, Linear, ShapeError, ValueError, crossEntropy, noGrad, randn, sub, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { ConnectionTableConv2d, LENET5_C3_TABLE, ScaledTanh, Subsampling2d, lenet5 } from '../../src/index.js';

describe('LeNet-5, modern variant', () => {
  it('has 61,706 parameters with torchvision-style sizes and maps [N, 1, 28, 28] to [N, 10]', () => {
    const net = lenet5({ generator: new Generator(0) });
    expect(net.variant).toBe('modern');
    expect(net.numParameters()).toBe(61_706);
    expect([...net.stateDict().keys()]).toEqual([
      'features.0.weight', 'features.0.bias', 'features.3.weight', 'features.3.bias',
      'classifier.0.weight', 'classifier.0.bias', 'classifier.2.weight', 'classifier.2.bias', 'classifier.4.weight', 'classifier.4.bias',
    ]);
    expect(net.forward(randn([3, 1, 28, 28], { generator: new Generator(1) })).shape).toEqual([3, 10]);
    expect(lenet5({ numClasses: 4 }).forward(zeros([1, 1, 28, 28])).shape).toEqual([1, 4]);
  }, 120_000);

  it('refuses inputs it cannot take, naming the model', () => {
    const net = lenet5();
    expect(() => net.forward(zeros([1, 28, 28]))).toThrow(ShapeError);
    expect(() => net.forward(zeros([1, 28, 28]))).toThrow(/LeNet5 \(modern\): expected a 4-D \[N, 1, H, W\] input, got shape \[1, 28, 28\].*unsqueeze/);
    expect(() => net.forward(zeros([1, 3, 28, 28]))).toThrow(/LeNet5 \(modern\): input has 3 channels/);
    expect(() => net.forward(zeros([1, 1, 32, 32]))).toThrow(/LeNet5 \(modern\): input is 32×32.*28×28/);
    expect(() => lenet5({ variant: 'lenet' as never })).toThrow(ValueError);
    expect(() => lenet5({ varient: 'modern' } as never)).toThrow(/did you mean 'variant'/);
  }, 120_000);
});

describe('LeNet-5, original variant (LeCun et al., 1998)', () => {
  const net = lenet5({ variant: 'original', generator: new Generator(0) });
  const layer = (i: number) => net.features.at(i);

  it('has the paper\'s trainable parameters layer by layer: C1 156, S2 12, C3 1,516, S4 32, C5 48,120, F6 10,164 (60,000) and an 850-parameter linear output', () => {
    const counts = [0, 2, 4, 6, 8].map((i) => layer(i).numParameters());
    expect(counts).toEqual([156, 12, 1516, 32, 48_120]);
    expect(net.classifier.at(0).numParameters()).toBe(10_164);
    expect(net.numParameters() - net.classifier.at(2).numParameters()).toBe(60_000);
    expect(net.classifier.at(2)).toBeInstanceOf(Linear);
    expect(net.numParameters()).toBe(60_850);
    expect(layer(2)).toBeInstanceOf(Subsampling2d);
    expect(layer(4)).toBeInstanceOf(ConnectionTableConv2d);
    expect([1, 3, 5, 7, 9].every((i) => layer(i) instanceof ScaledTanh)).toBe(true);
  }, 120_000);

  it('C3 follows Table I: six maps see 3 neighbouring S2 maps, six see 4 neighbouring, three see 4 others, one sees all six', () => {
    expect(LENET5_C3_TABLE.map((row) => row.length)).toEqual([3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 6]);
    // The paper's Table I row by row: the C3 maps each S2 map feeds.
    const rows = [
      [0, 4, 5, 6, 9, 10, 11, 12, 14, 15], [0, 1, 5, 6, 7, 10, 11, 12, 13, 15], [0, 1, 2, 6, 7, 8, 11, 13, 14, 15],
      [1, 2, 3, 6, 7, 8, 9, 12, 14, 15], [2, 3, 4, 7, 8, 9, 10, 12, 13, 15], [3, 4, 5, 8, 9, 10, 11, 13, 14, 15],
    ];
    rows.forEach((maps, s2) => expect(LENET5_C3_TABLE.flatMap((row, o) => (row.includes(s2) ? [o] : []))).toEqual(maps));
    const c3 = layer(4) as ConnectionTableConv2d;
    expect(c3.weight.shape).toEqual([60, 5, 5]);
    expect(c3.connections * 25 + 16).toBe(1516);
  }, 120_000);

  it('C3 map o depends only on the S2 maps of its table row, and only existing kernels get gradients', () => {
    const c3 = new ConnectionTableConv2d(6, LENET5_C3_TABLE, 5, { generator: new Generator(2), dtype: 'float64' });
    const dense = c3.denseWeight();
    for (let o = 0; o < 16; o++) {
      for (let i = 0; i < 6; i++) {
        let norm = 0;
        for (let k = 0; k < 25; k++) norm += Math.abs(dense.data[(o * 6 + i) * 25 + k]!);
        expect(norm > 0, `kernel (${o}, ${i})`).toBe(LENET5_C3_TABLE[o]!.includes(i));
      }
    }
    const x = randn([2, 6, 14, 14], { generator: new Generator(3), dtype: 'float64' });
    const bumped = x.clone();
    noGrad(() => bumped.assign_(Float64Array.from(x.data, (v, idx) => (Math.floor(idx / 196) % 6 === 5 ? v + 1 : v))));
    const diff = sub(c3.forward(bumped), c3.forward(x));
    for (let o = 0; o < 16; o++) {
      let changed = 0;
      for (let n = 0; n < 2; n++) for (let k = 0; k < 100; k++) changed = Math.max(changed, Math.abs(diff.data[(n * 16 + o) * 100 + k]!));
      expect(changed > 1e-9, `map ${o} after changing S2 map 5`).toBe(LENET5_C3_TABLE[o]!.includes(5));
    }
    const loss = c3.forward(x).sum();
    backward(loss);
    expect(c3.weight.grad!.shape).toEqual([60, 5, 5]);
    expect(c3.bias!.grad!.data[0]).toBeCloseTo(2 * 100, 10);
  }, 120_000);

  it('counts C3\'s multiply–accumulates over existing connections only: 60·25 per position on 10×10 (the paper\'s 151,600 connections include the biases)', () => {
    const c3 = layer(4) as ConnectionTableConv2d;
    const out = noGrad(() => c3.forward(zeros([1, 6, 14, 14])));
    expect(out.shape).toEqual([1, 16, 10, 10]);
    expect(c3.countMacs([], out)).toBe(150_000);
    expect(c3.countMacs([], out) + 16 * 100).toBe(151_600);
  }, 120_000);

  it('squashes with 1.7159·tanh(2a/3), so f(±1) = ±1', () => {
    const f = new ScaledTanh();
    const y = f.forward(tensor([-1, 0, 1, 10], { dtype: 'float64' }));
    expect(y.data[0]).toBeCloseTo(-1, 4);
    expect(y.data[1]).toBe(0);
    expect(y.data[2]).toBeCloseTo(1, 4);
    expect(y.data[3]).toBeCloseTo(1.7159, 4);
  }, 120_000);

  it('takes 32×32 and MNIST\'s 28×28 (zero-padded to 32×32: the same output as padding by hand)', () => {
    const x = randn([2, 1, 28, 28], { generator: new Generator(4) });
    const y28 = noGrad(() => net.forward(x));
    const padded = zeros([2, 1, 32, 32]);
    const data = new Float32Array(2 * 32 * 32);
    for (let n = 0; n < 2; n++) for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) data[n * 1024 + (r + 2) * 32 + c + 2] = x.data[n * 784 + r * 28 + c]!;
    noGrad(() => padded.assign_(data));
    const y32 = noGrad(() => net.forward(padded));
    expect(y28.shape).toEqual([2, 10]);
    expect([...y28.data]).toEqual([...y32.data]);
    expect(() => net.forward(zeros([1, 1, 30, 30]))).toThrow(/LeNet5 \(original\): input is 30×30.*28×28 or 32×32/);
  }, 120_000);

  it('starts every weight in U(−2.4/Fᵢ, 2.4/Fᵢ) (the paper\'s initialization) and trains: every parameter gets a gradient, and the loss falls at each SGD step', () => {
    const bounds: Array<[number, number]> = [[0, 2.4 / 25], [8, 2.4 / 400]];
    for (const [i, b] of bounds) for (const v of layer(i).parameters()[0]!.data) expect(Math.abs(v)).toBeLessThanOrEqual(b);
    for (const v of net.classifier.at(0).parameters()[0]!.data) expect(Math.abs(v)).toBeLessThanOrEqual(2.4 / 120);
    const fresh = lenet5({ variant: 'original', generator: new Generator(5) });
    const x = randn([16, 1, 32, 32], { generator: new Generator(6) });
    const labels = tensor(Array.from({ length: 16 }, (_, i) => i % 10), { dtype: 'int32' });
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) {
      const loss = crossEntropy(fresh.forward(x), labels);
      losses.push(loss.item());
      fresh.zeroGrad();
      backward(loss);
      for (const [name, p] of fresh.namedParameters()) expect([...p.grad!.data].some((v) => v !== 0), `gradient of ${name}`).toBe(true);
      noGrad(() => {
        for (const p of fresh.parameters()) p.addInPlace_(p.grad!, -0.1);
      });
    }
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThan(losses[i - 1]!);
  }, 120_000);
});
