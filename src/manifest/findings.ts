import { byPosition, type ManifestIssue } from './errors.js';
import type { Locator } from './locator.js';

/** Collects errors and warnings at pointers, so each check only says what is wrong and where in the data. */
export class Findings {
  readonly errors: ManifestIssue[] = [];
  readonly warnings: ManifestIssue[] = [];

  constructor(readonly locator: Locator) {}

  error(pointer: string, message: string | undefined, part: 'key' | 'value' = 'value'): void {
    if (message !== undefined) this.errors.push({ ...this.locator.position(pointer, part), message });
  }

  warning(pointer: string, message: string | undefined): void {
    if (message !== undefined) this.warnings.push({ ...this.locator.position(pointer), message });
  }

  /** `line 12`, for messages that point back at an earlier occurrence. */
  line(pointer: string): string {
    return `line ${this.locator.position(pointer).line}`;
  }
}

/** In file order, each distinct (place, message) once: defaults shared by many destinations would repeat. */
export function tidy(issues: readonly ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  return [...issues].sort(byPosition).filter((issue) => {
    const key = `${issue.file}:${issue.line}:${issue.column}:${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
