import {
  DTypeError,
  type FloatArray,
  ShapeError,
  Tensor,
  allocStorage,
  concat,
  defineMultiOutputOp,
  expectFloat,
  fmtShape,
  mul,
  narrow,
  sigmoid,
  sub,
  sum,
  tanh,
  add,
  zerosLike,
} from '@dl/tensor';
import { lstmStepBackward, lstmStepForward } from './internal/kernels.js';

/** Residuals of the LSTM cell's forward: the four gate activations and tanh(c). */
interface LstmSaved {
  /** `[B, 4H]`: i, f, g, o after their nonlinearities. */
  readonly act: FloatArray;
  /** `[B, H]`: tanh(c). */
  readonly tc: FloatArray;
}

export interface LstmAttrs {
  readonly batch: number;
  readonly hidden: number;
  readonly peephole: boolean;
}

function f(t: Tensor): FloatArray {
  return t.data as FloatArray;
}

const sig = (x: number): number => 1 / (1 + Math.exp(-x));

/** The cell's forward on typed arrays (with peepholes, o depends on the new c, so that path runs one element at a time). */
function forwardArrays(inputs: readonly Tensor[], a: LstmAttrs): { h: FloatArray; c: FloatArray; saved: LstmSaved } {
  const { batch: B, hidden: H, peephole } = a;
  const dtype = inputs[0]!.dtype;
  const gx = f(inputs[0]!);
  const gh = f(inputs[1]!);
  const cp = f(inputs[2]!);
  const G = 4 * H;
  const act = allocStorage(dtype, B * G) as FloatArray;
  const h = allocStorage(dtype, B * H) as FloatArray;
  const c = allocStorage(dtype, B * H) as FloatArray;
  const tc = allocStorage(dtype, B * H) as FloatArray;
  if (!peephole) {
    lstmStepForward(B, H, gx, 0, gh, 0, cp, 0, act, 0, c, 0, tc, 0, h, 0);
  } else {
    const wi = f(inputs[3]!);
    const wf = f(inputs[4]!);
    const wo = f(inputs[5]!);
    for (let b = 0; b < B; b++) {
      const row = b * G;
      const hr = b * H;
      for (let k = 0; k < H; k++) {
        const cPrev = cp[hr + k]!;
        const i = sig(gx[row + k]! + gh[row + k]! + wi[k]! * cPrev);
        const fg = sig(gx[row + H + k]! + gh[row + H + k]! + wf[k]! * cPrev);
        const g = Math.tanh(gx[row + 2 * H + k]! + gh[row + 2 * H + k]!);
        const cc = fg * cPrev + i * g;
        const o = sig(gx[row + 3 * H + k]! + gh[row + 3 * H + k]! + wo[k]! * cc);
        const t = Math.tanh(cc);
        act[row + k] = i;
        act[row + H + k] = fg;
        act[row + 2 * H + k] = g;
        act[row + 3 * H + k] = o;
        c[hr + k] = cc;
        tc[hr + k] = t;
        h[hr + k] = o * t;
      }
    }
  }
  return { h, c, saved: { act, tc } };
}

/**
 * The cell's VJP in differentiable ops, from the inputs alone: what runs when
 * the backward pass is itself recorded (`createGraph`), so second derivatives
 * are exact. Returns the gradients of gx (= of gh), cPrev and the peepholes.
 */
export function lstmCellVjp(grads: readonly (Tensor | null)[], inputs: readonly Tensor[], a: LstmAttrs): Tensor[] {
  const H = a.hidden;
  const [gx, gh, cp] = inputs as [Tensor, Tensor, Tensor];
  const pre = add(gx, gh);
  const block = (k: number): Tensor => narrow(pre, 1, k * H, H);
  const wi = a.peephole ? inputs[3]! : null;
  const wf = a.peephole ? inputs[4]! : null;
  const wo = a.peephole ? inputs[5]! : null;
  const i = sigmoid(wi ? add(block(0), mul(wi, cp)) : block(0));
  const fg = sigmoid(wf ? add(block(1), mul(wf, cp)) : block(1));
  const g = tanh(block(2));
  const c = add(mul(fg, cp), mul(i, g));
  const o = sigmoid(wo ? add(block(3), mul(wo, c)) : block(3));
  const tc = tanh(c);
  const dh = grads[0] ?? zerosLike(cp);
  const dc = grads[1] ?? zerosLike(cp);
  const dSig = (s: Tensor): Tensor => mul(s, sub(1, s));
  const dPreO = mul(mul(dh, tc), dSig(o));
  let dct = add(dc, mul(mul(dh, o), sub(1, mul(tc, tc))));
  if (wo) dct = add(dct, mul(dPreO, wo));
  const dPreI = mul(mul(dct, g), dSig(i));
  const dPreF = mul(mul(dct, cp), dSig(fg));
  const dPreG = mul(mul(dct, i), sub(1, mul(g, g)));
  const dPre = concat([dPreI, dPreF, dPreG, dPreO], 1);
  let dcp = mul(dct, fg);
  if (wi && wf) dcp = add(dcp, add(mul(dPreI, wi), mul(dPreF, wf)));
  const out = [dPre, dcp];
  if (a.peephole) out.push(sum(mul(dPreI, cp), 0), sum(mul(dPreF, cp), 0), sum(mul(dPreO, c), 0));
  return out;
}

const lstmCellOp = defineMultiOutputOp<LstmAttrs, LstmSaved>({
  name: 'lstmCell',
  forward: (inputs, a) => {
    const { h, c, saved } = forwardArrays(inputs, a);
    const shape = [a.batch, a.hidden];
    return { outputs: [new Tensor(h, shape), new Tensor(c, shape)], saved };
  },
  backward: (index) => {
    // gx and gh enter only through their sum: one gradient serves both.
    const pick = index <= 1 ? 0 : index - 1;
    return (grads, ctx) => lstmCellVjp(grads, ctx.inputs, ctx.attrs)[pick]!;
  },
  fastBackward: (grads, { inputs, outputs, attrs, saved }, needs) => {
    const { batch: B, hidden: H, peephole } = attrs;
    const G = 4 * H;
    const dtype = inputs[0]!.dtype;
    const dh = grads[0] === null ? null : f(grads[0]!);
    const dc = grads[1] === null ? null : f(grads[1]!);
    const { act, tc } = saved;
    const cp = f(inputs[2]!);
    const c = f(outputs[1]!);
    const dPre = allocStorage(dtype, B * G) as FloatArray;
    const dcp = needs[2] ? (allocStorage(dtype, B * H) as FloatArray) : null;
    const wi = peephole ? f(inputs[3]!) : null;
    const wf = peephole ? f(inputs[4]!) : null;
    const wo = peephole ? f(inputs[5]!) : null;
    const dwi = peephole ? (allocStorage(dtype, H) as FloatArray) : null;
    const dwf = peephole ? (allocStorage(dtype, H) as FloatArray) : null;
    const dwo = peephole ? (allocStorage(dtype, H) as FloatArray) : null;
    if (!peephole) {
      lstmStepBackward(B, H, dh, 0, dc, 0, act, 0, tc, 0, cp, 0, dPre, 0, dcp, 0);
      const d = new Tensor(dPre, [B, G]);
      return [needs[0] ? d : null, needs[1] ? d : null, dcp === null ? null : new Tensor(dcp, [B, H])];
    }
    for (let b = 0; b < B; b++) {
      const row = b * G;
      const hr = b * H;
      for (let k = 0; k < H; k++) {
        const i = act[row + k]!;
        const fg = act[row + H + k]!;
        const g = act[row + 2 * H + k]!;
        const o = act[row + 3 * H + k]!;
        const t = tc[hr + k]!;
        const gH = dh === null ? 0 : dh[hr + k]!;
        const dPreO = gH * t * o * (1 - o);
        let dct = (dc === null ? 0 : dc[hr + k]!) + gH * o * (1 - t * t);
        if (wo !== null) dct += dPreO * wo[k]!;
        const cPrev = cp[hr + k]!;
        const dPreI = dct * g * i * (1 - i);
        const dPreF = dct * cPrev * fg * (1 - fg);
        dPre[row + k] = dPreI;
        dPre[row + H + k] = dPreF;
        dPre[row + 2 * H + k] = dct * i * (1 - g * g);
        dPre[row + 3 * H + k] = dPreO;
        if (dcp !== null) dcp[hr + k] = wi === null ? dct * fg : dct * fg + dPreI * wi[k]! + dPreF * wf![k]!;
        if (dwi !== null) {
          dwi[k] = dwi[k]! + dPreI * cPrev;
          dwf![k] = dwf![k]! + dPreF * cPrev;
          dwo![k] = dwo![k]! + dPreO * c[hr + k]!;
        }
      }
    }
    const shape = [B, G];
    const d = new Tensor(dPre, shape);
    const out: (Tensor | null)[] = [needs[0] ? d : null, needs[1] ? d : null, dcp === null ? null : new Tensor(dcp, [B, H])];
    if (peephole) out.push(needs[3] ? new Tensor(dwi!, [H]) : null, needs[4] ? new Tensor(dwf!, [H]) : null, needs[5] ? new Tensor(dwo!, [H]) : null);
    return out;
  },
});

/**
 * One LSTM step's gate arithmetic as a single fused op (forward and backward
 * over typed arrays, no intermediate tensors), given the two pre-activation
 * products: `gx = x·W_ihᵀ + b` and `gh = h·W_hhᵀ`, both `[B, 4H]` with the
 * gates in PyTorch's order i, f, g, o. Returns `[h, c]`, each `[B, H]`:
 *
 *     i = σ(gx_i + gh_i)   f = σ(gx_f + gh_f)   g = tanh(gx_g + gh_g)   o = σ(gx_o + gh_o)
 *     c = f ⊙ cPrev + i ⊙ g      h = o ⊙ tanh(c)
 *
 * With `peephole` (`[wci, wcf, wco]`, each `[H]`; Gers & Schmidhuber 2000),
 * i and f also see `wci ⊙ cPrev`, `wcf ⊙ cPrev` and o sees `wco ⊙ c` (the new
 * cell state). Differentiable to any order: the fused backward serves first
 * derivatives, a composite of core ops serves `createGraph`.
 *
 * @example const [h, c] = lstmCell(gx, gh, cPrev); // [B, H] each
 */
export function lstmCell(gx: Tensor, gh: Tensor, cPrev: Tensor, peephole?: readonly [Tensor, Tensor, Tensor]): [Tensor, Tensor] {
  const op = 'lstmCell';
  expectFloat(op, gx);
  if (gx.ndim !== 2 || gx.shape[1]! % 4 !== 0) throw new ShapeError(op, `gx has shape ${fmtShape(gx.shape)}; need [B, 4H]`);
  const [B, G] = gx.shape as [number, number];
  const H = G / 4;
  if (gh.ndim !== 2 || gh.shape[0] !== B || gh.shape[1] !== G) throw new ShapeError(op, `gh has shape ${fmtShape(gh.shape)}; need [${B}, ${G}] like gx`);
  if (cPrev.ndim !== 2 || cPrev.shape[0] !== B || cPrev.shape[1] !== H) throw new ShapeError(op, `cPrev has shape ${fmtShape(cPrev.shape)}; need [${B}, ${H}]`);
  for (const [name, t] of [['gh', gh], ['cPrev', cPrev]] as const) {
    if (t.dtype !== gx.dtype) throw new DTypeError(op, `${name} has dtype ${t.dtype} but gx has ${gx.dtype}; need one dtype`);
  }
  const inputs = [gx, gh, cPrev];
  if (peephole !== undefined) {
    peephole.forEach((w, k) => {
      if (w.ndim !== 1 || w.shape[0] !== H || w.dtype !== gx.dtype) {
        throw new ShapeError(op, `peephole weight ${['wci', 'wcf', 'wco'][k]} has shape ${fmtShape(w.shape)} (${w.dtype}); need [${H}] (${gx.dtype})`);
      }
    });
    inputs.push(...peephole);
  }
  const [h, c] = lstmCellOp(inputs, { batch: B, hidden: H, peephole: peephole !== undefined });
  return [h!, c!];
}
