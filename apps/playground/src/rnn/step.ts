// One training step of the character model, shared by the CLI's loop
// (train.ts) and the page's worker: no Node imports.
import { backward } from '@dl/autograd';
import { type Adam, clipGradNorm } from '@dl/optim';
import { type RecurrentLM, nextTokenBatch, sequenceLoss } from '@dl/rnn';

/**
 * One optimizer step on the next-character windows of `ids` at `starts`:
 * cross-entropy at every position, gradient clipped to norm `clip`. Returns
 * the batch's mean loss in nats per character.
 */
export function charStep(model: RecurrentLM, opt: Adam, ids: Int32Array, starts: Int32Array, seqLen: number, clip: number): number {
  const { x, y } = nextTokenBatch(ids, starts, seqLen);
  opt.zeroGrad();
  const loss = sequenceLoss(model.forward(x).logits, y);
  backward(loss);
  clipGradNorm(model.parameters(), clip);
  opt.step();
  return loss.item();
}
