import { isAbsolute, join, posix } from 'node:path';
import {
  formatIssue,
  MANIFEST_MAX_BYTES,
  type Manifest,
  ManifestError,
  type ManifestIssue,
  manifestFromSeedEnv,
  parseManifest,
  unreadableManifest,
} from '../manifest/index.js';
import { clip } from '../render/escape.js';
import { decodeText, TextFileError } from '../text-file.js';
import { type ObjectReader, parseS3Uri } from './s3-manifest.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Where the function's configuration came from, for the cold-start log line. */
export type ConfigOrigin = 'SSM_REPLICATE_MANIFEST' | 'seed environment' | 'bundled manifest';

export interface LambdaConfig {
  manifest: Manifest;
  /** DRY_RUN=true: plan and log, never write. */
  dryRun: boolean;
  origin: ConfigOrigin;
  warnings: ManifestIssue[];
}

export interface ConfigSources {
  env: Env;
  /**
   * Text of a manifest file; the handler's reads only regular UTF-8 files (text-file.ts) and, given
   * `within`, only one that lies inside that directory once every link is followed.
   */
  readFile: (path: string, within?: string) => Promise<string>;
  /** The directory of the bundle (Lambda's task root): bundled and relative manifest paths resolve here. */
  bundleDir: string;
  /** S3 GetObject, for SSM_REPLICATE_MANIFEST=s3://BUCKET/KEY; only called then. */
  readObject?: ObjectReader;
}

/** The configuration is unusable; `problems` are `file:line:column: message` lines, as the CLI prints them. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly problems: readonly string[],
    readonly warnings: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(`Invalid ssm-replicate configuration:\n${problems.join('\n')}`, options);
  }
}

export const MANIFEST_VAR = 'SSM_REPLICATE_MANIFEST';
/** SSM_REPLICATE_MANIFEST=file:PATH: a manifest in the deployment package, PATH relative to its root. */
export const FILE_PREFIX = 'file:';
export const BUNDLED_MANIFEST = 'config/replication.yaml';
const SEED_VARS = ['DEST_REGIONS', 'PARAM_PATHS', 'DEST_KMS_KEY_ID', 'DEST_PARAM_TYPE'];

/** A value that is YAML rather than a path: multi-line, or a one-line flow mapping / `version:` document. */
export function isInlineManifest(value: string): boolean {
  return value.includes('\n') || value.startsWith('version:') || value.startsWith('{');
}

/**
 * Reads the configuration once, at cold start, in this order: SSM_REPLICATE_MANIFEST (inline YAML, a
 * file in the package file:PATH, a path, or an S3 object s3://BUCKET/KEY), the seed's variables (DEST_REGIONS, PARAM_PATHS, …; the source is AWS_REGION), a manifest bundled
 * next to the code. Checked by the same rules, with the same messages, as the CLI's `validate`.
 */
export async function loadConfig(sources: ConfigSources): Promise<LambdaConfig> {
  const { env } = sources;
  const inline = env[MANIFEST_VAR]?.trim() ?? '';
  const seed = SEED_VARS.filter((v) => (env[v] ?? '').trim() !== '');
  if (inline !== '' && seed.length > 0) {
    throw new ConfigError([
      `${MANIFEST_VAR}:1:1: set either ${MANIFEST_VAR} or the seed variables (${seed.join(', ')}), not both`,
    ]);
  }
  try {
    let config: LambdaConfig;
    if (inline !== '') config = await fromManifestVar(inline, sources);
    else if (seed.length > 0) config = fromSeed(env);
    else config = await fromBundle(sources);
    const region = env.AWS_REGION;
    if (region && region !== config.manifest.source.region) {
      config.warnings.push({
        file: config.origin,
        line: 1,
        column: 1,
        message: `this function runs in ${region} but the source region is ${config.manifest.source.region}: EventBridge only delivers events from its own region, so every event will be ignored; deploy the stack in ${config.manifest.source.region}`,
      });
    }
    return config;
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    throw new ConfigError(error.issues.map(formatIssue), error.warnings.map(formatIssue), { cause: error });
  }
}

async function fromManifestVar(value: string, sources: ConfigSources): Promise<LambdaConfig> {
  if (isInlineManifest(value))
    return withDryRun(parseManifest(value, MANIFEST_VAR), 'SSM_REPLICATE_MANIFEST', sources.env);
  if (value.startsWith(FILE_PREFIX)) {
    const file = packagedPath(value.slice(FILE_PREFIX.length).trim());
    const text = await readPackaged(file, sources);
    return withDryRun(parseManifest(text, file), 'SSM_REPLICATE_MANIFEST', sources.env);
  }
  if (value.startsWith('s3://')) {
    const text = await readObject(value, sources);
    return withDryRun(parseManifest(text, value), 'SSM_REPLICATE_MANIFEST', sources.env);
  }
  const path = isAbsolute(value) ? value : join(sources.bundleDir, value);
  const text = await read(path, value, sources);
  return withDryRun(parseManifest(text, value), 'SSM_REPLICATE_MANIFEST', sources.env);
}

function fromSeed(env: Env): LambdaConfig {
  const region = env.AWS_REGION?.trim();
  if (!region) {
    throw new ManifestError([
      {
        file: 'AWS_REGION',
        line: 1,
        column: 1,
        message: 'AWS_REGION is not set; it names the source region',
      },
    ]);
  }
  const { manifest, dryRun, warnings } = manifestFromSeedEnv({ ...env }, region);
  return { manifest, dryRun, origin: 'seed environment', warnings };
}

async function fromBundle(sources: ConfigSources): Promise<LambdaConfig> {
  const path = join(sources.bundleDir, BUNDLED_MANIFEST);
  let text: string;
  try {
    text = await sources.readFile(path);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadableManifest(BUNDLED_MANIFEST, cause);
    throw new ConfigError(
      [
        `${MANIFEST_VAR}:1:1: no configuration: set ${MANIFEST_VAR} (inline YAML or a path), or the seed variables DEST_REGIONS and PARAM_PATHS, or bundle ${BUNDLED_MANIFEST} next to index.mjs`,
      ],
      [],
      { cause },
    );
  }
  return withDryRun(parseManifest(text, BUNDLED_MANIFEST), 'bundled manifest', sources.env);
}

/**
 * A manifest too large for the environment (Lambda allows 4 KB for all variables together), from S3:
 * the same size cap and the same UTF-8 rules as a manifest file. A failure retrying cannot fix is a
 * configuration error; any other (throttling, network) is thrown as it is, so the next invocation retries.
 */
async function readObject(value: string, sources: ConfigSources): Promise<string> {
  try {
    const location = parseS3Uri(value);
    if (!location || !sources.readObject) throw new TextFileError('S3 manifests are not available here');
    return decodeText(await sources.readObject(location, MANIFEST_MAX_BYTES));
  } catch (cause) {
    if (cause instanceof TextFileError) throw unreadableManifest(value, cause);
    throw cause;
  }
}

/**
 * The PATH of file:PATH, checked before anything is read: relative, and no `..` step, so it names a file
 * in the package whatever the function's root is. Links out of the root are refused when it is read.
 */
function packagedPath(path: string): string {
  const refuse = (why: string) =>
    new ManifestError([
      {
        file: MANIFEST_VAR,
        line: 1,
        column: FILE_PREFIX.length + 1,
        message: `${FILE_PREFIX}${clip(path, 120)}: ${why}; name a file in the deployment package relative to its root, e.g. ${FILE_PREFIX}replication.yaml`,
      },
    ]);
  if (path === '') throw refuse('no path after file:');
  if (path.includes('\0')) throw refuse('the path contains a NUL character');
  if (isAbsolute(path) || path.startsWith('\\')) throw refuse('an absolute path');
  if (path.split(/[/\\]/).includes('..')) throw refuse('a path out of the package (..)');
  return posix.normalize(path);
}

/** A file:PATH manifest, read only inside the function's root; a missing one says where it was looked for. */
async function readPackaged(file: string, sources: ConfigSources): Promise<string> {
  try {
    return await sources.readFile(join(sources.bundleDir, file), sources.bundleDir);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadableManifest(file, cause);
    throw new ManifestError(
      [
        {
          file,
          line: 1,
          column: 1,
          message: `cannot read the manifest: no such file in the function's root (LAMBDA_TASK_ROOT, where index.mjs is); add ${clip(file, 120)} to the zip next to index.mjs, as README "Deploying the Lambda" shows`,
        },
      ],
      { cause },
    );
  }
}

/** Like loadManifest, but through the injected reader; the messages are the CLI's. */
async function read(path: string, shown: string, sources: ConfigSources): Promise<string> {
  try {
    return await sources.readFile(path);
  } catch (cause) {
    throw unreadableManifest(shown, cause);
  }
}

function withDryRun(
  loaded: { manifest: Manifest; warnings: ManifestIssue[] },
  origin: ConfigOrigin,
  env: Env,
): LambdaConfig {
  // Same rule as the seed translation: anything but true/false is refused rather than read as false.
  const flag = (env.DRY_RUN ?? '').trim().toLowerCase();
  if (flag !== '' && flag !== 'true' && flag !== 'false') {
    throw new ManifestError(
      [
        {
          file: 'DRY_RUN',
          line: 1,
          column: 1,
          message: `DRY_RUN must be true or false, got '${env.DRY_RUN}'`,
        },
      ],
      { warnings: loaded.warnings },
    );
  }
  return { manifest: loaded.manifest, dryRun: flag === 'true', origin, warnings: [...loaded.warnings] };
}
