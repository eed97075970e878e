import type { Notice, NoticeLevel } from '../io.js';
import type { ManifestIssue } from './errors.js';

/** A manifest issue as a notice for a Reporter, keeping its place so shells can make it clickable. */
export function issueNotice(issue: ManifestIssue, level: NoticeLevel): Notice {
  const { file, line, column, message } = issue;
  return {
    level,
    message,
    position: { file, line, column },
    code: level === 'error' ? 'manifest-invalid' : 'manifest-warning',
  };
}
