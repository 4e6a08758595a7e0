import { backward } from '@dl/autograd';
import { Generator, Sequential, noGrad, randn, slice, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { BasicBlock, Bottleneck, ZeroPadShortcut, resnet, resnet18, resnet50, resnetCifar } from '../../src/index.js';
import { readTorchvisionFixture } from './helpers.js';

const { counts } = readTorchvisionFixture().doc;

describe('ResNet parameter counts equal torchvision\'s', () => {
  it('ResNet-18 11,689,512 and ResNet-50 25,557,032 (projection shortcuts, torchvision\'s keys)', () => {
    const r18 = resnet18();
    expect(r18.numParameters()).toBe(11_689_512);
    const keys = [...r18.stateDict().keys()];
    for (const k of ['conv1.weight', 'bn1.running_mean', 'layer1.0.bn1.running_mean', 'layer2.0.downsample.0.weight', 'layer2.0.downsample.1.running_var', 'fc.bias']) {
      expect(keys).toContain(k);
    }
    expect(keys.some((k) => k.startsWith('layer1.0.downsample'))).toBe(false);
    const r50 = resnet50();
    expect(r50.numParameters()).toBe(25_557_032);
    expect([...r50.stateDict().keys()]).toContain('layer1.0.downsample.0.weight');
    expect(r50.layer1.at(0)).toBeInstanceOf(Bottleneck);
  }, 120_000);

  it('ResNet-34 and ResNet-101 (no forward needed)', () => {
    expect(resnet(34, { init: false }).numParameters()).toBe(counts.resnet34);
    expect(resnet(101, { init: false }).numParameters()).toBe(counts.resnet101);
    expect(counts.resnet34).toBe(21_797_672);
    expect(counts.resnet101).toBe(44_549_160);
  }, 120_000);
});

describe('shortcuts', () => {
  it('option A is parameter-free: x[:, :, ::s, ::s] followed by zero channels', () => {
    const s = new ZeroPadShortcut(2, 5, 2);
    expect(s.numParameters()).toBe(0);
    expect(s.stateDict().size).toBe(0);
    const x = randn([1, 2, 5, 5], { generator: new Generator(0), requiresGrad: true });
    const y = s.forward(x);
    // Same size as a 3×3 stride-2 convolution with padding 1: ⌈5/2⌉ = 3.
    expect(y.shape).toEqual([1, 5, 3, 3]);
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(y.data[(c * 3 + i) * 3 + j]).toBe(x.data[(c * 5 + 2 * i) * 5 + 2 * j]);
    }
    expect([...slice(y, [null, [2, 5]]).data].every((v) => v === 0)).toBe(true);
    backward(y.sum());
    expect([...x.grad!.data].filter((v) => v === 1)).toHaveLength(18);
    expect(() => new ZeroPadShortcut(4, 2, 1)).toThrow(/ZeroPadShortcut: outChannels must be an integer ≥ inChannels/);
  }, 120_000);

  it('ResNet-18 with option A: no projection parameters (11,689,512 − 173,824), no downsample keys, the same output shapes', () => {
    const net = resnet18({ shortcut: 'A', numClasses: 10, generator: new Generator(1) });
    expect(net.numParameters()).toBe(11_689_512 - 173_824 - (512 * 990 + 990));
    expect([...net.stateDict().keys()].some((k) => k.includes('downsample'))).toBe(false);
    const blocks = [net.layer1, net.layer2, net.layer3, net.layer4].map((l) => l.at(0) as BasicBlock);
    expect(blocks.map((b) => b.downsample?.constructor.name ?? null)).toEqual([null, 'ZeroPadShortcut', 'ZeroPadShortcut', 'ZeroPadShortcut']);
    net.eval();
    expect(noGrad(() => net.forward(randn([2, 3, 37, 45], { generator: new Generator(2) }))).shape).toEqual([2, 10]);
  }, 120_000);

  it('a stride-2 block gives the same shape with either shortcut, odd sizes included; option C projects on every block', () => {
    const x = randn([1, 64, 7, 9], { generator: new Generator(3) });
    for (const kind of ['A', 'B', 'C'] as const) {
      const block = new BasicBlock(64, 128, { stride: 2, shortcut: kind }).eval();
      expect(noGrad(() => block.forward(x)).shape, kind).toEqual([1, 128, 4, 5]);
    }
    const bottleneckA = new Bottleneck(64, 64, { shortcut: 'A' });
    expect(bottleneckA.downsample).toBeInstanceOf(ZeroPadShortcut);
    expect(noGrad(() => bottleneckA.eval().forward(x)).shape).toEqual([1, 256, 7, 9]);
    expect(new BasicBlock(64, 64, { shortcut: 'C' }).downsample).toBeInstanceOf(Sequential);
    expect(new BasicBlock(64, 64).downsample).toBeNull();
    const c = resnet18({ shortcut: 'C', init: false });
    expect([c.layer1, c.layer2, c.layer3, c.layer4].flatMap((l) => [...l]).every((b) => (b as BasicBlock).downsample instanceof Sequential)).toBe(true);
  }, 120_000);
});

describe('ResNet', () => {
  it('zeroInitResidual starts each block\'s last batch norm at γ = 0', () => {
    const net = resnet18({ zeroInitResidual: true, init: false });
    for (const layer of [net.layer1, net.layer4]) for (const b of layer) expect([...(b as BasicBlock).bn2.weight!.data].every((v) => v === 0)).toBe(true);
  }, 120_000);

  it('refuses bad input and options, naming the model', () => {
    const net = resnet18({ init: false });
    expect(() => net.forward(zeros([3, 64, 64]))).toThrow(/ResNet-18: expected a 4-D \[N, 3, H, W\] input, got shape \[3, 64, 64\]/);
    expect(() => net.forward(zeros([1, 1, 64, 64]))).toThrow(/ResNet-18: input has 1 channels/);
    expect(() => resnet(20 as never)).toThrow(/resnet: depth must be 18, 34, 50, 101, 152/);
    expect(() => resnet18({ shortcut: 'D' as never })).toThrow(/resnet: shortcut must be 'A', 'B', 'C'/);
  }, 120_000);
});

describe('ResNet for CIFAR-10 (6n + 2 layers, option A shortcuts)', () => {
  it('has the paper\'s sizes: ResNet-20 0.27 M (269,722), ResNet-56 0.85 M (853,018), ResNet-110 1.7 M (1,727,962), with no projection parameters', () => {
    const r20 = resnetCifar(20, { generator: new Generator(4) });
    expect(r20.numParameters()).toBe(269_722);
    expect([...r20.stateDict().keys()].some((k) => k.includes('downsample'))).toBe(false);
    expect(r20.layer2.at(0)).toBeInstanceOf(BasicBlock);
    expect((r20.layer2.at(0) as BasicBlock).downsample).toBeInstanceOf(ZeroPadShortcut);
    expect(resnetCifar(56, { init: false }).numParameters()).toBe(853_018);
    expect(resnetCifar(110, { init: false }).numParameters()).toBe(1_727_962);
    // Option B adds the two projections (16→32 and 32→64, 1×1 conv + BN).
    expect(resnetCifar(20, { shortcut: 'B', init: false }).numParameters()).toBe(269_722 + 16 * 32 + 64 + 32 * 64 + 128);
    r20.eval();
    expect(noGrad(() => r20.forward(randn([2, 3, 32, 32], { generator: new Generator(5) }))).shape).toEqual([2, 10]);
    expect(() => r20.forward(zeros([2, 1, 32, 32]))).toThrow(/ResNet-20 \(CIFAR\): input has 1 channels/);
    expect(() => resnetCifar(21)).toThrow(/resnetCifar: depth must be 6n \+ 2/);
  }, 120_000);
});
