import { kernelFn } from './wasm/exports.js';
import { type WasmCall, setAlwaysSplit } from './wasm/runtime.js';

// The graph and attention kernels (spmm, sddmm, segment softmax, masked
// softmax) run banded exports over rows: every band overwrites its own rows,
// so a job a worker failed can simply be redone on this thread.

let minWorkOverride: number | undefined;

/**
 * Internal (tests): the work per band below which the sparse and masked
 * softmax kernels stay on one thread; with a value, every job with two
 * bands' worth splits whatever the split policy measured. No argument
 * restores the measured defaults.
 */
export function setBandedMinWork(work?: number): void {
  minWorkOverride = work;
  setAlwaysSplit(work !== undefined);
}

/**
 * Runs banded export `name` over rows [0, extent) on the threads when the
 * work pays for it (`minWorkPerBand`, measured per kernel), else here; a
 * job a worker failed is redone here.
 */
export function runBanded(call: WasmCall, name: string, args: readonly number[], extent: number, work: number, minWorkPerBand: number): void {
  if (extent <= 0) return;
  const minWork = minWorkOverride ?? minWorkPerBand;
  if (!call.parallel(name, args, extent, { work, minWorkPerBand: minWork, bandsPerThread: 2 })) {
    kernelFn<(...a: number[]) => void>(call.exports, name)(...args, 0, extent, call.rt.work);
  }
}
