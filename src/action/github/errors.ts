/** A comment or issue the Action owns could not be written or read back as the protocol requires. */
export class GitHubProtocolError extends Error {
  override readonly name = 'GitHubProtocolError';
}

/** The event payload lacks a field the chosen route needs (a hand-made `workflow_dispatch`, a new event shape). */
export class EventPayloadError extends Error {
  override readonly name = 'EventPayloadError';
}
