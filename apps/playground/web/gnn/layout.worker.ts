// The GNN card's layout worker: runs the force layout in slices and sends the
// positions as they settle, so the page stays free to draw.
import { createForceLayout } from './force-layout.js';
import type { LayoutFromWorker, LayoutToWorker } from './protocol.js';

interface WorkerScope {
  postMessage(message: LayoutFromWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<LayoutToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = async (event) => {
  const m = event.data;
  try {
    const layout = createForceLayout(m.numNodes, m.src, m.dst);
    const ticks = Math.min(m.ticks, layout.ticks);
    while (layout.done < ticks) {
      layout.tick(Math.min(m.every, ticks - layout.done));
      const positions = layout.positions();
      scope.postMessage({ type: 'positions', positions, tick: layout.done, ticks }, [positions.buffer]);
      // Lets the page's messages in; the layout has no other work to wait for.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (e) {
    scope.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
