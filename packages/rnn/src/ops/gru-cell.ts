import {
  DTypeError,
  type FloatArray,
  ShapeError,
  Tensor,
  add,
  allocStorage,
  concat,
  defineOp,
  expectFloat,
  fmtShape,
  mul,
  narrow,
  sigmoid,
  sub,
  sum,
  tanh,
} from '@dl/tensor';
import { gruStepBackward, gruStepForward } from './internal/kernels.js';

export interface GruAttrs {
  readonly batch: number;
  readonly hidden: number;
  readonly bias: boolean;
}

/** Residuals: r, z, n `[B, 3H]` after their nonlinearities, and `hn = gh_n + b_hn` `[B, H]`. */
interface GruSaved {
  readonly act: FloatArray;
  readonly hn: FloatArray;
}

function f(t: Tensor): FloatArray {
  return t.data as FloatArray;
}

/** The VJPs of gx, gh, hPrev and bhh in differentiable ops (for `createGraph`). */
export function gruCellVjp(dh: Tensor, inputs: readonly Tensor[], a: GruAttrs): Tensor[] {
  const H = a.hidden;
  const [gx, gh, hp] = inputs as [Tensor, Tensor, Tensor];
  const ghb = a.bias ? add(gh, inputs[3]!) : gh;
  const xb = (k: number): Tensor => narrow(gx, 1, k * H, H);
  const hb = (k: number): Tensor => narrow(ghb, 1, k * H, H);
  const r = sigmoid(add(xb(0), hb(0)));
  const z = sigmoid(add(xb(1), hb(1)));
  const hn = hb(2);
  const n = tanh(add(xb(2), mul(r, hn)));
  const dSig = (s: Tensor): Tensor => mul(s, sub(1, s));
  const dnPre = mul(mul(dh, sub(1, z)), sub(1, mul(n, n)));
  const drPre = mul(mul(dnPre, hn), dSig(r));
  const dzPre = mul(mul(dh, sub(hp, n)), dSig(z));
  const dgx = concat([drPre, dzPre, dnPre], 1);
  const dgh = concat([drPre, dzPre, mul(dnPre, r)], 1);
  return [dgx, dgh, mul(dh, z), sum(dgh, 0)];
}

const gruCellOp = defineOp<GruAttrs, GruSaved>({
  name: 'gruCell',
  forward: (inputs, a) => {
    const { batch: B, hidden: H, bias } = a;
    const G = 3 * H;
    const dtype = inputs[0]!.dtype;
    const gx = f(inputs[0]!);
    const gh = f(inputs[1]!);
    const hp = f(inputs[2]!);
    const bh = bias ? f(inputs[3]!) : null;
    const act = allocStorage(dtype, B * G) as FloatArray;
    const hn = allocStorage(dtype, B * H) as FloatArray;
    const npre = allocStorage(dtype, B * H) as FloatArray;
    const h = allocStorage(dtype, B * H) as FloatArray;
    gruStepForward(B, H, gx, 0, gh, 0, bh, hp, 0, act, 0, hn, 0, npre, h, 0);
    return { output: new Tensor(h, [B, H]), saved: { act, hn } };
  },
  backward: (index) => (g, ctx) => gruCellVjp(g, ctx.inputs, ctx.attrs)[index]!,
  fastBackward: (g, { inputs, attrs, saved }, needs) => {
    const { batch: B, hidden: H, bias } = attrs;
    const G = 3 * H;
    const dtype = inputs[0]!.dtype;
    const dh = f(g);
    const hp = f(inputs[2]!);
    const { act, hn } = saved;
    const dgx = allocStorage(dtype, B * G) as FloatArray;
    const dgh = allocStorage(dtype, B * G) as FloatArray;
    const dhp = needs[2] ? (allocStorage(dtype, B * H) as FloatArray) : null;
    const db = bias && needs[3] ? (allocStorage(dtype, G) as FloatArray) : null;
    gruStepBackward(B, H, dh, 0, act, 0, hn, 0, hp, 0, dgx, 0, dgh, 0, dhp, 0);
    if (db !== null) {
      for (let b = 0; b < B; b++) for (let j = 0; j < G; j++) db[j] = db[j]! + dgh[b * G + j]!;
    }
    const out: (Tensor | null)[] = [needs[0] ? new Tensor(dgx, [B, G]) : null, needs[1] ? new Tensor(dgh, [B, G]) : null, dhp === null ? null : new Tensor(dhp, [B, H])];
    if (bias) out.push(db === null ? null : new Tensor(db, [G]));
    return out;
  },
});

/**
 * One GRU step's gate arithmetic as a single fused op, PyTorch's formula with
 * the gates in order r, z, n: given `gx = x·W_ihᵀ + b_ih` and `gh = h·W_hhᵀ`
 * (both `[B, 3H]`), the previous state `hPrev` `[B, H]` and optionally `bhh`
 * `[3H]` (kept apart because `b_hn` sits inside the reset gate's product):
 *
 *     r = σ(gx_r + gh_r + b_hr)   z = σ(gx_z + gh_z + b_hz)
 *     n = tanh(gx_n + r ⊙ (gh_n + b_hn))   h = (1 − z) ⊙ n + z ⊙ hPrev
 *
 * Returns h `[B, H]`. Differentiable to any order (fused first-order backward,
 * composite rules under `createGraph`).
 *
 * @example const h = gruCell(gx, gh, hPrev, bhh); // [B, H]
 */
export function gruCell(gx: Tensor, gh: Tensor, hPrev: Tensor, bhh?: Tensor | null): Tensor {
  const op = 'gruCell';
  expectFloat(op, gx);
  if (gx.ndim !== 2 || gx.shape[1]! % 3 !== 0) throw new ShapeError(op, `gx has shape ${fmtShape(gx.shape)}; need [B, 3H]`);
  const [B, G] = gx.shape as [number, number];
  const H = G / 3;
  if (gh.ndim !== 2 || gh.shape[0] !== B || gh.shape[1] !== G) throw new ShapeError(op, `gh has shape ${fmtShape(gh.shape)}; need [${B}, ${G}] like gx`);
  if (hPrev.ndim !== 2 || hPrev.shape[0] !== B || hPrev.shape[1] !== H) throw new ShapeError(op, `hPrev has shape ${fmtShape(hPrev.shape)}; need [${B}, ${H}]`);
  if (bhh != null && (bhh.ndim !== 1 || bhh.shape[0] !== G)) throw new ShapeError(op, `bhh has shape ${fmtShape(bhh.shape)}; need [${G}]`);
  for (const [name, t] of [['gh', gh], ['hPrev', hPrev], ['bhh', bhh]] as const) {
    if (t != null && t.dtype !== gx.dtype) throw new DTypeError(op, `${name} has dtype ${t.dtype} but gx has ${gx.dtype}; need one dtype`);
  }
  const inputs = bhh != null ? [gx, gh, hPrev, bhh] : [gx, gh, hPrev];
  return gruCellOp(inputs, { batch: B, hidden: H, bias: bhh != null });
}
