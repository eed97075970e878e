import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { clip } from './render/escape.js';

/**
 * Reading a text file someone else wrote: the manifest (any PR author can change it) and saved plans.
 * Only a regular UTF-8 file is read, and nothing of it is ever quoted back except through a short escaped
 * snippet: a link to /proc/self/environ, a FIFO or a device would otherwise put the process environment
 * (AWS keys, the GitHub token) or an endless stream into an error message.
 */

/**
 * Why a file cannot be used, said so that the user knows what to change; `line`/`column` when it is about
 * one place, `code` the system's error code (ENOENT…) when opening it failed.
 */
export class TextFileError extends Error {
  override readonly name = 'TextFileError';
  readonly code: string | undefined;
  constructor(
    message: string,
    readonly line = 1,
    readonly column = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = (options?.cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

export interface TextFileOptions {
  /** Larger files are refused before they are read. */
  maxBytes: number;
  /** When set, the file, after following every link, must lie inside this directory. */
  within?: string;
  /** Names the directory in messages, e.g. `the workspace`. */
  withinName?: string;
}

/** Reads a regular file as UTF-8 text; throws TextFileError saying what is wrong with it. */
export async function readTextFile(path: string, options: TextFileOptions): Promise<string> {
  const target = await resolveInside(path, options);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it. O_NOFOLLOW once the
  // path is resolved: a link swapped in after the check is not followed out of the directory.
  const flags =
    constants.O_RDONLY | constants.O_NONBLOCK | (options.within === undefined ? 0 : constants.O_NOFOLLOW);
  const handle = await open(target, flags).catch((cause: unknown) => {
    throw new TextFileError(openProblem(cause), 1, 1, { cause });
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new TextFileError(`it is ${kindOf(stat)}, not a regular file`);
    if (stat.size > options.maxBytes) {
      throw new TextFileError(
        `it is ${mib(stat.size)} MiB; files over ${mib(options.maxBytes)} MiB are not read`,
      );
    }
    // One byte more than the size says, to see the end: files under /proc and /sys report a size (often 0)
    // that is not what reading them returns, and a file that grows while it is read is not the one checked.
    const bytes = Buffer.alloc(stat.size + 1);
    let length = 0;
    while (length < bytes.length) {
      const { bytesRead } = await handle.read(bytes, length, bytes.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length !== stat.size) {
      throw new TextFileError(
        'it is not a regular file: reading it does not give the size it reports (as with files under /proc or /sys)',
      );
    }
    return decodeText(bytes.subarray(0, length));
  } finally {
    await handle.close();
  }
}

async function resolveInside(path: string, options: TextFileOptions): Promise<string> {
  if (options.within === undefined) return path;
  const [root, target] = await Promise.all([
    realpath(options.within),
    realpath(path).catch((cause: unknown) => {
      throw new TextFileError(openProblem(cause), 1, 1, { cause });
    }),
  ]);
  const rel = relative(root, target);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || resolve(root, rel) !== target) {
    const name = options.withinName ?? 'the allowed directory';
    throw new TextFileError(
      `it resolves to '${clip(target, 200)}', outside ${name} '${clip(root, 200)}'; use a file inside ${name}, not a path or link out of it`,
    );
  }
  return target;
}

function openProblem(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'it is a loop of symbolic links';
  return `it cannot be opened (${clip(String(code ?? 'unknown error'), 40)})`;
}

function kindOf(stat: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0);
}

/*
 * Byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE), and the zero-byte patterns of the
 * first four bytes that give away UTF-16 and UTF-32 without a mark (RFC 4627 §3, since an ssm-replicate
 * file starts with ASCII).
 */
const WIDE: readonly { name: string; bom: readonly number[]; zeros: (b: Uint8Array) => boolean }[] = [
  {
    name: 'UTF-32 (little-endian)',
    bom: [0xff, 0xfe, 0, 0],
    zeros: (b) => b[0] !== 0 && !b[1] && !b[2] && !b[3],
  },
  {
    name: 'UTF-32 (big-endian)',
    bom: [0, 0, 0xfe, 0xff],
    zeros: (b) => !b[0] && !b[1] && !b[2] && b[3] !== 0,
  },
  { name: 'UTF-16 (little-endian)', bom: [0xff, 0xfe], zeros: (b) => b[0] !== 0 && b[1] === 0 },
  { name: 'UTF-16 (big-endian)', bom: [0xfe, 0xff], zeros: (b) => b[0] === 0 && b[1] !== 0 },
];

/**
 * UTF-8 text, a leading UTF-8 byte-order mark dropped (YAML and JSON both allow one, and Windows editors
 * write it). UTF-16 and UTF-32 are refused rather than decoded: GitHub shows them as binary, so a change
 * to such a manifest could not be reviewed. A NUL byte or invalid UTF-8 is refused at its line and column.
 */
export function decodeText(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 4);
  for (const { name, bom, zeros } of WIDE) {
    const marked = bom.every((b, i) => head[i] === b);
    if (marked || (head.length === 4 && zeros(head))) {
      throw new TextFileError(
        `it is ${name} text${marked ? ' (with a byte-order mark)' : ''}; save it as UTF-8 (GitHub shows ${name.split(' ')[0]} files as binary, so their changes cannot be reviewed)`,
      );
    }
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = place(bytes, nul);
    throw new TextFileError(
      `it contains a NUL byte at line ${line}, column ${column}; it is not a text file`,
      line,
      column,
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    const { line, column } = place(bytes, firstInvalidUtf8(bytes));
    throw new TextFileError(
      `it is not valid UTF-8 (line ${line}, column ${column}); save it as UTF-8`,
      line,
      column,
      { cause },
    );
  }
}

/** Line and column (in characters, as an editor counts them) of the byte at `offset`. */
function place(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  let line = 1;
  for (const b of before) if (b === 0x0a) line++;
  const text = new TextDecoder('utf-8').decode(before.subarray(lineStart));
  return { line, column: [...text].length + 1 };
}

/**
 * Offset where the first invalid UTF-8 sequence starts: the longest prefix that decodes as a stream (it may
 * stop inside a sequence) is found by bisection, then cut back to the last complete character.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const decodes = (end: number, stream: boolean) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream });
      return true;
    } catch {
      return false;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (decodes(mid, true)) low = mid;
    else high = mid - 1;
  }
  while (low > 0 && !decodes(low, false)) low--;
  return low;
}
