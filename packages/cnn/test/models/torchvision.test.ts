// torchvision's models, run by PyTorch on weights filled by a closed-form formula that
// both sides compute bit for bit (tools/golden_cnn_models.py): the state dicts' keys and
// shapes load into dl's builders with `strict`, and the forwards agree.
import { type AnyModule, type Tensor, noGrad } from '@dl/tensor';
import { describe, expect, it } from 'vitest';
import { alexnet, googlenet, resnet18, resnet50, vgg11 } from '../../src/index.js';
import { expectCloseToTorch, formulaStateDict, readTorchvisionFixture } from './helpers.js';

const { doc, tensors } = readTorchvisionFixture();
const input = tensors.get(doc.input)!;
const output = (model: string, tag: string): Tensor => tensors.get(doc.models[model]!.outputs[tag]!)!;
const output64 = (model: string, tag: string): Tensor => tensors.get(`${doc.models[model]!.outputs[tag]!}.f64`)!;

/**
 * Tolerance, relative to the largest |output|, against PyTorch's float64 run of
 * the same network: dl computes in float32 and sums in another order than torch
 * (blocked GEMM, im2col), through up to 50 layers. PyTorch's own float32 run is
 * within 6.8e-5 of the float64 result here (GoogLeNet in training mode, where
 * batch statistics over 2 samples at 1×1 maps amplify rounding; ≤ 1.3e-5 elsewhere),
 * and the test checks that too, so the bound is the float32 class, not slack for dl.
 */
const RTOL = 1e-4;

/** dl's float32 `actual` against torch's float64 result, and torch's own float32 result against it. */
function expectTorchOutput(label: string, actual: Tensor, model: string, tag: string): void {
  const torch32 = expectCloseToTorch(`${label} (torch float32 vs float64)`, output(model, tag), output64(model, tag), RTOL);
  const dl = expectCloseToTorch(label, actual, output64(model, tag), RTOL);
  if (process.env.GOLDEN_REPORT) console.log(`${label}: dl ${dl.toExponential(2)}, torch float32 ${torch32.toExponential(2)} (relative to the largest |output|)`);
}

/** Loads the fixture's weights for `name` into `model` (strict) and checks the key order too. */
function load(name: string, model: AnyModule): void {
  const { keys } = doc.models[name]!;
  expect([...model.stateDict().keys()], `${name}: state-dict keys in torchvision's order`).toEqual(keys.map(([k]) => k));
  model.loadStateDict(formulaStateDict(keys), { strict: true });
  expect(model.numParameters()).toBe(doc.models[name]!.params);
}

describe('torchvision state dicts load by name and the forward matches PyTorch', () => {
  it('ResNet-18: eval forward, training forward (batch statistics) and the running statistics it leaves', () => {
    const net = resnet18({ init: false });
    load('resnet18', net);
    const y = noGrad(() => net.eval().forward(input));
    expectTorchOutput('resnet18 eval', y, 'resnet18', 'eval');
    const yt = noGrad(() => net.train().forward(input));
    expectTorchOutput('resnet18 train', yt, 'resnet18', 'train');
    const sd = net.stateDict();
    for (const key of ['bn1.running_mean', 'bn1.running_var', 'layer4.1.bn2.running_mean', 'layer4.1.bn2.running_var']) {
      expectCloseToTorch(`resnet18 ${key} after a training step`, sd.get(key)!, output('resnet18', `after_train.${key}`), RTOL);
    }
    expect(sd.get('bn1.num_batches_tracked')!.item()).toBe(1);
  }, 120_000);

  it('ResNet-50 (bottleneck blocks, projection shortcuts): eval forward', () => {
    const net = resnet50({ init: false });
    load('resnet50', net);
    expectTorchOutput('resnet50 eval', noGrad(() => net.eval().forward(input)), 'resnet50', 'eval');
  }, 120_000);

  it('VGG-11: eval forward (64×64 input; the adaptive pool repeats the 2×2 maps to 7×7)', () => {
    const net = vgg11({ init: false });
    load('vgg11', net);
    expectTorchOutput('vgg11 eval', noGrad(() => net.eval().forward(input)), 'vgg11', 'eval');
  }, 120_000);

  it('AlexNet (torchvision): eval forward', () => {
    const net = alexnet();
    load('alexnet', net);
    expectTorchOutput('alexnet eval', noGrad(() => net.eval().forward(input)), 'alexnet', 'eval');
  }, 120_000);

  it('GoogLeNet with auxiliary heads: eval forward, and training forward with both heads', () => {
    const net = googlenet({ dropout: 0, dropoutAux: 0 });
    load('googlenet', net);
    const ev = noGrad(() => net.eval().forward(input));
    expect(ev.aux1).toBeNull();
    expect(ev.aux2).toBeNull();
    expectTorchOutput('googlenet eval', ev.logits, 'googlenet', 'eval');
    const tr = noGrad(() => net.train().forward(input));
    expectTorchOutput('googlenet train', tr.logits, 'googlenet', 'train');
    expectTorchOutput('googlenet train aux1', tr.aux1!, 'googlenet', 'train.aux1');
    expectTorchOutput('googlenet train aux2', tr.aux2!, 'googlenet', 'train.aux2');
  }, 120_000);
});
