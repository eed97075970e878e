/** The manifest module's public face: load, parse, translate the seed's env, summarise. */
export { formatIssue, ManifestError, type ManifestIssue } from './errors.js';
export {
  DEFAULT_MANIFEST_PATH,
  type LoadedManifest,
  type LoadOptions,
  loadManifest,
  MANIFEST_MAX_BYTES,
  parseManifest,
  unreadableManifest,
} from './load.js';
export { issueNotice } from './notices.js';
export {
  DEFAULT_MANIFEST_ID,
  DEFAULT_MAX_DELETE_PERCENT,
  DEFAULT_MAX_DELETES,
  DEFAULT_OWNERSHIP_TAG,
  DEFAULT_THROUGHPUT,
  OWNER_TAG_KEY,
} from './resolve.js';
export { manifestFromSeedEnv, SEED_REPLICATION_NAME, type SeedEnvResult } from './seed-env.js';
export { levenshtein, suggest } from './suggest.js';
export { summarize } from './summary.js';
export type * from './types.js';
