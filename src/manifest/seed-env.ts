import type { SourcePosition } from '../io.js';
import { ManifestError, type ManifestIssue } from './errors.js';
import { dottedLabel, type Locator } from './locator.js';
import { q } from './quote.js';
import type { RawDestination, RawManifest } from './raw.js';
import type { Manifest } from './types.js';
import { validateData } from './validate.js';

/** The one replication the seed's environment describes. */
export const SEED_REPLICATION_NAME = 'env';

export interface SeedEnvResult {
  manifest: Manifest;
  /** DRY_RUN: plan only, never write. Kept apart from the manifest, since it is about a run, not the setup. */
  dryRun: boolean;
  warnings: ManifestIssue[];
}

/**
 * What the seed did, said in the manifest's terms. It wrote with Overwrite=True whatever was at the
 * destination name and never tagged its replicas: adopting untagged same-name parameters is how the
 * translation keeps doing that (otherwise every replica the seed wrote would stay unmanaged, never
 * updated again). It replicated every source delete: `sync`, within the default delete guardrails, and
 * only for replicas this manifest owns (adopted ones included) — a destination parameter whose source
 * was already gone before the switch is left alone and reported.
 */
const SEED_BEHAVIOUR = { adopt: true, deletes: 'sync' } as const satisfies Partial<RawDestination>;

interface Item {
  value: string;
  column: number;
}

/**
 * Translates the seed Lambda's environment (DEST_REGIONS, PARAM_PATHS, DEST_KMS_KEY_ID, DEST_PARAM_TYPE,
 * DRY_RUN) into the same resolved manifest the YAML gives, checked by the same rules. Problems are reported
 * as `VARIABLE:1:column`, the column pointing into the variable's value. Pure: the caller passes the env.
 * Every destination adopts and syncs deletes, as the seed did (see SEED_BEHAVIOUR).
 */
export function manifestFromSeedEnv(
  env: Record<string, string | undefined>,
  sourceRegion: string,
): SeedEnvResult {
  const own: ManifestIssue[] = [];
  const warnings: ManifestIssue[] = [];
  const at = (file: string, column = 1): SourcePosition => ({ file, line: 1, column });
  const need = (name: string, example: string): Item[] => {
    const items = splitList(env[name] ?? '');
    if (items.length === 0) {
      own.push({ ...at(name), message: `${name} is not set; give a comma-separated list, e.g. ${example}` });
    }
    return items;
  };
  const paths = need('PARAM_PATHS', '/prod/app,/prod/api');
  const root = paths.find((p) => p.value === '/');
  if (root) {
    // The manifest's opt-in (allow-whole-region) has no variable: the seed's env cannot say it means it.
    own.push({
      ...at('PARAM_PATHS', root.column),
      message: `PARAM_PATHS includes '/', which replicates every parameter of ${sourceRegion} and lets deletes reach every replica in each destination; list the paths to replicate, or use a manifest (SSM_REPLICATE_MANIFEST) with allow-whole-region: true`,
    });
  }
  const regions = need('DEST_REGIONS', 'us-east-1,eu-west-1').filter((region) => {
    if (region.value !== sourceRegion) return true;
    // The seed skips its own region at run time, so one env can be deployed to every region; keep allowing it.
    warnings.push({
      ...at('DEST_REGIONS', region.column),
      message: `${region.value} is the region this runs in (the source); it is skipped as a destination`,
    });
    return false;
  });
  if (regions.length === 0 && own.every((issue) => issue.file !== 'DEST_REGIONS')) {
    own.push({
      ...at('DEST_REGIONS'),
      message: `DEST_REGIONS names no region other than the source ${sourceRegion}`,
    });
  }
  const dryRun = parseDryRun(env.DRY_RUN, own);

  const kmsKeyId = env.DEST_KMS_KEY_ID?.trim() || undefined;
  const type = env.DEST_PARAM_TYPE?.trim() || undefined;
  const raw = {
    version: 1,
    source: { region: sourceRegion },
    replications: [
      {
        name: SEED_REPLICATION_NAME,
        paths: paths.map((p) => p.value),
        destinations: regions.map(
          (r) =>
            ({
              region: r.value,
              ...SEED_BEHAVIOUR,
              ...(kmsKeyId === undefined ? {} : { 'kms-key-id': kmsKeyId }),
              ...(type === undefined ? {} : { type }),
            }) as RawDestination,
        ),
      },
    ],
  } satisfies RawManifest;

  const result = validateData(raw, envLocator(paths, regions));
  const reported = new Set(own.map((issue) => issue.file));
  // An empty list is already reported above, in words that name the variable; the schema would repeat it.
  const errors = [...own, ...result.errors.filter((issue) => !reported.has(issue.file))];
  warnings.push(...result.warnings);
  if (errors.length > 0 || !result.manifest) throw new ManifestError(errors, { warnings });
  return { manifest: result.manifest, dryRun, warnings };
}

function splitList(value: string): Item[] {
  const items: Item[] = [];
  let offset = 0;
  for (const part of value.split(',')) {
    const lead = part.length - part.trimStart().length;
    if (part.trim() !== '') items.push({ value: part.trim(), column: offset + lead + 1 });
    offset += part.length + 1;
  }
  return items;
}

/** The seed treated anything but "true" as false, so DRY_RUN=yes wrote for real; refuse to guess instead. */
function parseDryRun(value: string | undefined, issues: ManifestIssue[]): boolean {
  const flag = (value ?? '').trim().toLowerCase();
  if (flag === 'true') return true;
  if (flag !== '' && flag !== 'false') {
    issues.push({
      file: 'DRY_RUN',
      line: 1,
      column: 1,
      message: `DRY_RUN must be true or false, got ${q(value ?? '')}`,
    });
  }
  return false;
}

function envLocator(paths: Item[], regions: Item[]): Locator {
  const routes: [RegExp, string, (index: number) => number][] = [
    [/^\/replications\/0\/paths(?:\/(\d+))?/, 'PARAM_PATHS', (k) => paths[k]?.column ?? 1],
    [/^\/replications\/0\/destinations\/(\d+)\/region/, 'DEST_REGIONS', (k) => regions[k]?.column ?? 1],
    [/^\/replications\/0\/destinations(?:\/\d+)?$/, 'DEST_REGIONS', () => 1],
    [/\/kms-key-id$/, 'DEST_KMS_KEY_ID', () => 1],
    [/\/type$/, 'DEST_PARAM_TYPE', () => 1],
    [/^\/source\/region$/, 'AWS_REGION', () => 1],
  ];
  const find = (pointer: string) => {
    for (const [pattern, file, column] of routes) {
      const match = pattern.exec(pointer);
      if (match) return { file, column: column(Number(match[1] ?? 0)) };
    }
    return undefined;
  };
  return {
    position(pointer) {
      const hit = find(pointer);
      return { file: hit?.file ?? 'environment', line: 1, column: hit?.column ?? 1 };
    },
    label(pointer) {
      return find(pointer)?.file ?? dottedLabel(pointer);
    },
  };
}
