import { GradError, type Tensor, add, allocatedSince, allocationMark, cast, enableGrad, fmtShape, noGrad, onesLike, shapesEqualOrThrow, sumTo } from './deps.js';

/** Options of `backward`. */
export interface BackwardOptions {
  /**
   * Gradient of the roots (defaults to 1 for a scalar root; required for a
   * non-scalar one), one per root.
   */
  grad?: Tensor | readonly Tensor[];
  /** Keep the recorded residuals so backward can run through this graph again (default: `createGraph`). */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again. */
  createGraph?: boolean;
}

/**
 * Reverse-mode differentiation: accumulates ∂root/∂leaf into `.grad` of every
 * leaf that requires grad (adding to what is there, as PyTorch does).
 *
 * @example
 * const loss = mseLoss(model.forward(x), y);
 * backward(loss);
 * model.weight.grad; // ∂loss/∂weight
 */
export function backward(roots: Tensor | readonly Tensor[], options: BackwardOptions = {}): void {
  const rootList = Array.isArray(roots) ? (roots as readonly Tensor[]) : [roots as Tensor];
  const seeds = seedGrads('backward', rootList, options.grad);
  runBackward(rootList, seeds, {
    // As in PyTorch, a graph built for higher-order derivatives is kept by default.
    retainGraph: options.retainGraph ?? options.createGraph ?? false,
    createGraph: options.createGraph ?? false,
    targets: null,
  });
}

/** Options of `grad` in its engine form (`gradients`). */
export interface GradientsOptions {
  /** Gradients of the outputs (default: 1 for scalar outputs). */
  gradOutputs?: Tensor | readonly Tensor[];
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Return zeros (instead of throwing) for inputs the outputs do not depend on. */
  allowUnused?: boolean;
}

/**
 * ∂outputs/∂inputs without touching `.grad` (like `torch.autograd.grad`).
 * `inputs` may be leaves or intermediate results; the walk stops at them.
 */
export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: GradientsOptions = {},
): Tensor[] {
  const outList = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  inputs.forEach((t, i) => {
    if (!t.requiresGrad) throw new GradError('gradients', `input ${i} (shape ${fmtShape(t.shape)}) does not require grad`);
  });
  const seeds = seedGrads('gradients', outList, options.gradOutputs);
  const found = runBackward(outList, seeds, {
    retainGraph: options.retainGraph ?? options.createGraph ?? false,
    createGraph: options.createGraph ?? false,
    targets: inputs,
  });
  return inputs.map((t, i) => {
    const g = found.get(t);
    if (g) return g;
    if (!options.allowUnused) {
      throw new GradError('gradients', `input ${i} (shape ${fmtShape(t.shape)}) was not used to compute the outputs; pass allowUnused: true to get zeros`);
    }
    return noGrad(() => cast(onesLike(t), t.dtype).mul(0));
  });
}

function seedGrads(op: string, roots: readonly Tensor[], given: Tensor | readonly Tensor[] | undefined): Tensor[] {
  const list = given === undefined ? null : Array.isArray(given) ? (given as readonly Tensor[]) : [given as Tensor];
  if (list && list.length !== roots.length) {
    throw new GradError(op, `got ${list.length} gradients for ${roots.length} outputs`);
  }
  return roots.map((r, i) => {
    if (!r.requiresGrad) {
      throw new GradError(op, `output ${i} (shape ${fmtShape(r.shape)}) does not require grad: nothing it depends on requires grad, or it was computed under noGrad`);
    }
    const g = list?.[i];
    if (g === undefined) {
      if (r.size !== 1) {
        throw new GradError(op, `output ${i} has shape ${fmtShape(r.shape)}; a gradient can be implied only for a single-element output, so pass one`);
      }
      return onesLike(r);
    }
    shapesEqualOrThrow(op, g.shape, r.shape, `gradient ${i}`, `output ${i}`);
    return g.dtype === r.dtype ? g : cast(g, r.dtype);
  });
}

interface RunOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** Stop at these and return their gradients; `null` accumulates into leaves' `.grad`. */
  targets: readonly Tensor[] | null;
}

/**
 * Orders every tensor reachable from the roots so that each comes after all
 * of its consumers (an iterative DFS: an unrolled RNN is deep enough to
 * overflow a recursive one). With targets, keeps only tensors on a path to one.
 */
function topoOrder(roots: readonly Tensor[], targets: ReadonlySet<Tensor> | null): Tensor[] {
  const post: Tensor[] = [];
  const state = new Map<Tensor, 1 | 2>();
  const useful = new Set<Tensor>();
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: { t: Tensor; next: number }[] = [{ t: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const node = top.t.gradNode;
      const stop = targets?.has(top.t) ?? false;
      const inputs = node && !stop ? node.inputs : [];
      if (top.next < inputs.length) {
        const child = inputs[top.next++]!;
        if (child.requiresGrad && !state.has(child)) {
          state.set(child, 1);
          stack.push({ t: child, next: 0 });
        }
        continue;
      }
      stack.pop();
      state.set(top.t, 2);
      post.push(top.t);
      if (targets) {
        if (targets.has(top.t) || inputs.some((c) => useful.has(c))) useful.add(top.t);
      }
    }
  }
  const order = post.reverse();
  return targets ? order.filter((t) => useful.has(t)) : order;
}

function runBackward(roots: readonly Tensor[], seeds: readonly Tensor[], opts: RunOptions): Map<Tensor, Tensor> {
  const targetSet = opts.targets ? new Set(opts.targets) : null;
  const order = topoOrder(roots, targetSet);
  const pending = new Map<Tensor, Tensor>();
  // How many times each gradient buffer was handed to a tensor, and which
  // buffers this pass allocated: a leaf may keep a gradient without copying
  // it only if nobody else can see its buffer (PyTorch's AccumulateGrad
  // steals a gradient whose use count is 1 for the same reason).
  const mark = allocationMark();
  const deliveries = new Map<ArrayBufferLike, number>();
  const accumulate = (t: Tensor, g: Tensor): void => {
    const prev = pending.get(t);
    const next = prev ? add(prev, g) : g;
    deliveries.set(next.data.buffer, (deliveries.get(next.data.buffer) ?? 0) + 1);
    pending.set(t, next);
  };
  const own = (g: Tensor): Tensor =>
    !opts.createGraph && allocatedSince(g.data, mark) && deliveries.get(g.data.buffer) === 1 ? g.detach() : ownGrad(g, opts.createGraph);
  const results = new Map<Tensor, Tensor>();
  const body = (): void => {
    roots.forEach((r, i) => accumulate(r, seeds[i]!));
    for (const t of order) {
      const g = pending.get(t);
      if (!g) continue;
      pending.delete(t);
      if (targetSet?.has(t)) {
        results.set(t, g);
        continue;
      }
      const node = t.gradNode;
      if (node === null) {
        if (targetSet === null) t.grad = t.grad ? add(t.grad, g) : own(g);
        continue;
      }
      if (targetSet === null && t.retainsGrad) t.grad = t.grad ? add(t.grad, g) : ownGrad(g, opts.createGraph);
      if (node.released) {
        throw new GradError(node.op, 'trying to backward through the graph a second time (its saved values were freed); pass retainGraph: true to the first backward');
      }
      // Any rule may read any input (mul's rule for a reads b) or the output
      // (exp's reads it), so a change to any of them would corrupt the gradients.
      node.inputs.forEach((input, i) => {
        if (input.version !== node.inputVersions[i]) {
          throw new GradError(
            node.op,
            `input ${i} (shape ${fmtShape(input.shape)}) was modified in place after ${node.op} used it (version ${node.inputVersions[i]} → ${input.version}); its gradient would be wrong`,
          );
        }
      });
      if (t.version !== node.outputVersion) {
        throw new GradError(
          node.op,
          `the output (shape ${fmtShape(t.shape)}) was modified in place after ${node.op} computed it (version ${node.outputVersion} → ${t.version}); its gradient would be wrong`,
        );
      }
      node.inputs.forEach((input, i) => {
        const vjp = node.vjps[i];
        if (!vjp || !input.requiresGrad) return;
        let gi = vjp(g);
        gi = sumTo(gi, input.shape);
        if (gi.dtype !== input.dtype) gi = cast(gi, input.dtype);
        accumulate(input, gi);
      });
      if (!opts.retainGraph) node.release();
    }
  };
  if (opts.createGraph) enableGrad(body);
  else noGrad(body);
  return results;
}

/**
 * A gradient about to be stored in `.grad`. Rules like add's pass `g` through
 * unchanged, so one tensor can reach several leaves; a private copy keeps an
 * in-place update of one `.grad` (clipping, say) from changing another.
 */
function ownGrad(g: Tensor, createGraph: boolean): Tensor {
  return createGraph ? g : g.detach().clone();
}
