import { backward } from '@dl/autograd';
import { Generator, add, crossEntropy, mul, noGrad, randn, slice, tensor, zeros } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { AvgPool2d, BasicConv2d, Inception, LocalResponseNorm, googlenet, googlenetLoss } from '../../src/index.js';

describe('Inception block', () => {
  it('concatenates 1×1, 1×1→3×3, 1×1→5×5 and pool→1×1 branches; the third branch is 5×5 by default and 3×3 for torchvision', () => {
    const g = new Generator(0);
    const block = new Inception(192, 64, 96, 128, 16, 32, 32, { generator: g });
    expect(block.outChannels).toBe(256);
    expect(((block.branch3.at(1) as BasicConv2d).conv).kernelSize).toEqual([5, 5]);
    expect(((new Inception(192, 64, 96, 128, 16, 32, 32, { branch3Kernel: 3 }).branch3.at(1) as BasicConv2d).conv).kernelSize).toEqual([3, 3]);
    const keys = [...block.stateDict().keys()];
    expect(keys).toContain('branch2.0.conv.weight');
    expect(keys).toContain('branch3.1.bn.running_mean');
    expect(keys).toContain('branch4.1.bn.running_var');
    block.eval();
    const x = randn([1, 192, 28, 28], { generator: g });
    const y = noGrad(() => block.forward(x));
    expect(y.shape).toEqual([1, 256, 28, 28]);
    const parts = noGrad(() => [block.branch1.forward(x), block.branch2.forward(x), block.branch3.forward(x), block.branch4.forward(x)]);
    let start = 0;
    for (const part of parts) {
      const c = part.shape[1]!;
      expect([...slice(y, [null, [start, start + c]]).data]).toEqual([...part.data]);
      start += c;
    }
    expect(() => block.forward(zeros([1, 191, 28, 28]))).toThrow(/Inception: input has shape \[1, 191, 28, 28\]; need \[N, 192, H, W\]/);
  }, 120_000);
});

describe('GoogLeNet', () => {
  it('has 6,624,904 parameters without the auxiliary heads (torchvision\'s count) and 13,004,888 with them', () => {
    const plain = googlenet({ auxLogits: false });
    expect(plain.numParameters()).toBe(6_624_904);
    expect(plain.aux1).toBeNull();
    const full = googlenet();
    expect(full.numParameters()).toBe(13_004_888);
    const keys = [...full.stateDict().keys()];
    for (const k of ['conv1.conv.weight', 'conv1.bn.running_mean', 'inception3a.branch2.0.conv.weight', 'inception5b.branch4.1.bn.bias', 'aux1.conv.conv.weight', 'aux2.fc2.weight', 'fc.weight']) {
      expect(keys).toContain(k);
    }
  }, 120_000);

  it('returns the auxiliary logits in training only; googlenetLoss adds 0.3 × each auxiliary loss, and backward reaches the heads', () => {
    const g = new Generator(1);
    const net = googlenet({ numClasses: 10, generator: g });
    const x = randn([2, 3, 64, 64], { generator: g });
    const labels = tensor([3, 7], { dtype: 'int32' });
    const out = net.train().forward(x);
    expect(out.logits.shape).toEqual([2, 10]);
    expect(out.aux1!.shape).toEqual([2, 10]);
    expect(out.aux2!.shape).toEqual([2, 10]);
    const loss = googlenetLoss(out, labels);
    const byHand = add(crossEntropy(out.logits, labels), mul(add(crossEntropy(out.aux1!, labels), crossEntropy(out.aux2!, labels)), 0.3));
    expect(loss.item()).toBeCloseTo(byHand.item(), 5);
    expect(googlenetLoss(out, labels, { auxWeight: 0 }).item()).toBeCloseTo(crossEntropy(out.logits, labels).item(), 6);
    backward(loss);
    expect(net.aux1!.fc2.weight.grad).not.toBeNull();
    expect(net.aux2!.conv.conv.weight.grad).not.toBeNull();
    expect(net.conv1.conv.weight.grad).not.toBeNull();

    net.zeroGrad();
    const ev = net.eval().forward(x);
    expect(ev.aux1).toBeNull();
    expect(ev.aux2).toBeNull();
    const evalLoss = googlenetLoss(ev, labels);
    expect(evalLoss.item()).toBeCloseTo(crossEntropy(ev.logits, labels).item(), 6);
    backward(evalLoss);
    expect(net.aux1!.fc2.weight.grad).toBeNull();
    expect(net.fc.weight.grad).not.toBeNull();
    expect(() => googlenetLoss(ev, labels, { auxWeight: -1 })).toThrow(/googlenetLoss: auxWeight/);
  }, 120_000);

  it('takes inputs from 15×15 (torchvision\'s min_size) and names itself when refusing one', () => {
    const net = googlenet({ numClasses: 5, auxLogits: false }).eval();
    expect(noGrad(() => net.forward(zeros([1, 3, 15, 15]))).logits.shape).toEqual([1, 5]);
    expect(() => net.forward(zeros([1, 3, 14, 15]))).toThrow(/GoogLeNet: input of 14×15 .*too small; the model needs H, W ≥ 15/);
    expect(() => net.forward(zeros([1, 3, 32]))).toThrow(/GoogLeNet: expected a 4-D \[N, 3, H, W\] input/);
  }, 120_000);

  it('the paper\'s variant: convolutions with bias and no batch norm, LRN in the stem, 5×5 third branches, 5×5/3 pooling in the auxiliary heads', () => {
    const net = googlenet({ variant: 'paper', numClasses: 10, generator: new Generator(2) });
    expect(net.conv1.bn).toBeNull();
    expect(net.conv1.conv.bias).not.toBeNull();
    expect(net.lrn1).toBeInstanceOf(LocalResponseNorm);
    expect(net.lrn2).toBeInstanceOf(LocalResponseNorm);
    expect((net.inception4a.branch3.at(1) as BasicConv2d).conv.kernelSize).toEqual([5, 5]);
    expect(net.aux1!.pool).toBeInstanceOf(AvgPool2d);
    expect(net.dropout.p).toBe(0.4);
    // torchvision's count, plus 16 more weights per (reduction, 5×5 output) pair, minus one per channel (a bias for batch norm's γ and β).
    const pairs = [[16, 32], [32, 96], [16, 48], [24, 64], [24, 64], [32, 64], [32, 128], [32, 128], [48, 128]].reduce((n, [r, o]) => n + r! * o!, 0);
    const channels = 64 + 64 + 192 + [368, 640, 624, 648, 664, 704, 1024, 1024, 1264].reduce((a, b) => a + b, 0);
    expect(googlenet({ variant: 'paper', auxLogits: false }).numParameters()).toBe(6_624_904 + 16 * pairs - channels);
    expect([...net.stateDict().keys()].some((k) => k.includes('.bn.'))).toBe(false);
    net.eval();
    expect(noGrad(() => net.forward(zeros([1, 3, 64, 64]))).logits.shape).toEqual([1, 10]);
    // Its 3×3/2 pool before (5a) needs 2×2 maps there: inputs from 31×31.
    expect(noGrad(() => net.forward(zeros([1, 3, 31, 31]))).logits.shape).toEqual([1, 10]);
    expect(() => net.forward(zeros([1, 3, 30, 30]))).toThrow(/GoogLeNet \(paper\): input of 30×30 .*the model needs H, W ≥ 31/);
    // In training the heads' 5×5/3 pool needs the 14×14 maps of a 224×224 input.
    net.train();
    expect(() => noGrad(() => net.forward(zeros([1, 3, 64, 64])))).toThrow(/InceptionAux: input has shape \[1, 512, 4, 4\]; .*from 14×14 to 16×16 maps \(GoogLeNet: a 224×224 input\)/);
    const out = noGrad(() => net.forward(randn([1, 3, 224, 224], { generator: new Generator(3) })));
    expect(out.aux1!.shape).toEqual([1, 10]);
    expect(out.aux2!.shape).toEqual([1, 10]);
  }, 120_000);
});
