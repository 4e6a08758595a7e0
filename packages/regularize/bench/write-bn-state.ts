// dl → PyTorch for batch-norm state dicts: trains three small float32 models holding
// BatchNorm1d / BatchNorm2d for a few SGD steps, then writes their state dicts (PyTorch's
// key names, prefixed by the model id) to one safetensors file, with each model's eval
// input and dl's eval output in the metadata. tools/check_regularize_state.py loads the
// file into the same torch modules with load_state_dict(strict=True) and compares.
//
//   npx tsx --conditions=@dl/source packages/regularize/bench/write-bn-state.ts [OUT]
//   /usr/bin/python3 tools/check_regularize_state.py [OUT]
//
// OUT defaults to /tmp/dl-bn-state.safetensors. Models (ids as in the checker):
//   mlp-bn1d  Sequential(Linear(5, 4), BatchNorm1d(4), ReLU(), Linear(4, 3)) on [6, 5]
//   bn1d-ncl  Sequential(BatchNorm1d(3, momentum: null)) (cumulative average) on [4, 3, 5]
//   bn2d      Sequential(BatchNorm2d(3, momentum 0.3, eps 1e-3), ReLU(), Flatten(), Linear(48, 2)) on [2, 3, 4, 4]
import { writeFileSync } from 'node:fs';
import { backward } from '@dl/autograd';
import { Flatten, Generator, Linear, ReLU, Sequential, type Tensor, mseLoss, noGrad, randn, saveSafetensors } from '@dl/tensor';
import { BatchNorm1d, BatchNorm2d } from '@dl/regularize';

const OUT = process.argv[2] ?? '/tmp/dl-bn-state.safetensors';
const STEPS = 4;
const LR = 0.1;
const g = new Generator(20240612);

interface Spec {
  id: string;
  model: Sequential;
  input: number[];
}

const specs: Spec[] = [
  { id: 'mlp-bn1d', model: new Sequential(new Linear(5, 4, { generator: g }), new BatchNorm1d(4), new ReLU(), new Linear(4, 3, { generator: g })), input: [6, 5] },
  { id: 'bn1d-ncl', model: new Sequential(new BatchNorm1d(3, { momentum: null })), input: [4, 3, 5] },
  { id: 'bn2d', model: new Sequential(new BatchNorm2d(3, { momentum: 0.3, eps: 1e-3 }), new ReLU(), new Flatten(), new Linear(48, 2, { generator: g })), input: [2, 3, 4, 4] },
];

const tensors = new Map<string, Tensor>();
const metadata: Record<string, string> = { producer: 'dl', format: 'pt', steps: String(STEPS) };
for (const { id, model, input } of specs) {
  // Move γ and β off their 1/0 initialization so a swapped or ignored key shows in the output.
  noGrad(() => {
    for (const m of model.children()) {
      if (m instanceof BatchNorm1d || m instanceof BatchNorm2d) for (const p of m.parameters()) p.addInPlace_(randn(p.shape, { generator: g }), 0.3);
    }
  });
  model.train();
  for (let s = 0; s < STEPS; s++) {
    const x = randn(input, { generator: g }).mul(2).add(0.7);
    const y = model.forward(x);
    const loss = mseLoss(y, randn(y.shape, { generator: g }));
    model.zeroGrad();
    backward(loss);
    noGrad(() => {
      for (const p of model.parameters()) p.addInPlace_(p.grad!, -LR);
    });
  }
  model.eval();
  const x = randn(input, { generator: g }).mul(2).add(0.7);
  const out = noGrad(() => model.forward(x));
  for (const [k, v] of model.stateDict()) tensors.set(`${id}/${k}`, v);
  metadata[`${id}.input_shape`] = JSON.stringify(input);
  metadata[`${id}.input`] = JSON.stringify(Array.from(x.data));
  metadata[`${id}.output_shape`] = JSON.stringify(out.shape);
  metadata[`${id}.output`] = JSON.stringify(Array.from(out.data));
}

const bytes = saveSafetensors(tensors, metadata);
writeFileSync(OUT, bytes);
console.log(`wrote ${OUT} (${bytes.length} bytes, ${tensors.size} tensors from ${specs.length} models, ${STEPS} training steps each)`);
