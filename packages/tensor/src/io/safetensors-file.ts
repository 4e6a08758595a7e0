import { describeValue } from '../checks.js';
import { DLError, ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { type SafetensorsContents, loadSafetensors, saveSafetensors } from './safetensors.js';

// Node-only helpers beside the format itself (which works on bytes anywhere).
// `node:fs` is reached through process.getBuiltinModule, not an import, so a
// bundle for the browser has nothing to resolve and the package stays
// browser-safe; there the helpers throw and say what to use instead.

interface ErrnoError extends Error {
  code?: string;
}

/** The part of `node:fs` these helpers use. */
interface NodeFs {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  chmodSync(path: string, mode: number): void;
  statSync(path: string): { isFile(): boolean; isDirectory(): boolean; mode: number };
  readFileSync(path: string): Uint8Array;
}

interface NodePath {
  dirname(path: string): string;
  basename(path: string): string;
  join(...parts: string[]): string;
}

// Read on use, not at import: a module-level read of a global would count as a side effect to bundlers.
function nodeProcess(): { pid?: number; getBuiltinModule?: (id: string) => unknown } | undefined {
  return (globalThis as { process?: { pid?: number; getBuiltinModule?: (id: string) => unknown } }).process;
}

function nodeModules(op: string): { fs: NodeFs; path: NodePath } {
  const proc = nodeProcess();
  const fs = proc?.getBuiltinModule?.('node:fs') as NodeFs | undefined;
  const path = proc?.getBuiltinModule?.('node:path') as NodePath | undefined;
  if (fs === undefined || path === undefined) {
    throw new ValueError(
      op,
      'needs Node.js ≥ 20.16 (process.getBuiltinModule) to reach the file system; elsewhere (a browser) use saveSafetensors / loadSafetensors on bytes',
    );
  }
  return { fs, path };
}

/** `ENOSPC: no space left on device` from a Node error, for one-line messages. */
function reason(e: unknown): string {
  const err = e as ErrnoError;
  const message = String(err?.message ?? e).replace(/^[A-Z]+: /, '').split('\n')[0]!;
  return err?.code ? `${err.code}: ${message}` : message;
}

function expectPath(op: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.trim() === '') throw new ValueError(op, `path must be a non-empty string, got ${describeValue(path)}`);
}

let tempCounter = 0;

/**
 * Writes `tensors` (a state dict) to a safetensors file at `path`, atomically:
 * the bytes go to a temporary file in the same folder, are flushed to disk,
 * and the temporary file is renamed over `path`. A failure at any point (a
 * full disk, a file-size limit, a folder that is not writable) removes the
 * temporary file and leaves a previous file at `path` whole; so does a
 * refused tensor, which is found before anything is written. `path` must not
 * be a folder or a device (renaming would replace it), and its folder must
 * exist. A file replaced keeps its permissions. Node.js only (≥ 20.16).
 *
 * @throws ValueError naming the path and the reason, in one line.
 * @example writeSafetensorsFile('model.safetensors', model.stateDict(), { format: 'pt' });
 */
export function writeSafetensorsFile(
  path: string,
  tensors: ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): void {
  const op = 'writeSafetensorsFile';
  expectPath(op, path);
  const { fs, path: nodePath } = nodeModules(op);
  const bytes = saveSafetensors(tensors, metadata);
  let mode: number | undefined;
  try {
    const st = fs.statSync(path);
    if (!st.isFile()) throw new ValueError(op, `${path} is ${st.isDirectory() ? 'a folder' : 'not a regular file (a device?)'}; give a file path`);
    mode = st.mode & 0o7777;
  } catch (e) {
    if (e instanceof ValueError) throw e;
    const code = (e as ErrnoError).code;
    if (code === 'ENOTDIR') throw new ValueError(op, `cannot write ${path}: part of that path is a file, not a folder`);
    if (code !== 'ENOENT') throw new ValueError(op, `cannot write ${path}: ${reason(e)}`);
  }
  const dir = nodePath.dirname(path);
  const temp = nodePath.join(dir, `.${nodePath.basename(path)}.${nodeProcess()?.pid ?? 0}.${tempCounter++}.${Date.now()}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = fs.openSync(temp, 'wx', mode ?? 0o666);
    created = true;
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (mode !== undefined) fs.chmodSync(temp, mode);
    fs.renameSync(temp, path);
    created = false;
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the close error adds nothing.
      }
    }
    if (created) {
      try {
        fs.unlinkSync(temp);
      } catch {
        // Nothing left to remove.
      }
    }
    const code = (e as ErrnoError).code;
    const where = code === 'ENOENT' && !created ? ` (does the folder ${dir} exist?)` : '';
    throw new ValueError(op, `could not write ${path}: ${reason(e)}${where}; a previous file there is unchanged`);
  }
}

/**
 * Reads a safetensors file (as `loadSafetensors` reads bytes): every tensor
 * by name, in file order, and the metadata. Node.js only (≥ 20.16).
 *
 * @throws ValueError naming the path when it cannot be read, or what is wrong with its contents.
 * @example model.loadStateDict(readSafetensorsFile('model.safetensors').tensors);
 */
export function readSafetensorsFile(path: string): SafetensorsContents {
  const op = 'readSafetensorsFile';
  expectPath(op, path);
  const { fs } = nodeModules(op);
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (e) {
    throw new ValueError(op, `cannot read ${path}: ${reason(e)}`);
  }
  try {
    return loadSafetensors(bytes);
  } catch (e) {
    if (e instanceof DLError) throw new ValueError(op, `${path} is not a file dl can load: ${e.message}`);
    throw e;
  }
}
