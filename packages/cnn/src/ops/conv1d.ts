import { type Tensor, ValueError, expectInt, expectOptions, reshape } from '@dl/tensor';
import { convGeometry, expectConvTensors, resolvePadding, runConv } from './internal/conv-args.js';
import { single } from './internal/args.js';

/** Options of `conv1d` (PyTorch's `F.conv1d` arguments). */
export interface Conv1dOptions {
  /** Step between windows (default 1). */
  stride?: number;
  /** Zeros added on both ends (default 0); `'valid'` is 0, `'same'` keeps the length (stride 1 only; an odd total puts the extra zero at the end). */
  padding?: number | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: number;
  /** Channel groups (default 1; `C` is depthwise). */
  groups?: number;
}

/**
 * 1-D convolution over sequences, PyTorch's `F.conv1d`: input `[N, C, L]`,
 * weight `[O, C/groups, k]`, bias `[O]` → `[N, O, outL]` with
 * `outL = ⌊(L + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1`. Runs as a
 * 2-D convolution of height 1 (the same kernels and gradients).
 *
 * @example
 * const x = randn([4, 16, 100]);                           // 4 sequences, 16 features, length 100
 * conv1d(x, randn([32, 16, 5]), null, { padding: 'same' }); // [4, 32, 100]
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv1dOptions): Tensor {
  const op = 'conv1d';
  expectConvTensors(op, x, weight, bias, 3, '[N, C, L]', '[O, C/groups, k]');
  expectOptions(op, options, ['stride', 'padding', 'dilation', 'groups']);
  const o = options ?? {};
  const stride = o.stride === undefined ? 1 : single(op, 'stride', o.stride, 1);
  const dilation = o.dilation === undefined ? 1 : single(op, 'dilation', o.dilation, 1);
  const groups = o.groups ?? 1;
  expectInt(op, 'groups', groups, 1);
  const k = weight.shape[2]!;
  let padding: number | 'same' | 'valid' | undefined = o.padding;
  if (typeof padding !== 'string' && padding !== undefined) padding = single(op, 'padding', padding, 0);
  if (typeof padding === 'string' && padding !== 'same' && padding !== 'valid') {
    throw new ValueError(op, `padding must be a number, 'same' or 'valid', got '${padding}'`);
  }
  const resolved = typeof padding === 'number' ? { sym: [0, padding] as [number, number], extra: [0, 0] as [number, number] } : resolvePadding(op, padding, [1, k], [1, dilation], [1, stride]);
  const p = { stride: [1, stride] as [number, number], dilation: [1, dilation] as [number, number], groups, padding: resolved };
  const [N, C, L] = x.shape as [number, number, number];
  const [O, Cg] = weight.shape as [number, number, number];
  const x4 = reshape(x, [N, C, 1, L]);
  const w4 = reshape(weight, [O, Cg, 1, k]);
  const g = convGeometry(op, x4, w4, bias ?? null, p, '[N, C, L]', { x: x.shape, weight: weight.shape });
  const y = runConv(x4, w4, bias ?? null, g, p);
  return reshape(y, [N, O, y.shape[3]!]);
}
