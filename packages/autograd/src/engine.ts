import { GradError, type GradNode, type Tensor, type TypedArray, add, getBackend, withAllocationTracking, cast, enableGrad, fmtShape, noGrad, onesLike, shapesEqual, shapesEqualOrThrow, sumTo } from './deps.js';

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
 * The recorded nodes reachable from the roots, each after every node that
 * consumes one of its outputs (an iterative DFS: an unrolled RNN is deep
 * enough to overflow a recursive one). The walk does not pass a target.
 * With targets, keeps only nodes on a path to one.
 */
// Numbers each graph walk: a node whose walkMark is the current walk's number
// has been visited (no Set of nodes to fill and query). A nested walk (a
// backward inside a rule) takes a new number; the outer walk is finished by then.
let walks = 0;

function nodeOrder(roots: readonly Tensor[], targets: ReadonlySet<Tensor> | null): GradNode[] {
  const post: GradNode[] = [];
  const walk = ++walks;
  const useful = targets ? new Set<GradNode>() : null;
  // The DFS stack as two parallel arrays (node, next input to visit): no
  // object per frame.
  const nodes: GradNode[] = [];
  const next: number[] = [];
  const enter = (t: Tensor): void => {
    const node = t.gradNode;
    if (node === null || node.walkMark === walk || targets?.has(t)) return;
    node.walkMark = walk;
    nodes.push(node);
    next.push(0);
  };
  for (const root of roots) {
    enter(root);
    while (nodes.length > 0) {
      const top = nodes.length - 1;
      const node = nodes[top]!;
      const i = next[top]!;
      if (i < node.inputs.length) {
        next[top] = i + 1;
        if (node.needsGrad[i]) enter(node.inputs[i]!);
        continue;
      }
      nodes.pop();
      next.pop();
      post.push(node);
      if (useful) {
        for (let j = 0; j < node.inputs.length; j++) {
          if (!node.needsGrad[j]) continue;
          const input = node.inputs[j]!;
          if (targets!.has(input) || (input.gradNode !== null && useful.has(input.gradNode))) {
            useful.add(node);
            break;
          }
        }
      }
    }
  }
  const order = post.reverse();
  return useful ? order.filter((n) => useful.has(n)) : order;
}

function runBackward(roots: readonly Tensor[], seeds: readonly Tensor[], opts: RunOptions): Map<Tensor, Tensor> {
  const targetSet = opts.targets ? new Set(opts.targets) : null;
  const order = nodeOrder(roots, targetSet);
  // A tensor's gradient so far; null once its node has consumed it.
  const pending = new Map<Tensor, Tensor | null>();
  // Gradient buffers this pass allocated, each with how many tensors it was
  // handed to: a leaf may keep a gradient without copying it, and a sum may
  // grow in place, only if its buffer is new and reached one tensor
  // (PyTorch's AccumulateGrad steals a gradient whose use count is 1 for the
  // same reason). Older buffers (inputs, seeds, constants a rule returns)
  // are never kept or changed, so they need no count.
  let uses: WeakMap<TypedArray, number> = new WeakMap();
  const accumulate = (t: Tensor, g: Tensor): void => {
    const prev = pending.get(t) ?? undefined;
    if (prev !== undefined && !opts.createGraph && uses.get(prev.data) === 1 && prev.data !== g.data) {
      // A sum this pass owns and nobody else can see: add into it instead of
      // allocating a new one per contribution (slices of one gate tensor,
      // a weight shared by every step of an RNN).
      getBackend().axpy(1, g.data, prev.data);
      return;
    }
    const next = prev ? add(prev, g) : g;
    const n = uses.get(next.data);
    if (n !== undefined) uses.set(next.data, n + 1);
    pending.set(t, next);
  };
  const own = (g: Tensor): Tensor => (!opts.createGraph && uses.get(g.data) === 1 ? g.detach() : ownGrad(g, opts.createGraph));
  const results = new Map<Tensor, Tensor>();
  const single: (Tensor | null)[] = [null];
  const body = (): void => {
    roots.forEach((r, i) => accumulate(r, seeds[i]!));
    for (const node of order) {
      const outs = node.outputs;
      // Most nodes have one output: their gradients go in one array this pass
      // reuses (node.backward reads it during the call and keeps nothing).
      const grads = outs.length === 1 ? single : new Array<Tensor | null>(outs.length);
      let any = false;
      for (let k = 0; k < outs.length; k++) {
        const t = outs[k]!;
        const g = t === null ? undefined : pending.get(t);
        grads[k] = null;
        if (g === undefined || g === null) continue;
        // Dropped as soon as it is consumed, so a long graph's intermediate
        // gradients do not all live until the pass ends (overwritten rather
        // than deleted: a Map's delete costs several times a set).
        pending.set(t!, null);
        if (targetSet?.has(t!)) {
          // The walk stops at a target: its gradient is an answer, not an input to its node.
          results.set(t!, g);
          continue;
        }
        if (targetSet === null && t!.retainsGrad) t!.grad = t!.grad ? add(t!.grad, g) : ownGrad(g, opts.createGraph);
        grads[k] = g;
        any = true;
      }
      if (!any) continue;
      if (node.released) {
        throw new GradError(node.op, 'trying to backward through the graph a second time (its saved values were freed); pass retainGraph: true to the first backward');
      }
      if (node.storageChangedSinceRecord) checkVersions(node);
      const inputGrads = node.backward(grads, opts.createGraph);
      const inputs = node.inputs;
      for (let i = 0; i < inputs.length; i++) {
        let gi = inputGrads[i];
        if (!gi || !node.needsGrad[i]) continue;
        const input = inputs[i]!;
        if (!shapesEqual(gi.shape, input.shape)) gi = sumTo(gi, input.shape);
        if (gi.dtype !== input.dtype) gi = cast(gi, input.dtype);
        accumulate(input, gi);
      }
      if (!opts.retainGraph) node.release();
    }
    // What is left: leaves, and targets (or tensors) whose nodes the walk did not pass.
    for (const [t, g] of pending) {
      if (g === null) continue;
      if (targetSet !== null) {
        if (targetSet.has(t)) results.set(t, g);
      } else if (t.gradNode === null) {
        t.grad = t.grad ? add(t.grad, g) : own(g);
      } else if (t.retainsGrad) {
        t.grad = t.grad ? add(t.grad, g) : ownGrad(g, opts.createGraph);
      }
    }
  };
  if (opts.createGraph) enableGrad(body);
  else {
    withAllocationTracking((_isNew, allocated) => {
      uses = allocated;
      noGrad(body);
    });
  }
  return results;
}

/** Any rule may read any input (mul's rule for a reads b) or output (exp's reads it), so a change to any of them would corrupt the gradients. */
function checkVersions(node: GradNode): void {
  const { inputs, inputVersions, outputs, outputVersions } = node;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    if (input.version !== inputVersions[i]) {
      throw new GradError(
        node.op,
        `input ${i} (shape ${fmtShape(input.shape)}) was modified in place after ${node.op} used it (version ${inputVersions[i]} → ${input.version}); its gradient would be wrong`,
      );
    }
  }
  for (let k = 0; k < outputs.length; k++) {
    const t = outputs[k];
    if (t && t.version !== outputVersions[k]) {
      const which = outputs.length > 1 ? `output ${k}` : 'the output';
      throw new GradError(
        node.op,
        `${which} (shape ${fmtShape(t.shape)}) was modified in place after ${node.op} computed it (version ${outputVersions[k]} → ${t.version}); its gradient would be wrong`,
      );
    }
  }
}

/**
 * A gradient about to be stored in `.grad`. Rules like add's pass `g` through
 * unchanged, so one tensor can reach several leaves; a private copy keeps an
 * in-place update of one `.grad` (clipping, say) from changing another.
 */
function ownGrad(g: Tensor, createGraph: boolean): Tensor {
  return createGraph ? g : g.detach().clone();
}
