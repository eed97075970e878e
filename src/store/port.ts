import type { Keyed } from '../keyed.js';
import type { LiveParameter, ParameterType, Tier } from '../model.js';

/** DescribeParameters' view of a parameter: everything but its value, tags and sync record. */
export type ParameterMetadata = Omit<LiveParameter, 'value' | 'tags' | 'syncRecord'>;

/**
 * The region-wide tag listing. Sync records (one distinct value per replica) are kept apart from the
 * other tags, so the many replicas that carry the same tag set still share one object.
 */
export interface TagListing {
  tags: Map<string, Keyed<string>>;
  syncRecords: Map<string, string>;
}

/** GetParameters' view: the value at some version (a SecureString's ciphertext unless decrypted). */
export interface ParameterValueRecord {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
}

export interface PutRequest {
  name: string;
  value: string;
  type: ParameterType;
  tier: Tier;
  overwrite: boolean;
  description: string;
  allowedPattern?: string;
  /** JSON array of policies; Advanced only. */
  policies?: string;
  dataType: string;
  keyId?: string;
  /** Only on create: AWS refuses Tags together with Overwrite. */
  tags?: Keyed<string>;
}

export interface KeyInfo {
  keyId: string;
  arn: string;
  enabled: boolean;
  state: string;
  /** `SYMMETRIC_DEFAULT` for the only keys Parameter Store can use. */
  keySpec?: string;
  keyUsage?: string;
  /** `AWS` for an AWS managed key (aws/ssm), `CUSTOMER` otherwise. */
  keyManager?: string;
}

/**
 * One (account, region) of Parameter Store plus the KMS lookups the planner and applier need. Listing
 * methods return complete results or throw: there is no partial answer, so nobody can mistake a failed
 * page for an empty path.
 */
export interface ParameterStore {
  readonly region: string;
  /** The account id, when the adapter knows it (STS GetCallerIdentity or the assumed role). */
  account(): Promise<string | undefined>;
  /**
   * DescribeParameters with a recursive Path filter, every page, each handed to `onPage` as it arrives
   * (nothing is accumulated, so a 100,000-parameter path costs one page of memory here). The next page
   * is not asked for until `onPage` settles, which lets the caller apply backpressure.
   */
  describePath(path: string, onPage: (page: ParameterMetadata[]) => void | Promise<void>): Promise<void>;
  /** DescribeParameters with a Name Equals filter (≤ 50 names per call). */
  describeNames(names: readonly string[]): Promise<ParameterMetadata[]>;
  /**
   * GetParameters (≤ 10 names per call); names that do not exist are left out. `decrypt` is
   * WithDecryption: only apply, `--verify values` and event-driven runs ask for it (a plan never does).
   */
  getValues(names: readonly string[], decrypt: boolean): Promise<ParameterValueRecord[]>;
  /**
   * Tags of every tagged parameter the region lists (tagging API GetResources), by name. Undefined when
   * that API is not available to us (AccessDenied): callers fall back to `listTags`. `internName` gives
   * each name as the caller holds it (see ReadOptions.internName), so the listing's keys cost nothing more.
   */
  taggedParameters(internName?: (name: string) => string): Promise<TagListing | undefined>;
  /** ListTagsForResource for one parameter. */
  listTags(name: string): Promise<Keyed<string>>;
  put(request: PutRequest): Promise<{ version: number; tier: Tier }>;
  addTags(name: string, tags: Keyed<string>): Promise<void>;
  removeTags(name: string, keys: readonly string[]): Promise<void>;
  /** DeleteParameters (≤ 10 names per call); returns the names AWS reported as not found. */
  deleteParameters(names: readonly string[]): Promise<{ deleted: string[]; notFound: string[] }>;
  /** DescribeKey; undefined when the key or alias does not exist in this region. */
  describeKey(keyRef: string): Promise<KeyInfo | undefined>;
}

/** Builds the store for a destination or the source: the shells pass one in, tests point it at the local endpoint. */
export type StoreFactory = (target: { region: string; roleArn?: string }) => ParameterStore;
