import { BatchNorm2d, Generator, Linear, ReLU, Sequential, ValueError, randn } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { Conv2d, Inception, googlenet, lenet5, summary } from '../src/index.js';

describe('summary: the notes\' Inception arithmetic', () => {
  it('a 5×5 convolution from 28×28×192 to 32 maps costs 28·28·32·5·5·192 = 120,422,400 multiply–accumulates', () => {
    const s = summary(new Conv2d(192, 32, 5, { padding: 2 }), [1, 192, 28, 28]);
    expect(s.totalMacs).toBe(28 * 28 * 32 * 5 * 5 * 192);
    expect(s.totalMacs).toBe(120_422_400);
    expect(s.rows[0]!.outputShapes).toEqual([[1, 32, 28, 28]]);
    expect(s.totalParams).toBe(32 * 192 * 25 + 32);
  }, 120_000);

  it('a 16-map 1×1 bottleneck first brings it to 28·28·16·192 + 28·28·32·5·5·16 = 12,443,648 (about a tenth)', () => {
    const s = summary(new Sequential(new Conv2d(192, 16, 1), new Conv2d(16, 32, 5, { padding: 2 })), [1, 192, 28, 28]);
    expect(s.rows.map((r) => [r.name, r.macs])).toEqual([['', 12_443_648], ['0', 2_408_448], ['1', 10_035_200]]);
    expect(s.totalMacs).toBe(28 * 28 * 16 * 192 + 28 * 28 * 32 * 5 * 5 * 16);
    expect(120_422_400 / s.totalMacs).toBeCloseTo(9.68, 2);
  }, 120_000);

  it('inception (3a) has exactly that bottleneck in its third branch', () => {
    const s = summary(new Inception(192, 64, 96, 128, 16, 32, 32), [1, 192, 28, 28]);
    const macs = new Map(s.rows.map((r) => [r.name, r.macs]));
    expect(macs.get('branch3.0.conv')).toBe(2_408_448);
    expect(macs.get('branch3.1.conv')).toBe(10_035_200);
    expect(macs.get('branch3')).toBe(12_443_648);
    expect(s.rows[0]!.outputShapes).toEqual([[1, 256, 28, 28]]);
    expect(s.totalMacs).toBe([...s.rows].filter((r) => r.leaf).reduce((a, r) => a + r.macs, 0));
  }, 120_000);
});

describe('summary of whole models', () => {
  it('LeNet-5 (modern): per-layer shapes, parameters and multiply–accumulates, totals, and a table', () => {
    const s = summary(lenet5(), [1, 1, 28, 28]);
    const row = (name: string) => s.rows.find((r) => r.name === name)!;
    expect(row('features.0')).toMatchObject({ type: 'Conv2d', depth: 2, output: '[1, 6, 28, 28]', params: 156, macs: 6 * 28 * 28 * 25, leaf: true });
    expect(row('features.2')).toMatchObject({ type: 'MaxPool2d', output: '[1, 6, 14, 14]', params: 0, macs: 0 });
    expect(row('features.3')).toMatchObject({ output: '[1, 16, 10, 10]', params: 2416, macs: 16 * 10 * 10 * 150 });
    expect(row('classifier.4')).toMatchObject({ type: 'Linear', output: '[1, 10]', params: 850, macs: 840 });
    expect(row('features')).toMatchObject({ type: 'Sequential', depth: 1, params: 2572, leaf: false });
    expect(s.totalParams).toBe(61_706);
    expect(s.trainableParams).toBe(61_706);
    expect(s.frozenParams).toBe(0);
    expect(s.totalMacs).toBe(117_600 + 240_000 + 48_000 + 10_080 + 840);
    expect(s.paramBytes).toBe(61_706 * 4);
    const table = s.toString();
    expect(table).toContain('Layer (type)');
    expect(table).toMatch(/LeNet5 +\[1, 10\] +61,706 +416,520/);
    expect(table).toMatch(/├─features \(Sequential\) +\[1, 16, 5, 5\] +2,572/);
    expect(table).toMatch(/│  ├─0 \(Conv2d\) +\[1, 6, 28, 28\] +156 +117,600/);
    expect(table).toMatch(/└─classifier \(Sequential\)/);
    expect(table).toContain('Total params: 61,706');
    expect(table).toContain('Total mult-adds: 416.52 k (416,520)');
    expect(s.toString({ depth: 1 })).not.toContain('(Conv2d)');
  }, 120_000);

  it('counts frozen parameters apart', () => {
    const net = lenet5();
    net.features.requiresGrad_(false);
    const s = summary(net, [2, 1, 28, 28]);
    expect([s.trainableParams, s.frozenParams]).toEqual([61_706 - 2572, 2572]);
    expect(s.toString()).toContain('Frozen params: 2,572');
    // Multiply–accumulates are for the batch given.
    expect(s.totalMacs).toBe(2 * 416_520);
  }, 120_000);

  it('LeNet-5 (original): C3 counts only its 60 kernels, subsampling one multiplication per output', () => {
    const s = summary(lenet5({ variant: 'original' }), [1, 1, 32, 32]);
    const macs = new Map(s.rows.map((r) => [r.name, r.macs]));
    expect(macs.get('features.4')).toBe(60 * 25 * 10 * 10);
    expect(macs.get('features.2')).toBe(6 * 14 * 14);
    expect(s.totalParams).toBe(60_850);
  }, 120_000);

  it('GoogLeNet: the auxiliary heads do not run in eval mode (listed apart, counted in the totals) and do in train mode', () => {
    const net = googlenet({ numClasses: 10, generator: new Generator(0) });
    const ev = summary(net, [1, 3, 32, 32]);
    expect(ev.rows[0]!.output).toBe('{logits: [1, 10], aux1: null, aux2: null}');
    expect(ev.notRun.map((m) => m.name)).toEqual(['aux1', 'aux2']);
    expect(ev.totalParams).toBe(net.numParameters());
    expect(ev.toString()).toMatch(/Not run in eval mode: aux1 \(InceptionAux, [\d,]+ params, counted in the totals\)/);
    const tr = summary(net, [2, 3, 32, 32], { mode: 'train' });
    expect(tr.notRun).toEqual([]);
    expect(tr.rows[0]!.outputShapes).toEqual([[2, 10], [2, 10], [2, 10]]);
    expect(tr.rows.some((r) => r.name === 'aux1.fc2')).toBe(true);
    expect(net.training).toBe(true);
  }, 120_000);

  it('leaves the model as it was: mode, batch-norm statistics, no hooks; also after a forward that throws', () => {
    const bn = new BatchNorm2d(4);
    const net = new Sequential(new Conv2d(3, 4, 3), bn, new ReLU());
    const before = [...bn.runningMean!.data];
    summary(net, [2, 3, 8, 8], { mode: 'train' });
    expect([...bn.runningMean!.data]).toEqual(before);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(net.training).toBe(true);
    net.eval();
    summary(net, [1, 3, 8, 8], { mode: 'train' });
    expect(bn.training).toBe(false);
    expect(Object.hasOwn(net, 'forward')).toBe(false);
    expect(() => summary(net, [1, 5, 8, 8])).toThrow(/Conv2d/);
    expect(Object.hasOwn(net.at(0), 'forward')).toBe(false);
    expect(bn.training).toBe(false);
    const y = net.forward(randn([1, 3, 8, 8]));
    expect(y.shape).toEqual([1, 4, 6, 6]);
  }, 120_000);

  it('refuses what it cannot summarize', () => {
    expect(() => summary({} as never, [1, 3])).toThrow(ValueError);
    expect(() => summary(new Linear(3, 2), [1, -3])).toThrow(/summary: inputShape must be an array of non-negative integers/);
    expect(() => summary(new Linear(3, 2), [1, 3], { mode: 'test' as never })).toThrow(/summary: mode must be 'eval' or 'train'/);
    expect(summary(new Linear(3, 2), randn([4, 3])).totalMacs).toBe(24);
  }, 120_000);
});
