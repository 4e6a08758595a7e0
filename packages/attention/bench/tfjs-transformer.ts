/**
 * TensorFlow.js's side of the transformer benchmark: PyTorch's anchor model
 * (`pytorch_anchors.py transformer`) written with tfjs-core ops, trained with
 * its Adam through `optimizer.minimize`.
 *
 * The embedding is a one-hot product (`oneHot(x)·E`): TF.js 4.22's wasm
 * backend has no gather gradient (`UnsortedSegmentSum`), so a gather-based
 * embedding cannot train there; the product computes the same lookup.
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';
// Registers the gradients of tfjs-core's ops (its Node bundle registers none on its own).
import '@tensorflow/tfjs-layers';

/** The anchor's sizes. */
export interface TransformerSizes {
  batch: number;
  seq: number;
  dModel: number;
  heads: number;
  ff: number;
  vocab: number;
  layers: number;
}

interface LayerVars {
  wqkv: tf.Variable;
  bqkv: tf.Variable;
  wo: tf.Variable;
  bo: tf.Variable;
  w1: tf.Variable;
  b1: tf.Variable;
  w2: tf.Variable;
  b2: tf.Variable;
  g1: tf.Variable;
  be1: tf.Variable;
  g2: tf.Variable;
  be2: tf.Variable;
}

function layerNorm(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}

/** A training step of the anchor's model (post-norm encoder layers, ReLU, no dropout) on tfjs' current backend. */
export function tfjsTransformerStep(s: TransformerSizes): () => Promise<void> {
  const { batch: B, seq: T, dModel: D, heads: H, ff: F, vocab: V } = s;
  const hd = D / H;
  const u = (shape: number[], fanIn: number) => tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  const emb = tf.variable(tf.randomNormal([V, D]));
  const pos = tf.variable(tf.mul(tf.randomNormal([T, D]), 0.02));
  const layers: LayerVars[] = Array.from({ length: s.layers }, () => ({
    wqkv: u([D, 3 * D], D),
    bqkv: tf.variable(tf.zeros([3 * D])),
    wo: u([D, D], D),
    bo: tf.variable(tf.zeros([D])),
    w1: u([D, F], D),
    b1: u([F], D),
    w2: u([F, D], F),
    b2: u([D], F),
    g1: tf.variable(tf.ones([D])),
    be1: tf.variable(tf.zeros([D])),
    g2: tf.variable(tf.ones([D])),
    be2: tf.variable(tf.zeros([D])),
  }));
  const wOut = u([D, V], D);
  const bOut = u([V], D);
  const opt = tf.train.adam(1e-3);
  const heads = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [B, T, H, hd]), [0, 2, 1, 3]);
  const forward = (x: tf.Tensor): tf.Tensor => {
    let h = tf.add(tf.reshape(tf.matMul(tf.reshape(tf.oneHot(x, V), [B * T, V]), emb), [B, T, D]), pos);
    for (const l of layers) {
      const qkv = tf.add(tf.matMul(tf.reshape(h, [B * T, D]), l.wqkv), l.bqkv);
      const [q, k, v] = tf.split(tf.reshape(qkv, [B, T, 3 * D]), 3, -1);
      const w = tf.softmax(tf.mul(tf.matMul(heads(q!), heads(k!), false, true), 1 / Math.sqrt(hd)));
      const o = tf.reshape(tf.transpose(tf.matMul(w, heads(v!)), [0, 2, 1, 3]), [B * T, D]);
      const att = tf.reshape(tf.add(tf.matMul(o, l.wo), l.bo), [B, T, D]);
      h = layerNorm(tf.add(h, att), l.g1, l.be1);
      const f = tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tf.reshape(h, [B * T, D]), l.w1), l.b1)), l.w2), l.b2);
      h = layerNorm(tf.add(h, tf.reshape(f, [B, T, D])), l.g2, l.be2);
    }
    return tf.add(tf.matMul(tf.reshape(h, [B * T, D]), wOut), bOut);
  };
  let seed = 0;
  return async () => {
    const x = tf.randomUniformInt([B, T], 0, V, seed++);
    const y = tf.oneHot(tf.reshape(tf.randomUniformInt([B, T], 0, V, seed++), [B * T]), V);
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)) as tf.Scalar, true);
    await loss!.data();
    tf.dispose([x, y, loss!]);
  };
}
