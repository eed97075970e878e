import type { SourcePosition } from '../io.js';

/** One problem in a manifest, at the place a user has to edit to fix it. */
export interface ManifestIssue extends SourcePosition {
  message: string;
}

/** Thrown by the loader with every problem found, so one run shows the user all there is to fix. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  readonly issues: readonly ManifestIssue[];
  /** Warnings found alongside the errors, so a shell can show them too. */
  readonly warnings: readonly ManifestIssue[];

  constructor(
    issues: readonly ManifestIssue[],
    options: { cause?: unknown; warnings?: readonly ManifestIssue[] } = {},
  ) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(first ? `${formatIssue(first)}${more}` : 'invalid manifest', { cause: options.cause });
    this.issues = issues;
    this.warnings = options.warnings ?? [];
  }
}

export function formatIssue(issue: ManifestIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}

/** Sorted by place, so output reads top to bottom like the file. */
export function byPosition(a: ManifestIssue, b: ManifestIssue): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
