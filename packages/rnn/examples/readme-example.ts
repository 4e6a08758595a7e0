import { backward } from '@dl/autograd';
import { Generator, noGrad, randn } from '@dl/tensor';
import { CharTokenizer, LSTM, RecurrentLM, nextTokenBatch, sequenceLoss } from '@dl/rnn';

const g = new Generator(0);

// A PyTorch-style LSTM: 2 layers, bidirectional, batch first, variable lengths.
const lstm = new LSTM(8, 16, { numLayers: 2, bidirectional: true, batchFirst: true, generator: g });
const x = randn([3, 5, 8], { generator: g });                        // [B, T, features]
const { output, h, c } = lstm.forward(x, null, { lengths: [5, 2, 4] });
console.log(output.shape, h.shape, c.shape);                          // [3, 5, 32] [4, 3, 16] [4, 3, 16]
console.log([...lstm.stateDict().keys()].slice(0, 3).join(', '));     // weight_ih_l0, weight_hh_l0, bias_ih_l0

// A character language model: a few training steps, then sampling.
const text = 'to be or not to be, that is the question. '.repeat(20);
const tok = CharTokenizer.fromText(text);
const ids = tok.encode(text);
const lm = new RecurrentLM({ vocabSize: tok.vocabSize, hiddenSize: 64, generator: g });
for (let step = 0; step < 30; step++) {
  const { x: inp, y } = nextTokenBatch(ids, [0, 40, 80, 120], 32);
  const loss = sequenceLoss(lm.forward(inp).logits, y);
  lm.zeroGrad();
  backward(loss);
  noGrad(() => { for (const p of lm.parameters()) p.addInPlace_(p.grad!, -0.5); });
}
const sample = lm.generate(tok.encode('to be'), 30, { temperature: 0.5, topK: 5, generator: new Generator(1) });
console.log('to be' + tok.decode(sample));
