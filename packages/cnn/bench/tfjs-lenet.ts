/**
 * TensorFlow.js's side of the LeNet-5 benchmark: the same network built with
 * `@tensorflow/tfjs-layers`, and the one kernel its wasm backend lacks to
 * train it.
 *
 * @packageDocumentation
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/**
 * LeNet-5, modern variant, as PyTorch's anchor and `lenet5({ variant: 'modern' })`
 * build it: conv 1→6 5×5 pad 2, ReLU, max-pool 2; conv 6→16 5×5, ReLU,
 * max-pool 2; 400→120→84→10 with ReLU. NHWC (TF.js's layout; its wasm
 * backend refuses NCHW). 61,706 parameters.
 */
export function tfjsLenet5(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'valid', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 120, activation: 'relu' }),
      tfl.layers.dense({ units: 84, activation: 'relu' }),
      tfl.layers.dense({ units: 10 }),
    ],
  });
}

interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Registers a `Conv2DBackpropFilter` kernel on TF.js's wasm backend, which
 * ships without one (4.22), so a conv net cannot train there as shipped.
 *
 * The filter gradient is itself a convolution, run by the backend's own
 * XNNPACK `Conv2D` kernel: with x `[N, H, W, C]` and dy `[N, oh, ow, O]`,
 * dW`[a, b, c, o]` = Σ x_pad`[n, a + s·i, b + s·j, c]` · dy`[n, i, j, o]`,
 * which is conv2d(xᵀ `[C, H, W, N]`, dyᵀ `[oh, ow, N, O]`, padding p,
 * dilation s) transposed back to `[kH, kW, C, O]` — three transposes and one
 * convolution, all inside the wasm backend. Symmetric padding only, and
 * windows that tile the padded input exactly (LeNet's layers are both).
 * A no-op when the kernel exists.
 */
export function patchTfjsWasmFilterGradient(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  const conv = tf.getKernel('Conv2D', 'wasm')?.kernelFunc;
  const transpose = tf.getKernel('Transpose', 'wasm')?.kernelFunc;
  if (!conv || !transpose) throw new Error('tfjs wasm backend: no Conv2D or Transpose kernel to build Conv2DBackpropFilter from');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (a.dataFormat !== 'NHWC') throw new Error(`patched Conv2DBackpropFilter: NHWC only, got ${a.dataFormat}`);
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        a.filterShape,
        a.strides,
        1,
        a.pad,
        a.dimRoundingMode,
        false,
        'channelsLast',
      );
      const { top, bottom, left, right } = info.padInfo;
      if (top !== bottom || left !== right || top !== left) throw new Error(`patched Conv2DBackpropFilter: symmetric padding only, got ${JSON.stringify(info.padInfo)}`);
      const [, h, w] = x.shape as number[];
      if ((h! + 2 * top - info.filterHeight) % info.strideHeight !== 0 || (w! + 2 * left - info.filterWidth) % info.strideWidth !== 0) {
        throw new Error('patched Conv2DBackpropFilter: the windows must tile the padded input exactly');
      }
      const xt = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } }) as tf.TensorInfo;
      const dyt = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }) as tf.TensorInfo;
      const g = conv({
        inputs: { x: xt, filter: dyt },
        backend,
        attrs: { strides: [1, 1], pad: top, dilations: [info.strideHeight, info.strideWidth], dataFormat: 'NHWC' },
      }) as tf.TensorInfo;
      const out = transpose({ inputs: { x: g }, backend, attrs: { perm: [1, 2, 0, 3] } }) as tf.TensorInfo;
      const b = backend as unknown as WasmBackendLike;
      for (const t of [xt, dyt, g]) b.disposeData(t.dataId);
      return out;
    },
  });
}

/**
 * Largest difference between the patched wasm filter gradient and TF.js's
 * cpu kernel on LeNet's two convolutions (random operands): the patch is
 * checked before it is timed.
 */
export async function checkPatchedFilterGradient(): Promise<number> {
  const cases: { x: [number, number, number, number]; dy: [number, number, number, number]; filter: [number, number, number, number]; pad: number | 'valid' | 'same' }[] = [
    { x: [8, 28, 28, 1], dy: [8, 28, 28, 6], filter: [5, 5, 1, 6], pad: 'same' },
    { x: [8, 14, 14, 6], dy: [8, 10, 10, 16], filter: [5, 5, 6, 16], pad: 'valid' },
    { x: [2, 9, 9, 3], dy: [2, 4, 4, 5], filter: [3, 3, 3, 5], pad: 0 },
  ];
  const before = tf.getBackend();
  let worst = 0;
  for (const c of cases) {
    const xv = Float32Array.from({ length: c.x.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i * 0.37));
    const dyv = Float32Array.from({ length: c.dy.reduce((p, d) => p * d, 1) }, (_, i) => Math.cos(i * 0.11));
    const strides: [number, number] = c.pad === 0 ? [2, 2] : [1, 1];
    const results: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const gw = tf.tidy(() => {
        const inputs = { x: tf.tensor4d(xv, c.x), dy: tf.tensor4d(dyv, c.dy) };
        return tf.engine().runKernel('Conv2DBackpropFilter', inputs, { strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }) as tf.Tensor;
      });
      results.push(gw.dataSync() as Float32Array);
      gw.dispose();
    }
    const [cpu, wasm] = results as [Float32Array, Float32Array];
    for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i]! - wasm[i]!) / (1 + Math.abs(cpu[i]!)));
  }
  await tf.setBackend(before);
  return worst;
}
