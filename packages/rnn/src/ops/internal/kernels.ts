import type { FloatArray } from '@dl/tensor';
import { sigmoidArray, tanhArray } from './activations.js';

// The gate arithmetic of one LSTM or GRU step on typed arrays with offsets,
// shared by the single-step cell ops and the whole-sequence layer ops (which
// keep every step's values in one buffer per kind). Each array argument is
// followed by the offset of the step's block in it.

/**
 * LSTM step forward (no peepholes): `act` receives i, f, g, o `[B, 4H]`,
 * `c` and `tc` = tanh(c) and `h` `[B, H]`. The sums gx + gh go into `act`
 * with the g block doubled, so one sigmoid call covers all four gates
 * (tanh x = 2σ(2x) − 1).
 */
export function lstmStepForward(
  B: number,
  H: number,
  gx: FloatArray,
  gxOff: number,
  gh: FloatArray,
  ghOff: number,
  cp: FloatArray,
  cpOff: number,
  act: FloatArray,
  actOff: number,
  c: FloatArray,
  cOff: number,
  tc: FloatArray,
  tcOff: number,
  h: FloatArray,
  hOff: number,
): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    const row = b * G;
    const x = gxOff + row;
    const y = ghOff + row;
    const a = actOff + row;
    for (let j = 0; j < 2 * H; j++) act[a + j] = gx[x + j]! + gh[y + j]!;
    for (let j = 2 * H; j < 3 * H; j++) act[a + j] = 2 * (gx[x + j]! + gh[y + j]!);
    for (let j = 3 * H; j < G; j++) act[a + j] = gx[x + j]! + gh[y + j]!;
  }
  const actStep = act.subarray(actOff, actOff + B * G);
  sigmoidArray(actStep, actStep);
  for (let b = 0; b < B; b++) {
    const a = actOff + b * G;
    const hr = b * H;
    for (let k = 0; k < H; k++) {
      const g = 2 * act[a + 2 * H + k]! - 1;
      act[a + 2 * H + k] = g;
      c[cOff + hr + k] = act[a + H + k]! * cp[cpOff + hr + k]! + act[a + k]! * g;
    }
  }
  const cStep = c.subarray(cOff, cOff + B * H);
  tanhArray(cStep, tc.subarray(tcOff, tcOff + B * H));
  for (let b = 0; b < B; b++) {
    const a = actOff + b * G + 3 * H;
    const hr = b * H;
    for (let k = 0; k < H; k++) h[hOff + hr + k] = act[a + k]! * tc[tcOff + hr + k]!;
  }
}

/**
 * LSTM step backward (no peepholes): from dh and dc (either may be null for
 * zero) to the pre-activation gradient `dPre` `[B, 4H]` (that of gx and of
 * gh alike) and, when `dcp` is given, the gradient of c_{t−1}.
 */
export function lstmStepBackward(
  B: number,
  H: number,
  dh: FloatArray | null,
  dhOff: number,
  dc: FloatArray | null,
  dcOff: number,
  act: FloatArray,
  actOff: number,
  tc: FloatArray,
  tcOff: number,
  cp: FloatArray,
  cpOff: number,
  dPre: FloatArray,
  dPreOff: number,
  dcp: FloatArray | null,
  dcpOff: number,
): void {
  const G = 4 * H;
  for (let b = 0; b < B; b++) {
    const a = actOff + b * G;
    const d = dPreOff + b * G;
    const hr = b * H;
    for (let k = 0; k < H; k++) {
      const i = act[a + k]!;
      const fg = act[a + H + k]!;
      const g = act[a + 2 * H + k]!;
      const o = act[a + 3 * H + k]!;
      const t = tc[tcOff + hr + k]!;
      const gH = dh === null ? 0 : dh[dhOff + hr + k]!;
      const dct = (dc === null ? 0 : dc[dcOff + hr + k]!) + gH * o * (1 - t * t);
      dPre[d + k] = dct * g * i * (1 - i);
      dPre[d + H + k] = dct * cp[cpOff + hr + k]! * fg * (1 - fg);
      dPre[d + 2 * H + k] = dct * i * (1 - g * g);
      dPre[d + 3 * H + k] = gH * t * o * (1 - o);
      if (dcp !== null) dcp[dcpOff + hr + k] = dct * fg;
    }
  }
}

/**
 * GRU step forward: `act` receives r, z, n `[B, 3H]`, `hn` = gh_n + b_hn and
 * `h` `[B, H]`; `npre` is `[B, H]` scratch. `bh` is b_hh or null.
 */
export function gruStepForward(
  B: number,
  H: number,
  gx: FloatArray,
  gxOff: number,
  gh: FloatArray,
  ghOff: number,
  bh: FloatArray | null,
  hp: FloatArray,
  hpOff: number,
  act: FloatArray,
  actOff: number,
  hn: FloatArray,
  hnOff: number,
  npre: FloatArray,
  h: FloatArray,
  hOff: number,
): void {
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    const x = gxOff + b * G;
    const y = ghOff + b * G;
    const a = actOff + b * G;
    if (bh === null) for (let j = 0; j < 2 * H; j++) act[a + j] = gx[x + j]! + gh[y + j]!;
    else for (let j = 0; j < 2 * H; j++) act[a + j] = gx[x + j]! + gh[y + j]! + bh[j]!;
    // The n block is filled below; zero it so the sigmoid call reads defined values.
    for (let j = 2 * H; j < G; j++) act[a + j] = 0;
  }
  const actStep = act.subarray(actOff, actOff + B * G);
  sigmoidArray(actStep, actStep);
  for (let b = 0; b < B; b++) {
    const x = gxOff + b * G + 2 * H;
    const y = ghOff + b * G + 2 * H;
    const a = actOff + b * G;
    const hr = b * H;
    for (let k = 0; k < H; k++) {
      const v = gh[y + k]! + (bh === null ? 0 : bh[2 * H + k]!);
      hn[hnOff + hr + k] = v;
      npre[hr + k] = gx[x + k]! + act[a + k]! * v;
    }
  }
  tanhArray(npre, npre);
  for (let b = 0; b < B; b++) {
    const a = actOff + b * G;
    const hr = b * H;
    for (let k = 0; k < H; k++) {
      const n = npre[hr + k]!;
      const z = act[a + H + k]!;
      act[a + 2 * H + k] = n;
      h[hOff + hr + k] = (1 - z) * n + z * hp[hpOff + hr + k]!;
    }
  }
}

/**
 * GRU step backward: from dh to the gradients of gx and gh `[B, 3H]` (they
 * differ in the n block, where gh's is scaled by r) and, when `dhp` is
 * given, the direct part of h_{t−1}'s gradient (dh ⊙ z; the part through gh
 * is the caller's GEMM).
 */
export function gruStepBackward(
  B: number,
  H: number,
  dh: FloatArray,
  dhOff: number,
  act: FloatArray,
  actOff: number,
  hn: FloatArray,
  hnOff: number,
  hp: FloatArray,
  hpOff: number,
  dgx: FloatArray,
  dgxOff: number,
  dgh: FloatArray,
  dghOff: number,
  dhp: FloatArray | null,
  dhpOff: number,
): void {
  const G = 3 * H;
  for (let b = 0; b < B; b++) {
    const a = actOff + b * G;
    const x = dgxOff + b * G;
    const y = dghOff + b * G;
    const hr = b * H;
    for (let k = 0; k < H; k++) {
      const r = act[a + k]!;
      const z = act[a + H + k]!;
      const n = act[a + 2 * H + k]!;
      const d = dh[dhOff + hr + k]!;
      const dnPre = d * (1 - z) * (1 - n * n);
      const drPre = dnPre * hn[hnOff + hr + k]! * r * (1 - r);
      const dzPre = d * (hp[hpOff + hr + k]! - n) * z * (1 - z);
      dgx[x + k] = drPre;
      dgx[x + H + k] = dzPre;
      dgx[x + 2 * H + k] = dnPre;
      dgh[y + k] = drPre;
      dgh[y + H + k] = dzPre;
      dgh[y + 2 * H + k] = dnPre * r;
      if (dhp !== null) dhp[dhpOff + hr + k] = d * z;
    }
  }
}
