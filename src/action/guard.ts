import type { SecretRegistry } from '../render/redact.js';
import { sanitizeDocument, sanitizeLine } from '../render/sanitize.js';
import type { GitHubPort } from './github/port.js';
import type { ActionHost, AnnotationProperties } from './host.js';

/**
 * The runner reads `::command::` (and the older `##[command]`) at the start of any log line. Renderers
 * never start a line with untrusted text, but a zero-width space after the first character makes sure
 * no line of ours is taken for a command, whatever it holds.
 */
const WORKFLOW_COMMAND = /^(\s*)(:|#)(?=:|#\[)/gm;
const defuseCommands = (text: string) => text.replace(WORKFLOW_COMMAND, '$1$2\u200b');

function properties(
  p: AnnotationProperties | undefined,
  secrets: SecretRegistry,
): AnnotationProperties | undefined {
  if (!p) return undefined;
  return {
    ...p,
    ...(p.title !== undefined ? { title: sanitizeLine(p.title, secrets, 200) } : {}),
    ...(p.file !== undefined ? { file: sanitizeLine(p.file, secrets) } : {}),
  };
}

/**
 * The runner with every channel through the sanitizer: annotations, outputs and the failure are one
 * line each (the runner escapes newlines in annotations, but passes ESC through); log lines and the
 * summary are documents. `setSecret` goes straight through: it is what feeds the runner's own masking.
 */
export function guardedHost(host: ActionHost, secrets: SecretRegistry): ActionHost {
  const line = (s: string) => sanitizeLine(s, secrets);
  return {
    getInput: (name) => host.getInput(name),
    setOutput: (name, value) => host.setOutput(name, line(value)),
    setSecret: (value) => host.setSecret(value),
    info: (message) => host.info(defuseCommands(sanitizeDocument(message, secrets))),
    notice: (message, p) => host.notice(line(message), properties(p, secrets)),
    warning: (message, p) => host.warning(line(message), properties(p, secrets)),
    error: (message, p) => host.error(line(message), properties(p, secrets)),
    setFailed: (message) => host.setFailed(line(message)),
    writeSummary: (markdown) => host.writeSummary(sanitizeDocument(markdown, secrets)),
    onCancel: (listener) => host.onCancel(listener),
  };
}

/**
 * GitHub with every body and title it is sent through the sanitizer. What is posted through the API
 * is not covered by the runner's log masking, so this is the only thing between a secret and a PR.
 */
export function guardedGitHub(port: GitHubPort, secrets: SecretRegistry): GitHubPort {
  const doc = (s: string) => sanitizeDocument(s, secrets);
  return {
    listIssueComments: (repo, n) => port.listIssueComments(repo, n),
    createIssueComment: (repo, n, body) => port.createIssueComment(repo, n, doc(body)),
    updateIssueComment: (repo, id, body) => port.updateIssueComment(repo, id, doc(body)),
    listPullRequestsForCommit: (repo, sha) => port.listPullRequestsForCommit(repo, sha),
    listIssues: (repo, query) => port.listIssues(repo, query),
    createIssue: (repo, issue) =>
      port.createIssue(repo, {
        ...issue,
        title: sanitizeLine(issue.title, secrets, 256),
        body: doc(issue.body),
      }),
    updateIssue: (repo, n, changes) =>
      port.updateIssue(repo, n, {
        ...changes,
        ...(changes.title !== undefined ? { title: sanitizeLine(changes.title, secrets, 256) } : {}),
        ...(changes.body !== undefined ? { body: doc(changes.body) } : {}),
      }),
  };
}
