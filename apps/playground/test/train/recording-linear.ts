// A Linear layer that keeps every output it returns, so a test can see what
// the code under test computed (the loss it evaluated, whether a graph was recorded).
import { Linear, type Tensor } from '@dl/tensor';

/** `Linear` that appends each `forward` result to `outputs`. */
export class RecordingLinear extends Linear {
  readonly outputs: Tensor[] = [];
  override forward(x: Tensor): Tensor {
    const out = super.forward(x);
    this.outputs.push(out);
    return out;
  }
}
