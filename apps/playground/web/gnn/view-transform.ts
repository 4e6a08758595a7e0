// From layout coordinates to the canvas and back: fitting the drawing to the
// canvas, and finding the node under the pointer.

/** screen = layout · scale + offset (CSS pixels). */
export interface ViewTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
}

/**
 * The transform that fits every node of `positions` (`[x0, y0, x1, y1, …]`)
 * into a `width`×`height` canvas with `margin` pixels to spare, centred, the
 * same scale on both axes (a layout's distances mean something).
 *
 * @example fitTransform(Float32Array.of(-1, -1, 1, 1), 100, 100, 10) // { scale: 40, offsetX: 50, offsetY: 50 }
 */
export function fitTransform(positions: Float32Array, width: number, height: number, margin: number): ViewTransform {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < positions.length; i += 2) {
    minX = Math.min(minX, positions[i]!);
    maxX = Math.max(maxX, positions[i]!);
    minY = Math.min(minY, positions[i + 1]!);
    maxY = Math.max(maxY, positions[i + 1]!);
  }
  if (!(minX <= maxX)) return { scale: 1, offsetX: width / 2, offsetY: height / 2 };
  const spanX = Math.max(maxX - minX, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.max(1e-9, Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY));
  return { scale, offsetX: width / 2 - scale * ((minX + maxX) / 2), offsetY: height / 2 - scale * ((minY + maxY) / 2) };
}

/** Where node `i` is drawn. */
export function toScreen(positions: Float32Array, t: ViewTransform, i: number): [number, number] {
  return [positions[2 * i]! * t.scale + t.offsetX, positions[2 * i + 1]! * t.scale + t.offsetY];
}

/**
 * The node drawn nearest to the point (`x`, `y`) (CSS pixels on the canvas),
 * or −1 when none is within `maxDistance` pixels.
 *
 * @example nearestNode(positions, transform, event.offsetX, event.offsetY, 8)
 */
export function nearestNode(positions: Float32Array, t: ViewTransform, x: number, y: number, maxDistance: number): number {
  let best = -1;
  let bestD2 = maxDistance * maxDistance;
  for (let i = 0; 2 * i < positions.length; i++) {
    const [sx, sy] = toScreen(positions, t, i);
    const d2 = (sx - x) ** 2 + (sy - y) ** 2;
    // Strictly nearer replaces: of nodes drawn on the same spot, the first wins.
    if (d2 < bestD2 || (best < 0 && d2 <= bestD2)) {
      bestD2 = d2;
      best = i;
    }
  }
  return best;
}
