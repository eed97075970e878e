import { readTextFile, TextFileError } from '../text-file.js';
import { ManifestError, type ManifestIssue } from './errors.js';
import { tidy } from './findings.js';
import type { Manifest } from './types.js';
import { validateData } from './validate.js';
import { readYaml } from './yaml-source.js';

/** Where the CLI and the Action look when no path is given. */
export const DEFAULT_MANIFEST_PATH = 'config/replication.yaml';
/** Four times a manifest of 20,000 replications; anything larger is not a manifest someone wrote. */
export const MANIFEST_MAX_BYTES = 16 * 2 ** 20;

export interface LoadedManifest {
  manifest: Manifest;
  /** Problems that do not stop the manifest from being used, each saying how to fix it. */
  warnings: ManifestIssue[];
}

/** Parses and validates manifest text. `file` only names the source in messages. Throws ManifestError. */
export function parseManifest(text: string, file: string): LoadedManifest {
  const source = readYaml(text, file);
  if (source.broken) throw new ManifestError(tidy(source.errors));
  const { manifest, errors, warnings } = validateData(source.data, source.locator);
  // YAML pitfalls do not stop the checks: the first of two duplicate keys is checked like any other value.
  if (!manifest || source.errors.length > 0)
    throw new ManifestError(tidy([...source.errors, ...errors]), { warnings });
  return { manifest, warnings };
}

export interface LoadOptions {
  /** The directory the manifest must lie in once links are followed (the Action's workspace). */
  within?: string;
  /** How messages name that directory. */
  withinName?: string;
}

/**
 * Reads and validates the manifest at `path`; a file that cannot be read (missing, not a regular file, too
 * large, not UTF-8, outside `within`) is a ManifestError as well, which never quotes the file's content.
 */
export async function loadManifest(path: string, options: LoadOptions = {}): Promise<LoadedManifest> {
  let text: string;
  try {
    text = await readTextFile(path, { maxBytes: MANIFEST_MAX_BYTES, ...options });
  } catch (cause) {
    throw unreadableManifest(path, cause);
  }
  return parseManifest(text, path);
}

/** The ManifestError for a manifest file that could not be read; `file` names it in the message. */
export function unreadableManifest(file: string, cause: unknown): ManifestError {
  const problem =
    cause instanceof TextFileError
      ? cause
      : new TextFileError(describeCode((cause as NodeJS.ErrnoException).code), 1, 1, { cause });
  const { line, column } = problem;
  return new ManifestError(
    [{ file, line, column, message: `cannot read the manifest: ${problem.message}` }],
    {
      cause,
    },
  );
}

/** For readers other than readTextFile (the Lambda's injected one): only the error code, never a message. */
function describeCode(code: string | undefined): string {
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  return `it cannot be read (${code ?? 'unknown error'})`;
}
