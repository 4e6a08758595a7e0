import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CommandIo, formulaPreview, optimizersAction, parseLearningRates, parseMomenta, parsePreset, parseStart, parseSteps } from '../../src/race/cli-command.js';
import { ExpressionError } from '../../src/race/expression-error.js';

const dir = mkdtempSync(join(tmpdir(), 'dl-race-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(): CommandIo & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    writeFile(path, text) {
      writeFileSync(path, text);
      return path;
    },
    log: (line) => lines.push(line),
  };
}

describe('optimizers command', () => {
  it('prints the gradient cross-check and a table of all eight racers, and writes the SVG', () => {
    const out = join(dir, 'saddle.svg');
    const o = io();
    const report = optimizersAction({ preset: 'saddle', out }, o);
    const text = o.lines.join('\n');
    expect(o.lines[0]).toBe('Optimizer race on Saddle x² − y²: f(x, y) = x^2 - y^2');
    expect(text).toContain('mathjs: ∂f/∂x = 2 * x, ∂f/∂y = -(2 * y)');
    expect(text).toContain('∇f at the start: mathjs (3, -0.002), autograd (3, -0.002) — agree');
    expect(text).toMatch(/│ optimizer\s+│ lr\s+│ steps to f < -1\s+│ final f\s+│ final \(x, y\)\s+│ end\s+│/);
    for (const run of report.runs) {
      expect(text).toMatch(new RegExp(`│ ${run.name.replace('-', '\\-')}\\s+│ ${run.lr}\\s+│ ${run.hit}`));
    }
    expect(o.lines[o.lines.length - 1]).toBe(`paths written to ${out}`);
    const svg = readFileSync(out, 'utf8');
    expect(svg.match(/class="race-path"/g)).toHaveLength(8);
    expect(svg).toContain('data-optimizer="L-BFGS"');
  });

  it('races a typed-in expression from a given start with overrides', () => {
    const out = join(dir, 'bowl.svg');
    const o = io();
    const report = optimizersAction({ preset: 'rosenbrock', expr: 'x^2 + 3 y^2', start: [1, 1], steps: 50, lr: { SGD: 0.1 }, out }, o);
    expect(report.config.presetId).toBeNull();
    expect(report.runs.find((r) => r.name === 'SGD')!.lr).toBe(0.1);
    expect(o.lines[0]).toBe('Optimizer race on a typed-in function: f(x, y) = x^2 + 3 y^2');
    expect(o.lines[1]).toBe('start (1, 1), up to 50 steps per optimizer');
    expect(o.lines[2]).toBe('Your own f: its minimum is unknown, so a racer counts as arrived at a stationary point, ‖∇f‖ < 0.001 (which may be a saddle).');
    expect(o.lines.join('\n')).toContain('steps to ‖∇f‖ < 0.001');
    expect(readFileSync(out, 'utf8')).toContain('x^2 + 3 y^2');
  });

  it('prints the momentum coefficients when given, and warns that a saddle looks unbounded below', () => {
    const o = io();
    const report = optimizersAction({ preset: 'saddle', momentum: { Momentum: 0.5 }, out: join(dir, 'm.svg') }, o);
    expect(report.runs.find((r) => r.name === 'Momentum')!.momentum).toBe(0.5);
    expect(o.lines).toContain('momentum: Momentum 0.5, NAG 0.9, Adam β₁ 0.9');
    expect(o.lines.at(-2)).toMatch(/^f looks unbounded below: every racer left the plot with f still falling/);
  });

  it('says when mathjs’s derivative is unsimplified or absent, and compares with autograd only when it can', () => {
    const o = io();
    optimizersAction({ preset: 'rosenbrock', expr: Array.from({ length: 150 }, (_, i) => `sin(${i + 1} x)`).join(' + '), steps: 2, out: join(dir, 'big.svg') }, o);
    expect(o.lines).toContain('mathjs: ∂f/∂x = not computed, ∂f/∂y = not computed');
    expect(o.lines.some((l) => /autograd alone gives the gradient/.test(l))).toBe(true);
    expect(o.lines.some((l) => /^∇f at the start: autograd \(.*\) \(no symbolic value to compare\)$/.test(l))).toBe(true);
  });

  it('defaults the output to out/optimizers-<preset>.svg', () => {
    const o = io();
    let written = '';
    optimizersAction({ preset: 'monkey', steps: 5 }, { ...o, writeFile: (path) => (written = path) });
    expect(written).toBe('out/optimizers-monkey.svg');
  });

  it('throws ExpressionError on a malformed expression, before writing anything', () => {
    const o = io();
    expect(() => optimizersAction({ preset: 'rosenbrock', expr: 'foo(x)', out: join(dir, 'never.svg') }, o)).toThrow(ExpressionError);
    expect(o.lines).toEqual([]);
  });
});

describe('option parsers', () => {
  it('accept good values', () => {
    expect(parsePreset('beale')).toBe('beale');
    expect(parseStart('-1.2, 1')).toEqual([-1.2, 1]);
    expect(parseSteps('500')).toBe(500);
    expect(parseLearningRates('adam=0.05,SGD=1e-3,lbfgs=0.5,l-bfgs=0.7')).toEqual({ Adam: 0.05, SGD: 1e-3, 'L-BFGS': 0.7 });
  });

  it('refuse bad values with one clear line', () => {
    expect(() => parsePreset('himmelblau')).toThrow("expected one of rosenbrock, beale, saddle, monkey, got 'himmelblau'");
    expect(() => parseStart('1')).toThrow("expected two numbers as x,y (e.g. -1.2,1), got '1'");
    expect(() => parseStart('1,')).toThrow(/got '1,'/);
    expect(() => parseStart('a,2')).toThrow(/got 'a,2'/);
    expect(() => parseSteps('0')).toThrow(/from 1 to 100000/);
    expect(() => parseSteps('2.5')).toThrow(/from 1 to 100000/);
    expect(() => parseLearningRates('adam')).toThrow(/name=rate pairs .* got 'adam'/);
    expect(() => parseLearningRates('newton=1')).toThrow(/got 'newton=1'/);
    expect(() => parseLearningRates('adam=0')).toThrow(/rates positive/);
  });

  it('read momentum coefficients in [0, 1) for Momentum, NAG and Adam', () => {
    expect(parseMomenta('momentum=0.5,NAG=0,adam=0.95')).toEqual({ Momentum: 0.5, NAG: 0, Adam: 0.95 });
    for (const bad of ['sgd=0.5', 'momentum=1', 'momentum=-0.1', 'momentum', 'adam=x', 'nag=0.5=1']) {
      expect(() => parseMomenta(bad), bad).toThrow(/expected name=coefficient pairs such as momentum=0\.5,adam=0\.95/);
    }
  });

  it('cut a long formula for one line of output', () => {
    expect(formulaPreview('2 * x')).toBe('2 * x');
    expect(formulaPreview(null)).toBe('not computed');
    expect(formulaPreview('x + '.repeat(100))).toBe(`${'x + '.repeat(75)}… (400 characters)`);
  });
});
