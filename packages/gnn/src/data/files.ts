import { DLError, ValueError } from '@dl/tensor';

/** A malformed data file: the message names the file and the line. */
export class DataFormatError extends DLError {
  constructor(op: string, file: string, line: number, message: string) {
    super(op, `${file}:${line}: ${message}`);
    this.name = 'DataFormatError';
  }
}

// node:fs through process.getBuiltinModule (not an import): the package stays
// bundleable for browsers, where the parse* functions take file contents.
function nodeFs(op: string): { readFileSync(path: string, encoding: 'utf8'): string; existsSync(path: string): boolean } {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as { readFileSync(path: string, encoding: 'utf8'): string; existsSync(path: string): boolean } | undefined;
  if (fs === undefined) throw new ValueError(op, 'needs Node.js ≥ 20.16 (process.getBuiltinModule) to read files; in a browser, fetch the files and call the parse function');
  return fs;
}

/** Reads a text file, naming the op and the path when it is missing. */
export function readText(op: string, path: string): string {
  const fs = nodeFs(op);
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ValueError(op, `cannot read ${path}${code ? ` (${code})` : ''}`);
  }
}

/** Whether a file exists (Node only). */
export function fileExists(op: string, path: string): boolean {
  return nodeFs(op).existsSync(path);
}

/** `dir/name` with one slash. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Lines of a text file without the trailing empty line; each with its 1-based number. */
export function lines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const parts = text.split('\n');
  for (let i = 0; i < parts.length; i++) {
    const t = parts[i]!.replace(/\r$/, '');
    if (i === parts.length - 1 && t === '') break;
    out.push({ line: i + 1, text: t });
  }
  return out;
}

/** Parses an integer field, or throws naming file and line. */
export function intField(op: string, file: string, line: number, s: string | undefined, what: string): number {
  const v = s === undefined ? NaN : Number(s.trim());
  if (s === undefined || s.trim() === '' || !Number.isInteger(v)) throw new DataFormatError(op, file, line, `${what} is ${JSON.stringify(s ?? '')}; need an integer`);
  return v;
}
