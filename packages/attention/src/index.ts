// @dl/attention — the public API. Re-exports only.
export { causalMask, localWindowMask, paddingMask, adjacencyMask, toAdditiveMask, invertMask } from './masks.js';
export type { CausalMaskOptions, LocalWindowMaskOptions, AdjacencyMaskOptions } from './masks.js';
export { scaledDotProductAttention } from './scaled-dot-product.js';
export type { ScaledDotProductOptions, AttentionResult } from './scaled-dot-product.js';
export { AdditiveAttention } from './additive-attention.js';
export type { AdditiveAttentionOptions } from './additive-attention.js';
export { notesSelfAttention } from './notes-self-attention.js';
export type { NotesSelfAttention } from './notes-self-attention.js';
export { MultiheadAttention } from './multihead-attention.js';
export type { MultiheadAttentionOptions, MultiheadAttentionForwardOptions, MultiheadAttentionResult } from './multihead-attention.js';
export { KVCache } from './kv-cache.js';
export type { KVCacheOptions } from './kv-cache.js';
export { sinusoidalTable, SinusoidalPositionalEncoding } from './positional/sinusoidal.js';
export type { SinusoidalOptions } from './positional/sinusoidal.js';
export { LearnedPositionalEmbedding } from './positional/learned.js';
export type { LearnedPositionalOptions } from './positional/learned.js';
export { RotaryEmbedding } from './positional/rotary.js';
export type { RotaryOptions } from './positional/rotary.js';
export { odeRk4, FloaterEncoding } from './positional/floater.js';
export type { FloaterOptions } from './positional/floater.js';
export { RnnPositionalEncoding } from './positional/rnn-encoding.js';
export type { RnnEncodingOptions } from './positional/rnn-encoding.js';
export { TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder } from './transformer.js';
export type {
  TransformerActivation,
  TransformerLayerOptions,
  EncoderLayerForwardOptions,
  DecoderLayerForwardOptions,
  TransformerStackOptions,
  EncoderForwardOptions,
  DecoderForwardOptions,
} from './transformer.js';
