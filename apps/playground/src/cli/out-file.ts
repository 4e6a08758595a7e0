/**
 * The output file of a CLI command, checked before any work starts, so a path
 * that cannot take it fails at once rather than after a long run (the file
 * itself is written atomically by `@dl/tensor`'s `writeSafetensorsFile`).
 *
 * @packageDocumentation
 */
import { closeSync, mkdirSync, openSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Largest probe written by {@link checkOutPath}: enough for any model this CLI trains in reasonable time. */
const MAX_PROBE_BYTES = 64 * 1024 * 1024;

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, '')}` : String((e as Error).message ?? e);
}

function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
}

/**
 * Checks that `path` can receive a file of `bytes` bytes, without touching a
 * file already there: the path is not empty and not a folder or device, its
 * folder exists or can be created, and a temporary file of that size can be
 * written beside it (so a full disk or a file-size limit shows now, not after
 * training). Returns the absolute path.
 *
 * @throws Error with a one-line message naming the path and the reason.
 */
export function checkOutPath(path: string, bytes: number, option = '--out'): string {
  if (path.trim() === '') throw new Error(`${option} is empty; give a file path such as out/mnist-mlp.safetensors`);
  const abs = resolve(path);
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new Error(`${option} ${abs}: part of that path is a file, not a folder`);
    if (code !== 'ENOENT') throw new Error(`${option} ${abs} cannot be used: ${reason(e)}`);
  }
  // Renaming over a device such as /dev/full would replace it; a folder cannot be replaced by a file.
  if (existing && !existing.isFile()) throw new Error(`${option} ${abs} is ${existing.isDirectory() ? 'a folder' : 'not a regular file'}; give a file path`);
  try {
    mkdirSync(dirname(abs), { recursive: true });
  } catch (e) {
    throw new Error(`${option} ${abs}: cannot create its folder ${dirname(abs)} (${reason(e)})`);
  }
  const probe = tempPath(abs);
  let fd: number | undefined;
  try {
    fd = openSync(probe, 'wx');
    const chunk = Buffer.alloc(Math.min(1 << 20, Math.max(1, bytes)));
    // A write that reaches a file-size limit writes what fits and reports it; the next one fails with EFBIG.
    for (let left = Math.min(Math.max(1, bytes), MAX_PROBE_BYTES); left > 0; ) left -= writeSync(fd, chunk, 0, Math.min(chunk.length, left));
  } catch (e) {
    throw new Error(`${option} ${abs} cannot be written: ${reason(e)}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(probe);
    } catch {
      // The probe was never created.
    }
  }
  return abs;
}
