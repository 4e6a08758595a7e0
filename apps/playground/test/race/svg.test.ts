import { describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES } from '../../src/race/optimizers.js';
import { raceReport } from '../../src/race/report.js';
import { escapeXml, renderSvg, runPathData } from '../../src/race/svg.js';

const report = raceReport({ expression: 'x^2 - y^2' });
const { scene } = report;

function attributesOf(svg: string, name: string): Record<string, string> {
  const tag = svg.match(new RegExp(`<path class="race-path" data-optimizer="${name}"[^>]*>`))?.[0] ?? '';
  return Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

describe('renderSvg', () => {
  const svg = renderSvg(scene, { rootAttributes: { 'data-testid': 'race-plot' } });

  it('is one standalone SVG document with the given root attributes', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain(' data-testid="race-plot"');
    expect(svg.match(/<svg/g)).toHaveLength(1);
  });

  it('draws one path per optimizer, carrying its final point', () => {
    expect(svg.match(/class="race-path"/g)).toHaveLength(8);
    for (const [i, name] of OPTIMIZER_NAMES.entries()) {
      const a = attributesOf(svg, name);
      const run = report.runs[i]!;
      expect(run.name).toBe(name);
      const end = run.path[run.path.length - 1]!;
      expect(Number(a['data-end-x'])).toBe(end[0]);
      expect(Number(a['data-end-y'])).toBe(end[1]);
      expect(a['d']).toMatch(/^M[\d.-]+,[\d.-]+(L[\d.-]+,[\d.-]+)+$/);
      expect(a['data-stop']).toBe(run.stop);
    }
  });

  it('draws a band per contour level, the start, the saddle point and a legend with steps to the target', () => {
    expect(svg.match(/class="contour"/g)).toHaveLength(report.levels.length);
    expect(svg).toContain('start (1.5, 0.001)');
    expect(svg).toContain('saddle (0, 0)');
    expect(svg).toContain('steps to f &lt; -1');
    expect(svg).toContain(`>${report.runs.find((r) => r.name === 'Momentum')!.hit}<`);
  });

  it('leaves the paths empty and unfinished, and the results hidden, for a page to animate', () => {
    const hidden = renderSvg(scene, { pathsHidden: true });
    expect(hidden.match(/class="race-legend-value"[^>]*visibility="hidden"/g)).toHaveLength(8);
    expect(svg).not.toContain('visibility="hidden"');
    for (const name of OPTIMIZER_NAMES) {
      const a = attributesOf(hidden, name);
      expect(a['d']).toBe('');
      expect(a['data-end-x']).toBeUndefined();
    }
  });
});

describe('runPathData', () => {
  it('gives a path prefix for animation', () => {
    const run = scene.runs[0]!;
    expect(runPathData(run, 0)).toBe('');
    expect(runPathData(run, 2)).toBe(`M${run.points[0]},${run.points[1]}L${run.points[2]},${run.points[3]}`);
    expect(runPathData(run)).toBe(runPathData(run, 1e9));
  });
});

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml('a < b & "c" > d')).toBe('a &lt; b &amp; &quot;c&quot; &gt; d');
  });
});
