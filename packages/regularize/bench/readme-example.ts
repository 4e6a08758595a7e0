import { backward } from '@dl/autograd';
import { Generator, Linear, ReLU, Sequential, add, crossEntropy, noGrad, randint, randn } from '@dl/tensor';
import {
  BatchNorm1d, Compose, Dropout, EarlyStopping, RandomCrop, RandomRotation,
  decayWeights_, l2Penalty, weightParameters,
} from '@dl/regularize';

const g = new Generator(0);
const model = new Sequential(new Linear(784, 128, { generator: g }), new BatchNorm1d(128), new ReLU(), new Dropout(0.5, { generator: g }), new Linear(128, 10, { generator: g }));
const augment = new Compose([new RandomCrop({ padding: 2 }), new RandomRotation({ degrees: 10 })]);
const stopper = new EarlyStopping({ patience: 3, mode: 'min' });

const images = randn([64, 1, 28, 28], { generator: g });
const labels = randint(0, 10, [64], { generator: g, dtype: 'int32' });
for (let epoch = 1; epoch <= 20; epoch++) {
  model.train();
  const x = augment.apply(images, g).reshape([64, 784]);
  const loss = add(crossEntropy(model.forward(x), labels), l2Penalty(weightParameters(model), 1e-4));
  model.zeroGrad();
  backward(loss);
  noGrad(() => { for (const p of model.parameters()) p.addInPlace_(p.grad!, -0.1); });
  decayWeights_(weightParameters(model), 0.1, 1e-4); // or decoupled decay instead of the L2 term
  model.eval();
  const valLoss = noGrad(() => crossEntropy(model.forward(images.reshape([64, 784])), labels).item());
  if (stopper.step(valLoss, model).stop) break;
}
stopper.restoreBest(model);
console.log(`best epoch ${stopper.bestEpoch}, loss ${stopper.bestValue.toFixed(3)}`);
console.log([...model.stateDict().keys()].join(', '));
