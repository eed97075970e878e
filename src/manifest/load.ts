import { readFile } from 'node:fs/promises';
import { ManifestError, type ManifestIssue } from './errors.js';
import { tidy } from './findings.js';
import type { Manifest } from './types.js';
import { validateData } from './validate.js';
import { readYaml } from './yaml-source.js';

/** Where the CLI and the Action look when no path is given. */
export const DEFAULT_MANIFEST_PATH = 'config/replication.yaml';

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

/** Reads and validates the manifest at `path`; a file that cannot be read is a ManifestError as well. */
export async function loadManifest(path: string): Promise<LoadedManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(cause);
    throw new ManifestError(
      [{ file: path, line: 1, column: 1, message: `cannot read the manifest: ${reason}` }],
      {
        cause,
      },
    );
  }
  return parseManifest(text, path);
}
