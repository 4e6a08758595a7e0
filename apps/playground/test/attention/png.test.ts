import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { attentionGridPng, encodePng, heat, signedTablePng } from '../../src/attention/png.js';

/** Width, height and raw scanlines of a PNG this module wrote (one IDAT). */
function decode(png: Uint8Array): { width: number; height: number; raw: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset);
  expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const idatLen = view.getUint32(33);
  expect(String.fromCharCode(...png.subarray(37, 41))).toBe('IDAT');
  return { width, height, raw: new Uint8Array(inflateSync(png.subarray(41, 41 + idatLen))) };
}

describe('PNG writing', () => {
  it('encodes RGB scanlines that inflate back to the pixels', () => {
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const { width, height, raw } = decode(encodePng(2, 2, rgb));
    expect([width, height]).toEqual([2, 2]);
    expect(Array.from(raw)).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9]);
  });
  it('heat runs black → red → yellow → white', () => {
    expect(heat(0)).toEqual([0, 0, 0]);
    expect(heat(1)).toEqual([255, 255, 255]);
    expect(heat(1 / 3)).toEqual([255, 0, 0]);
  });
  it('grids and tables have the sizes their layout gives', () => {
    const map = new Float32Array([1, 0, 0.5, 0.5]);
    const grid = decode(attentionGridPng([[map, map, map]], 2, 3, 1));
    expect([grid.width, grid.height]).toEqual([3 * 6 + 4, 6 + 2]);
    const table = decode(signedTablePng([1, -1, 0, 0.5], 2, 2, 2));
    expect([table.width, table.height]).toEqual([4, 4]);
  });
});
