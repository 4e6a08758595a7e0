// Writes packages/tensor/test/fixtures/dl-written.safetensors with dl's writer, for
// tools/safetensors_fixture.py --check to read on the PyTorch side. See tools/README.md.
//
//   npx tsx tools/write-dl-safetensors.ts
//   /usr/bin/python3 tools/safetensors_fixture.py --check packages/tensor/test/fixtures/dl-written.safetensors
//
// Contents (the Python check recomputes the fixed tensors independently):
//   0.weight, 0.bias, 2.weight, 2.bias  float32 weights of Sequential(Linear(4, 3), ReLU(), Linear(3, 2)),
//                                       initialised from Generator(2024)
//   f64, i32, mask, f32.special, scalar, empty   fixed values of every dtype dl writes, incl. NaN, ±Inf,
//                                       −0, subnormals, a 0-d and a zero-size tensor
//   metadata: producer=dl, format=pt, forward_input / forward_output (JSON): the model's output
//   on a fixed input, computed by dl, which PyTorch must reproduce from the saved weights.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Generator, Linear, ReLU, Sequential, saveSafetensors, tensor, zeros } from '../packages/tensor/src/index.js';

const OUT = fileURLToPath(new URL('../packages/tensor/test/fixtures/dl-written.safetensors', import.meta.url));

const g = new Generator(2024);
const model = new Sequential(new Linear(4, 3, { generator: g }), new ReLU(), new Linear(3, 2, { generator: g }));
const input = [
  [1.5, 0.0, -0.75, 3.0],
  [1.0, 2.0, -1.0, 0.5],
  [-1.5, -0.5, 0.25, 2.0],
  [-2.0, 3.0, -2.5, -1.0],
];
const output = model.forward(tensor(input)).toArray();

const tensors = new Map(model.stateDict());
tensors.set('f64', tensor([[0.1, -0.2, 1 / 3], [1e-300, -1e300, Math.PI]], { dtype: 'float64' }));
tensors.set('i32', tensor([-2147483648, -1, 0, 1, 2147483647], { dtype: 'int32' }));
tensors.set('mask', tensor([[true, false, true], [false, false, true]]));
tensors.set('f32.special', tensor([0.1, -0, 3.4028234663852886e38, 1.401298464324817e-45, Number.NaN, Infinity, -Infinity]));
tensors.set('scalar', tensor(2.5));
tensors.set('empty', zeros([0, 3]));

const bytes = saveSafetensors(tensors, {
  producer: 'dl',
  format: 'pt',
  forward_input: JSON.stringify(input),
  forward_output: JSON.stringify(output),
});
writeFileSync(OUT, bytes);
console.log(`wrote ${OUT} (${bytes.length} bytes, ${tensors.size} tensors)`);
