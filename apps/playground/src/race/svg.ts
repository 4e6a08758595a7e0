import type { Scene, SceneRun } from './scene.js';

/** How to render. */
export interface SvgOptions {
  /**
   * Leave every racer's path empty and without its `data-end-x`/`data-end-y`,
   * and hide the end dots and the legend's results, for a page that animates
   * the race and reveals them when it is over (default false: the finished picture).
   */
  readonly pathsHidden?: boolean;
  /** Extra attributes for the root `<svg>` element, e.g. `{ 'data-testid': 'race-plot' }`. */
  readonly rootAttributes?: Readonly<Record<string, string>>;
}

/** Escapes text for SVG (XML) content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The `d` of a racer's path through its first `count` vertices (all by default). */
export function runPathData(run: SceneRun, count = run.stepOf.length): string {
  const n = Math.min(count, run.stepOf.length);
  if (n === 0) return '';
  const parts: string[] = [`M${run.points[0]},${run.points[1]}`];
  for (let i = 1; i < n; i++) parts.push(`L${run.points[2 * i]},${run.points[2 * i + 1]}`);
  return parts.join('');
}

/**
 * Renders a race scene as a standalone SVG document: grey contour bands, axes,
 * one `<path data-optimizer="…">` per racer (with its final point in
 * `data-end-x` / `data-end-y`), an end dot, the start and landmark markers, and
 * a legend listing each racer's steps to the target.
 *
 * @example writeFileSync('race.svg', renderSvg(scene));
 */
export function renderSvg(scene: Scene, options: SvgOptions = {}): string {
  const { plot: P } = scene;
  const attrs = Object.entries(options.rootAttributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="12"${attrs}>`,
    '<defs><clipPath id="race-plot-clip">',
    `<rect x="${P.x}" y="${P.y}" width="${P.w}" height="${P.h}"/>`,
    '</clipPath></defs>',
    `<rect width="${scene.width}" height="${scene.height}" fill="#fff"/>`,
    `<text x="${P.x}" y="18" font-size="14" font-weight="600">${escapeXml(scene.title)}</text>`,
    `<text x="${P.x}" y="36" fill="#555">${escapeXml(scene.subtitle)}</text>`,
    `<g clip-path="url(#race-plot-clip)">`,
    `<rect x="${P.x}" y="${P.y}" width="${P.w}" height="${P.h}" fill="#fdfdfd"/>`,
  ];
  for (const b of scene.bands) {
    out.push(`<path class="contour" data-level="${b.level}" d="${b.d}" fill="${b.fill}" stroke="#6b6b6b" stroke-opacity="${b.level === 0 ? 0.9 : 0.35}" stroke-width="${b.level === 0 ? 1.2 : 0.6}"/>`);
  }
  for (const run of scene.runs) {
    const d = options.pathsHidden ? '' : runPathData(run);
    const end = options.pathsHidden ? '' : ` data-end-x="${run.end[0]}" data-end-y="${run.end[1]}"`;
    const dash = run.dashed ? ' stroke-dasharray="6 3"' : '';
    out.push(
      `<path class="race-path" data-optimizer="${escapeXml(run.name)}" data-stop="${run.stop}"${end} d="${d}" fill="none" stroke="${run.color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dash}/>`,
    );
  }
  for (const run of scene.runs) {
    if (run.endPx === null) continue;
    const hidden = options.pathsHidden ? ' visibility="hidden"' : '';
    out.push(`<circle class="race-end" data-end-of="${escapeXml(run.name)}" cx="${run.endPx[0]}" cy="${run.endPx[1]}" r="3.5" fill="${run.color}" stroke="#fff" stroke-width="1"${hidden}/>`);
  }
  // Labels go left of their marker near the plot's right edge, so they are not clipped.
  const label = (x: number, y: number, dy: number, text: string) => {
    const left = x > P.x + P.w - 130;
    const anchor = left ? ' text-anchor="end"' : '';
    return `<text x="${left ? x - 8 : x + 8}" y="${y + dy}"${anchor} font-size="11" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(text)}</text>`;
  };
  for (const l of scene.landmarks) {
    const [x, y] = l.px;
    out.push(`<path d="M${x - 6},${y}L${x + 6},${y}M${x},${y - 6}L${x},${y + 6}" stroke="#000" stroke-width="2"/>`);
    out.push(label(x, y, 15, l.label));
  }
  const [sx, sy] = scene.start.px;
  out.push(`<g class="race-start"><circle cx="${sx}" cy="${sy}" r="5" fill="#000" stroke="#fff" stroke-width="1.5"/>`);
  out.push(`${label(sx, sy, -8, scene.start.label)}</g>`);
  out.push('</g>');
  out.push(`<rect x="${P.x}" y="${P.y}" width="${P.w}" height="${P.h}" fill="none" stroke="#444"/>`);
  for (const t of scene.xTicks) {
    out.push(`<line x1="${t.px}" x2="${t.px}" y1="${P.y + P.h}" y2="${P.y + P.h + 5}" stroke="#444"/>`);
    out.push(`<text x="${t.px}" y="${P.y + P.h + 18}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  for (const t of scene.yTicks) {
    out.push(`<line x1="${P.x - 5}" x2="${P.x}" y1="${t.py}" y2="${t.py}" stroke="#444"/>`);
    out.push(`<text x="${P.x - 8}" y="${t.py + 4}" text-anchor="end">${escapeXml(t.label)}</text>`);
  }
  out.push(`<text x="${P.x + P.w / 2}" y="${P.y + P.h + 36}" text-anchor="middle" font-style="italic">x</text>`);
  out.push(`<text x="${P.x - 40}" y="${P.y + P.h / 2}" text-anchor="middle" font-style="italic">y</text>`);
  const lx = P.x + P.w + 24;
  out.push(`<text x="${lx}" y="${P.y + 10}" font-weight="600">optimizer</text>`);
  out.push(`<text x="${lx + 104}" y="${P.y + 10}" font-weight="600">${escapeXml(scene.legendTitle)}</text>`);
  scene.runs.forEach((run, i) => {
    const y = P.y + 34 + 24 * i;
    const dash = run.dashed ? ' stroke-dasharray="6 3"' : '';
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${y - 4}" y2="${y - 4}" stroke="${run.color}" stroke-width="3"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${y}">${escapeXml(run.name)}</text>`);
    const hidden = options.pathsHidden ? ' visibility="hidden"' : '';
    out.push(`<text class="race-legend-value" x="${lx + 104}" y="${y}"${hidden}>${escapeXml(run.legend)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}
