import type { Keyed } from '../keyed.js';
import type { ParameterType } from '../model.js';

/**
 * The validated, fully resolved manifest the core works with. The YAML (kebab-case keys, a `defaults`
 * block) is turned into this by the loader: every destination carries its effective options, so no
 * other module ever merges defaults again.
 */
export interface Manifest {
  version: 1;
  /**
   * Stable identity, recorded on every replica in the owner tag (`<id>/<replication>`); `default` when the
   * manifest sets none. A manifest only updates or deletes replicas whose owner tag names it.
   */
  id: string;
  /** Owners (`<id>` or `<id>/<replication>`) whose replicas this manifest takes over: renames. */
  previousOwners: string[];
  source: SourceConfig;
  /** The tag every replica carries; only parameters with this exact key and value are ever deleted. */
  ownershipTag: { key: string; value: string };
  /** How plans show values: `none` never shows any value; `non-secret` shows String/StringList values, truncated. */
  valueDisplay: ValueDisplay;
  /** Client-side rate limits (transactions per second) per account and region; AWS standard throughput by default. */
  throughput: Throughput;
  replications: Replication[];
}

export type ValueDisplay = 'none' | 'non-secret';

export interface SourceConfig {
  region: string;
  /** Role to assume for reading the source (cross-account); the ambient credentials otherwise. */
  roleArn?: string;
}

export interface Throughput {
  /** PutParameter, per second. AWS default: 3 (standard throughput). */
  put: number;
  /** GetParameter(s)/GetParametersByPath, per second, shared. AWS default: 40. */
  get: number;
  /** DescribeParameters and the other control-plane calls, per second. */
  describe: number;
}

export interface Replication {
  name: string;
  /** Path prefixes in the source, e.g. `/prod/app`; a prefix matches itself and everything below it. */
  paths: string[];
  /** Glob patterns (`*` one level, `**` any depth) of source names to leave out. */
  exclude: string[];
  /** A path of `/` (or one rewritten to `/`) is refused unless this is set: it reaches a whole region. */
  allowWholeRegion: boolean;
  destinations: Destination[];
}

export type DeletePolicy = 'sync' | 'keep';

export interface Destination {
  region: string;
  roleArn?: string;
  /** KMS key for SecureString replicas in this region; `alias/aws/ssm` when absent (mrk- keys map to their replica). */
  kmsKeyId?: string;
  /** Replace the leading `from` of each source name with `to`. */
  pathRewrite?: { from: string; to: string };
  deletes: DeletePolicy;
  /** Per region per run; over it the plan is blocked. */
  maxDeletes: number;
  /**
   * Largest share (percent) of the replicas a replication manages in this region that one run may delete;
   * over it (and over one delete) the plan is blocked.
   */
  maxDeletePercent: number;
  /** Added to every replica (on top of the source's tags and the ownership tag). */
  tags: Keyed<string>;
  /** Force the replica type (the seed's DEST_PARAM_TYPE); the source type otherwise. */
  type?: ParameterType;
  /** `aws:ec2:image` parameters: skipped (AMI ids are regional) unless a per-region value map is given. */
  ec2Image: Ec2ImagePolicy;
  /** Take over destination parameters that exist without the ownership tag (otherwise reported, never touched). */
  adopt: boolean;
  /** Allow deletes when a source path lists zero parameters (otherwise such a plan is blocked). */
  allowEmptySource: boolean;
}

export type Ec2ImagePolicy =
  | { mode: 'skip' }
  /** Source AMI id → AMI id in this destination region. Unmapped ids are skipped with a warning. */
  | { mode: 'map'; amis: Keyed<string> };
