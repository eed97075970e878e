import { ManifestError, parseManifest } from '../../src/manifest/index.js';

/** Lines joined into a manifest text, so each case reads like the file it stands for. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** The first lines of most cases: lines 1-3. */
export const HEAD = ['version: 1', 'source:', '  region: ap-south-1'];

/** A replication named app of /prod/app starting at line 4, with the given destination lines from line 8. */
export function withDestinations(...destinationLines: string[]): string {
  return yaml(
    ...HEAD,
    'replications:',
    '  - name: app',
    '    paths: [/prod/app]',
    '    destinations:',
    ...destinationLines,
  );
}

export type Found = [line: number, column: number, message: string];

/** Every error of an invalid manifest as [line, column, message]; fails when the manifest is valid. */
export function errorsOf(text: string, file = 'm.yaml'): Found[] {
  try {
    parseManifest(text, file);
  } catch (error) {
    if (error instanceof ManifestError) return error.issues.map((i) => [i.line, i.column, i.message]);
    throw error;
  }
  throw new Error('expected the manifest to be rejected, but it validated');
}

export function warningsOf(text: string): Found[] {
  return parseManifest(text, 'm.yaml').warnings.map((w) => [w.line, w.column, w.message]);
}
