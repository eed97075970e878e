/**
 * The output port. The core reports through it and never writes to stdout itself; each shell (CLI, Action,
 * Lambda) supplies an implementation that maps notices onto its medium: lines, annotations, structured logs.
 */

/** A place in a file, 1-based as editors and GitHub annotations count. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export type NoticeLevel = 'info' | 'warning' | 'error';

export interface Notice {
  level: NoticeLevel;
  message: string;
  /** Present when the notice is about a place in a file, e.g. a manifest key. */
  position?: SourcePosition;
  /** Stable machine-readable code where one exists, e.g. `manifest-invalid`. */
  code?: string;
}

export interface Reporter {
  notify(notice: Notice): void;
}

/** `file:line:column: message`, the form editors and compilers use, so terminals make it clickable. */
export function formatNotice(notice: Notice): string {
  const { position } = notice;
  const where = position ? `${position.file}:${position.line}:${position.column}: ` : '';
  const level = notice.level === 'warning' ? 'warning: ' : '';
  return `${where}${level}${notice.message}`;
}
