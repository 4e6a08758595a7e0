import {
  DTypeError,
  type FloatArray,
  ShapeError,
  Tensor,
  add,
  allocStorage,
  defineMultiOutputOp,
  expectFloat,
  fmtShape,
  getBackend,
  matmul,
  stack,
  zerosLike,
} from '@dl/tensor';
import { gruCell, gruCellVjp } from './gru-cell.js';
import { gruStepBackward, gruStepForward, lstmStepBackward, lstmStepForward } from './internal/kernels.js';
import { lstmCell, lstmCellVjp } from './lstm-cell.js';
import { unbind } from './unbind.js';

// A whole layer direction's recurrence as one op: the loop over steps runs
// inside the forward (one GEMM h·W_hhᵀ per step into a reused buffer, then
// the fused gate arithmetic), and the fast backward runs back-propagation
// through time inside one call — one GEMM per step for dh, and the weight
// gradient of all steps as a single [G, T·B] × [T·B, H] product at the end
// instead of T small ones. No graph node per step: a 1,000-step sequence is
// one node. Under createGraph the rules replay the steps with the
// differentiable cell ops, so higher derivatives are exact.

interface SeqAttrs {
  readonly steps: number;
  readonly batch: number;
  readonly hidden: number;
  readonly reverse: boolean;
  /** GRU only: inputs include b_hh. */
  readonly bias: boolean;
}

interface LstmSeqSaved {
  readonly act: FloatArray;
  readonly cs: FloatArray;
  readonly tcs: FloatArray;
}

interface GruSeqSaved {
  readonly act: FloatArray;
  readonly hn: FloatArray;
}

function fa(t: Tensor): FloatArray {
  return t.data as FloatArray;
}

/** Step t's predecessor in processing order, or −1 for the first step. */
function prevStep(t: number, a: SeqAttrs): number {
  if (a.reverse) return t === a.steps - 1 ? -1 : t + 1;
  return t === 0 ? -1 : t - 1;
}

/** `c[m×n] = a[m×k] · b[n×k]ᵀ` (the recurrent product h·Wᵀ). */
function gemmABt(m: number, n: number, k: number, a: FloatArray, aOffset: number, b: FloatArray, c: FloatArray, cOffset: number): void {
  getBackend().gemm({ transA: false, transB: true, m, n, k, alpha: 1, a, aOffset, lda: k, b, bOffset: 0, ldb: k, beta: 0, c, cOffset, ldc: n });
}

/** `c[m×n] = a[m×k] · b[k×n]` (dh = dG·W). */
function gemmAB(m: number, n: number, k: number, a: FloatArray, aOffset: number, b: FloatArray, c: FloatArray): void {
  getBackend().gemm({ transA: false, transB: false, m, n, k, alpha: 1, a, aOffset, lda: k, b, bOffset: 0, ldb: n, beta: 0, c, cOffset: 0, ldc: n });
}

/** `c[m×n] = a[k×m]ᵀ · b[k×n]` (dW = dGᵀ·H_prev over all steps at once). */
function gemmAtB(m: number, n: number, k: number, a: FloatArray, b: FloatArray, c: FloatArray): void {
  getBackend().gemm({ transA: true, transB: false, m, n, k, alpha: 1, a, aOffset: 0, lda: m, b, bOffset: 0, ldb: n, beta: 0, c, cOffset: 0, ldc: n });
}

/** Every step's previous state `[T, B, H]` in time order: h0 for the first processed step, the outputs for the rest. */
function previousStates(hs: FloatArray, h0: FloatArray, a: SeqAttrs, dtype: Tensor['dtype']): FloatArray {
  const n = a.batch * a.hidden;
  const out = allocStorage(dtype, a.steps * n) as FloatArray;
  for (let t = 0; t < a.steps; t++) {
    const p = prevStep(t, a);
    out.set(p < 0 ? h0 : hs.subarray(p * n, (p + 1) * n), t * n);
  }
  return out;
}

function order(a: SeqAttrs): number[] {
  const ts = Array.from({ length: a.steps }, (_, s) => s);
  return a.reverse ? ts.reverse() : ts;
}

// ---------------------------------------------------------------- LSTM

/** The LSTM's VJP in differentiable ops: replay the steps, then walk back. */
function lstmSeqComposite(grads: readonly (Tensor | null)[], inputs: readonly Tensor[], a: SeqAttrs): Tensor[] {
  const [gx, w, h0, c0] = inputs as [Tensor, Tensor, Tensor, Tensor];
  const steps = unbind(gx);
  const hp: Tensor[] = new Array(a.steps);
  const cp: Tensor[] = new Array(a.steps);
  const gh: Tensor[] = new Array(a.steps);
  let h = h0;
  let c = c0;
  for (const t of order(a)) {
    hp[t] = h;
    cp[t] = c;
    gh[t] = matmul(h, w, { transposeB: true });
    [h, c] = lstmCell(steps[t]!, gh[t]!, c);
  }
  const gOut = grads[0] === null ? null : unbind(grads[0]!);
  let dh = grads[1] ?? zerosLike(h0);
  let dc = grads[2] ?? zerosLike(c0);
  const dGx: Tensor[] = new Array(a.steps);
  let dW: Tensor | null = null;
  const attrs = { batch: a.batch, hidden: a.hidden, peephole: false };
  for (const t of order(a).reverse()) {
    const dht = gOut === null ? dh : add(dh, gOut[t]!);
    const [dPre, dcp] = lstmCellVjp([dht, dc], [steps[t]!, gh[t]!, cp[t]!], attrs) as [Tensor, Tensor];
    dGx[t] = dPre;
    const part = matmul(dPre, hp[t]!, { transposeA: true });
    dW = dW === null ? part : add(dW, part);
    dh = matmul(dPre, w);
    dc = dcp;
  }
  return [stack(dGx, 0), dW!, dh, dc];
}

const lstmSequenceOp = defineMultiOutputOp<SeqAttrs, LstmSeqSaved>({
  name: 'lstmSequence',
  forward: ([gx, w, h0, c0], a) => {
    const { steps: T, batch: B, hidden: H } = a;
    const G = 4 * H;
    const n = B * H;
    const dtype = gx!.dtype;
    const gxd = fa(gx!);
    const wd = fa(w!);
    const hs = allocStorage(dtype, T * n) as FloatArray;
    const cs = allocStorage(dtype, T * n) as FloatArray;
    const tcs = allocStorage(dtype, T * n) as FloatArray;
    const act = allocStorage(dtype, T * B * G) as FloatArray;
    const gh = allocStorage(dtype, B * G) as FloatArray;
    for (const t of order(a)) {
      const p = prevStep(t, a);
      const [hArr, hOff] = p < 0 ? [fa(h0!), 0] : [hs, p * n];
      const [cArr, cOff] = p < 0 ? [fa(c0!), 0] : [cs, p * n];
      gemmABt(B, G, H, hArr, hOff, wd, gh, 0);
      lstmStepForward(B, H, gxd, t * B * G, gh, 0, cArr, cOff, act, t * B * G, cs, t * n, tcs, t * n, hs, t * n);
    }
    const last = a.reverse ? 0 : T - 1;
    const hT = hs.slice(last * n, (last + 1) * n) as FloatArray;
    const cT = cs.slice(last * n, (last + 1) * n) as FloatArray;
    return { outputs: [new Tensor(hs, [T, B, H]), new Tensor(hT, [B, H]), new Tensor(cT, [B, H])], saved: { act, cs, tcs } };
  },
  backward: (index) => (grads, ctx) => lstmSeqComposite(grads, ctx.inputs, ctx.attrs)[index]!,
  fastBackward: (grads, { inputs: [gx, w, h0, c0], outputs, attrs: a, saved }, needs) => {
    const { steps: T, batch: B, hidden: H } = a;
    const G = 4 * H;
    const n = B * H;
    const dtype = gx!.dtype;
    const wd = fa(w!);
    const { act, cs, tcs } = saved;
    const gOut = grads[0] === null ? null : fa(grads[0]!);
    const dG = allocStorage(dtype, T * B * G) as FloatArray;
    const dh = allocStorage(dtype, n) as FloatArray;
    const dc = allocStorage(dtype, n) as FloatArray;
    if (grads[1] !== null) dh.set(fa(grads[1]!));
    if (grads[2] !== null) dc.set(fa(grads[2]!));
    for (const t of order(a).reverse()) {
      if (gOut !== null) for (let k = 0; k < n; k++) dh[k] = dh[k]! + gOut[t * n + k]!;
      const p = prevStep(t, a);
      const [cArr, cOff] = p < 0 ? [fa(c0!), 0] : [cs, p * n];
      // dc is read and then overwritten element by element with dc_{t−1}.
      lstmStepBackward(B, H, dh, 0, dc, 0, act, t * B * G, tcs, t * n, cArr, cOff, dG, t * B * G, dc, 0);
      gemmAB(B, H, G, dG, t * B * G, wd, dh);
    }
    let dW: Tensor | null = null;
    if (needs[1]) {
      const prev = previousStates(fa(outputs[0]!), fa(h0!), a, dtype);
      const out = allocStorage(dtype, G * H) as FloatArray;
      gemmAtB(G, H, T * B, dG, prev, out);
      dW = new Tensor(out, [G, H]);
    }
    return [needs[0] ? new Tensor(dG, [T, B, G]) : null, dW, needs[2] ? new Tensor(dh, [B, H]) : null, needs[3] ? new Tensor(dc, [B, H]) : null];
  },
});

function checkSequence(op: string, gx: Tensor, w: Tensor, h0: Tensor, gates: number): [number, number, number] {
  expectFloat(op, gx);
  if (gx.ndim !== 3 || gx.shape[2]! % gates !== 0) throw new ShapeError(op, `gx has shape ${fmtShape(gx.shape)}; need [T, B, ${gates}H]`);
  const [T, B, G] = gx.shape as [number, number, number];
  const H = G / gates;
  if (T === 0) throw new ShapeError(op, `gx has shape ${fmtShape(gx.shape)}: an empty sequence; need T ≥ 1`);
  if (w.ndim !== 2 || w.shape[0] !== G || w.shape[1] !== H) throw new ShapeError(op, `weight_hh has shape ${fmtShape(w.shape)}; need [${G}, ${H}]`);
  if (h0.ndim !== 2 || h0.shape[0] !== B || h0.shape[1] !== H) throw new ShapeError(op, `h0 has shape ${fmtShape(h0.shape)}; need [${B}, ${H}]`);
  for (const [name, t] of [['weight_hh', w], ['h0', h0]] as const) {
    if (t.dtype !== gx.dtype) throw new DTypeError(op, `${name} has dtype ${t.dtype} but gx has ${gx.dtype}; need one dtype`);
  }
  return [T, B, H];
}

/**
 * A whole LSTM direction over a sequence: `gx` `[T, B, 4H]` (every step's
 * input projection x·W_ihᵀ + b_ih + b_hh, gates i, f, g, o), `weight_hh`
 * `[4H, H]`, states `h0`, `c0` `[B, H]`. Returns `[hs, hT, cT]`: h at every
 * step `[T, B, H]` (in time order also when `reverse`, which runs from the
 * last step to the first) and the final states. One op node for the whole
 * sequence, with back-propagation through time inside its backward.
 *
 * @example const [hs, hT, cT] = lstmSequence(gx, whh, h0, c0);
 */
export function lstmSequence(gx: Tensor, weightHh: Tensor, h0: Tensor, c0: Tensor, options: { reverse?: boolean } = {}): [Tensor, Tensor, Tensor] {
  const op = 'lstmSequence';
  const [T, B, H] = checkSequence(op, gx, weightHh, h0, 4);
  if (c0.ndim !== 2 || c0.shape[0] !== B || c0.shape[1] !== H || c0.dtype !== gx.dtype) throw new ShapeError(op, `c0 has shape ${fmtShape(c0.shape)} (${c0.dtype}); need [${B}, ${H}] (${gx.dtype})`);
  const [hs, hT, cT] = lstmSequenceOp([gx, weightHh, h0, c0], { steps: T, batch: B, hidden: H, reverse: options.reverse ?? false, bias: false });
  return [hs!, hT!, cT!];
}

// ---------------------------------------------------------------- GRU

function gruSeqComposite(grads: readonly (Tensor | null)[], inputs: readonly Tensor[], a: SeqAttrs): Tensor[] {
  const [gx, w, h0] = inputs as [Tensor, Tensor, Tensor];
  const bhh = a.bias ? inputs[3]! : null;
  const steps = unbind(gx);
  const hp: Tensor[] = new Array(a.steps);
  const gh: Tensor[] = new Array(a.steps);
  let h = h0;
  for (const t of order(a)) {
    hp[t] = h;
    gh[t] = matmul(h, w, { transposeB: true });
    h = gruCell(steps[t]!, gh[t]!, h, bhh);
  }
  const gOut = grads[0] === null ? null : unbind(grads[0]!);
  let dh = grads[1] ?? zerosLike(h0);
  const dGx: Tensor[] = new Array(a.steps);
  let dW: Tensor | null = null;
  let db: Tensor | null = null;
  const attrs = { batch: a.batch, hidden: a.hidden, bias: a.bias };
  for (const t of order(a).reverse()) {
    const dht = gOut === null ? dh : add(dh, gOut[t]!);
    const cellInputs = bhh === null ? [steps[t]!, gh[t]!, hp[t]!] : [steps[t]!, gh[t]!, hp[t]!, bhh];
    const [dgx, dgh, dhp, dbh] = gruCellVjp(dht, cellInputs, attrs) as [Tensor, Tensor, Tensor, Tensor];
    dGx[t] = dgx;
    const part = matmul(dgh, hp[t]!, { transposeA: true });
    dW = dW === null ? part : add(dW, part);
    db = db === null ? dbh : add(db, dbh);
    dh = add(dhp, matmul(dgh, w));
  }
  return [stack(dGx, 0), dW!, dh, db!];
}

const gruSequenceOp = defineMultiOutputOp<SeqAttrs, GruSeqSaved>({
  name: 'gruSequence',
  forward: (inputs, a) => {
    const [gx, w, h0] = inputs as [Tensor, Tensor, Tensor];
    const { steps: T, batch: B, hidden: H } = a;
    const G = 3 * H;
    const n = B * H;
    const dtype = gx.dtype;
    const gxd = fa(gx);
    const wd = fa(w);
    const bh = a.bias ? fa(inputs[3]!) : null;
    const hs = allocStorage(dtype, T * n) as FloatArray;
    const hn = allocStorage(dtype, T * n) as FloatArray;
    const act = allocStorage(dtype, T * B * G) as FloatArray;
    const gh = allocStorage(dtype, B * G) as FloatArray;
    const npre = allocStorage(dtype, n) as FloatArray;
    for (const t of order(a)) {
      const p = prevStep(t, a);
      const [hArr, hOff] = p < 0 ? [fa(h0), 0] : [hs, p * n];
      gemmABt(B, G, H, hArr, hOff, wd, gh, 0);
      gruStepForward(B, H, gxd, t * B * G, gh, 0, bh, hArr, hOff, act, t * B * G, hn, t * n, npre, hs, t * n);
    }
    const last = a.reverse ? 0 : T - 1;
    const hT = hs.slice(last * n, (last + 1) * n) as FloatArray;
    return { outputs: [new Tensor(hs, [T, B, H]), new Tensor(hT, [B, H])], saved: { act, hn } };
  },
  backward: (index) => (grads, ctx) => gruSeqComposite(grads, ctx.inputs, ctx.attrs)[index]!,
  fastBackward: (grads, { inputs, outputs, attrs: a, saved }, needs) => {
    const [gx, w, h0] = inputs as [Tensor, Tensor, Tensor];
    const { steps: T, batch: B, hidden: H } = a;
    const G = 3 * H;
    const n = B * H;
    const dtype = gx.dtype;
    const wd = fa(w);
    const hs = fa(outputs[0]!);
    const { act, hn } = saved;
    const gOut = grads[0] === null ? null : fa(grads[0]!);
    const dGx = allocStorage(dtype, T * B * G) as FloatArray;
    const dGh = allocStorage(dtype, T * B * G) as FloatArray;
    const dh = allocStorage(dtype, n) as FloatArray;
    const direct = allocStorage(dtype, n) as FloatArray;
    if (grads[1] !== null) dh.set(fa(grads[1]!));
    for (const t of order(a).reverse()) {
      if (gOut !== null) for (let k = 0; k < n; k++) dh[k] = dh[k]! + gOut[t * n + k]!;
      const p = prevStep(t, a);
      const [hArr, hOff] = p < 0 ? [fa(h0), 0] : [hs, p * n];
      gruStepBackward(B, H, dh, 0, act, t * B * G, hn, t * n, hArr, hOff, dGx, t * B * G, dGh, t * B * G, direct, 0);
      gemmAB(B, H, G, dGh, t * B * G, wd, dh);
      for (let k = 0; k < n; k++) dh[k] = dh[k]! + direct[k]!;
    }
    let dW: Tensor | null = null;
    if (needs[1]) {
      const prev = previousStates(hs, fa(h0), a, dtype);
      const out = allocStorage(dtype, G * H) as FloatArray;
      gemmAtB(G, H, T * B, dGh, prev, out);
      dW = new Tensor(out, [G, H]);
    }
    const result: (Tensor | null)[] = [needs[0] ? new Tensor(dGx, [T, B, G]) : null, dW, needs[2] ? new Tensor(dh, [B, H]) : null];
    if (a.bias) {
      let db: Tensor | null = null;
      if (needs[3]) {
        const out = allocStorage(dtype, G) as FloatArray;
        getBackend().reduce('sum', dGh, [T * B, G], [0], out);
        db = new Tensor(out, [G]);
      }
      result.push(db);
    }
    return result;
  },
});

/**
 * A whole GRU direction over a sequence: `gx` `[T, B, 3H]` (x·W_ihᵀ + b_ih,
 * gates r, z, n), `weight_hh` `[3H, H]`, `h0` `[B, H]`, optional `bhh` `[3H]`.
 * Returns `[hs, hT]` (see `lstmSequence`).
 *
 * @example const [hs, hT] = gruSequence(gx, whh, h0, bhh);
 */
export function gruSequence(gx: Tensor, weightHh: Tensor, h0: Tensor, bhh: Tensor | null = null, options: { reverse?: boolean } = {}): [Tensor, Tensor] {
  const op = 'gruSequence';
  const [T, B, H] = checkSequence(op, gx, weightHh, h0, 3);
  if (bhh !== null && (bhh.ndim !== 1 || bhh.shape[0] !== 3 * H || bhh.dtype !== gx.dtype)) throw new ShapeError(op, `bhh has shape ${fmtShape(bhh.shape)} (${bhh.dtype}); need [${3 * H}] (${gx.dtype})`);
  const inputs = bhh === null ? [gx, weightHh, h0] : [gx, weightHh, h0, bhh];
  const [hs, hT] = gruSequenceOp(inputs, { steps: T, batch: B, hidden: H, reverse: options.reverse ?? false, bias: bhh !== null });
  return [hs!, hT!];
}
