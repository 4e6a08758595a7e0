// @dl/rnn: recurrent networks on @dl/tensor. Fused cell ops (functional, with
// their gradients), sequence layers and cells with PyTorch's names and
// layouts, and the language-modelling tools around them.
export { lstmCell } from './ops/lstm-cell.js';
export { gruCell } from './ops/gru-cell.js';
export { unbind } from './ops/unbind.js';
export { RNN } from './modules/rnn.js';
export type { RNNOptions, RNNOutput } from './modules/rnn.js';
export { GRU, SimpleGRU } from './modules/gru.js';
export { LSTM } from './modules/lstm.js';
export type { LSTMOptions, LSTMOutput, LSTMState } from './modules/lstm.js';
export { RNNCell, GRUCell, LSTMCell } from './modules/cells.js';
export type { CellOptions, RNNCellOptions } from './modules/cells.js';
export type { RecurrentOptions, RecurrentForwardOptions, RecurrentMode, RecurrentStep, RecurrentStepOptions, GateName } from './modules/internal/recurrent-base.js';
export type { Lengths } from './modules/internal/lengths.js';
export { CharTokenizer, WordTokenizer } from './lm/tokenizers.js';
export type { CharTokenizerOptions, WordTokenizerOptions } from './lm/tokenizers.js';
export { sampleLogits } from './lm/sampling.js';
export type { SamplingOptions } from './lm/sampling.js';
export { sequenceLoss, perplexity, nextTokenBatch } from './lm/loss.js';
export type { SequenceLossOptions } from './lm/loss.js';
export { RecurrentLM } from './lm/language-model.js';
export type { RecurrentLMOptions, RecurrentLMOutput, RecurrentState } from './lm/language-model.js';
export { detachState, truncatedBptt } from './tbptt.js';
export type { AnyState } from './tbptt.js';
export { lstmSequence, gruSequence } from './ops/sequence.js';
export { JordanRNN } from './modules/jordan.js';
export type { JordanRNNOptions, JordanOutput } from './modules/jordan.js';
export { Seq2Seq, lastStep } from './seq2seq.js';
export type { Seq2SeqOptions, Hypothesis } from './seq2seq.js';
