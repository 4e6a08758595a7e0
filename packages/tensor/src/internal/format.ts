import type { Tensor } from '../tensor.js';

const EDGE = 3;

function fmtValue(t: Tensor, v: number): string {
  if (t.dtype === 'bool') return v ? 'true' : 'false';
  if (t.dtype === 'int32') return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return `${v}.`;
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : v.toFixed(4);
}

/** `tensor([[1., 2.], [3., 4.]], dtype=float32)`, eliding the middle of long dimensions. */
export function formatTensor(t: Tensor): string {
  const { shape, data } = t;
  const grad = t.requiresGrad ? ', requiresGrad=true' : '';
  if (shape.length === 0) return `tensor(${fmtValue(t, data[0]!)}, dtype=${t.dtype}${grad})`;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  const render = (dim: number, offset: number, indent: string): string => {
    const n = shape[dim]!;
    const picks = n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()];
    if (dim === shape.length - 1) {
      return `[${picks.map((i) => (i < 0 ? '...' : fmtValue(t, data[offset + i]!))).join(', ')}]`;
    }
    const inner = picks.map((i) => (i < 0 ? '...' : render(dim + 1, offset + i * strides[dim]!, `${indent} `)));
    return `[${inner.join(`,\n${indent} `)}]`;
  };
  return `tensor(${render(0, 0, '       ')}, shape=[${shape.join(', ')}], dtype=${t.dtype}${grad})`;
}
