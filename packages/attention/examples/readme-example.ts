// The README's example, kept runnable: npx tsx --conditions=@dl/source examples/readme-example.ts
import { backward } from '@dl/autograd';
import { Generator, crossEntropy, narrow, randint, randn, reshape, Linear, concat } from '@dl/tensor';
import {
  KVCache,
  MultiheadAttention,
  SinusoidalPositionalEncoding,
  TransformerEncoder,
  TransformerEncoderLayer,
  causalMask,
  scaledDotProductAttention,
} from '@dl/attention';

const g = new Generator(0);

// Scaled dot-product attention: output and weights; a keep mask (true = attend).
const q = randn([2, 5, 8], { generator: g });
const { output, weights } = scaledDotProductAttention(q, q, q, { mask: causalMask(5) });
console.log(output.shape, weights.shape); // [2, 5, 8] [2, 5, 5]

// Multi-head attention with PyTorch's names; decoding with a key/value cache equals the full causal pass.
const mha = new MultiheadAttention(16, 4, { batchFirst: true, generator: g });
const x = randn([1, 6, 16], { generator: g });
const full = mha.forward(x, x, x, { isCausal: true }).output;
const cache = new KVCache();
const steps = [0, 1, 2, 3, 4, 5].map((t) => {
  const xt = narrow(x, 1, t, 1);
  return mha.forward(xt, xt, xt, { cache, needWeights: false }).output;
});
const diff = Math.max(...Array.from(concat(steps, 1).sub(full).abs().data));
console.log([...mha.stateDict().keys()].join(', '), `| cached vs full: ${diff.toExponential(1)}`);

// A pre-norm GELU encoder over sinusoidal positions, one training step.
const pe = new SinusoidalPositionalEncoding(16);
const encoder = new TransformerEncoder(
  () => new TransformerEncoderLayer(16, 4, { dimFeedforward: 64, activation: 'gelu', normFirst: true, batchFirst: true, generator: g }),
  2,
);
const head = new Linear(16, 10, { generator: g });
const tokens = randn([4, 12, 16], { generator: g });
const labels = randint(0, 10, [4 * 12], { generator: g, dtype: 'int32' });
const logits = head.forward(encoder.forward(pe.forward(tokens), { isCausal: true }));
const loss = crossEntropy(reshape(logits, [-1, 10]), labels);
backward(loss);
console.log(`loss ${loss.item().toFixed(3)}, grad of layers.0.self_attn.in_proj_weight ${encoder.layers.at(0).self_attn.in_proj_weight!.grad!.shape}`);
