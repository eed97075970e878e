import { checkFields } from './checks.js';
import type { ManifestIssue } from './errors.js';
import { Findings, tidy } from './findings.js';
import type { Locator } from './locator.js';
import type { RawManifest } from './raw.js';
import { checkRelations } from './relations.js';
import { resolve } from './resolve.js';
import { schemaIssues } from './schema.js';
import type { Manifest } from './types.js';

export interface ValidationResult {
  /** Present exactly when there are no errors. */
  manifest?: Manifest;
  errors: ManifestIssue[];
  warnings: ManifestIssue[];
}

/**
 * Schema, then single values, then relations between values. The first two always run so one pass shows
 * every local mistake; relations need the shape the schema guarantees, so they wait until it holds.
 */
export function validateData(data: unknown, locator: Locator): ValidationResult {
  const out = new Findings(locator);
  out.errors.push(...schemaIssues(data, locator));
  const shaped = out.errors.length === 0;
  checkFields(data, out);
  let manifest: Manifest | undefined;
  if (shaped) {
    manifest = resolve(data as RawManifest);
    checkRelations(manifest, data as RawManifest, out);
  }
  const errors = tidy(out.errors);
  const warnings = tidy(out.warnings);
  return errors.length === 0 && manifest ? { manifest, errors, warnings } : { errors, warnings };
}
