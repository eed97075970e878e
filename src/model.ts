import { inspect } from 'node:util';
import type { Keyed } from './keyed.js';

/** Parameter types Parameter Store accepts (PutParameter `Type`). */
export type ParameterType = 'String' | 'StringList' | 'SecureString';
export const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];

/** The tier a parameter actually has. `Intelligent-Tiering` is a put-time choice that resolves to one of these. */
export type Tier = 'Standard' | 'Advanced';

const REDACTED = '[redacted]';

/**
 * A parameter value held in memory. It never renders itself: `String(v)`, `JSON.stringify(v)`,
 * template literals and `util.inspect` (console.log, vitest diffs) all print `[redacted]`.
 * The only way out is `reveal()`, which callers use to write to AWS or, for non-secret values
 * the manifest allows to be shown, to render a plan.
 */
export class ParameterValue {
  readonly #value: string;
  readonly secret: boolean;

  constructor(value: string, secret: boolean) {
    this.#value = value;
    this.secret = secret;
  }

  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  equals(other: ParameterValue): boolean {
    return this.#value === other.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/**
 * One parameter as read from a region: DescribeParameters' metadata and its tags, at one version, and
 * its value only where the read asked for it (plans read metadata; see inventory/read.ts).
 */
export interface LiveParameter {
  name: string;
  type: ParameterType;
  /** Absent unless the value was read: a metadata inventory proves equality by sync records instead. */
  value?: ParameterValue;
  version: number;
  tier: Tier;
  /** Absent when the parameter has no description. */
  description?: string;
  allowedPattern?: string;
  /** Policy documents (PolicyText) in the order AWS lists them. */
  policies: string[];
  /** `text`, `aws:ec2:image` or `aws:ssm:integration`. */
  dataType: string;
  /** KMS key reference as DescribeParameters reports it; SecureString only. */
  keyId?: string;
  /**
   * Built by `keyed` (see keyed.ts): a tag key may be `constructor` or `__proto__`. Every tag but the
   * sync record, which is `syncRecord`.
   */
  tags: Keyed<string>;
  /** The `ssm-replicate:sync` tag's value, as found (untrusted; see plan/sync-record.ts). */
  syncRecord?: string;
  /**
   * DescribeParameters' LastModifiedDate, in epoch milliseconds: when the current version was written.
   * A number rather than ISO text, which would cost 24 bytes more per parameter (millions of bytes per
   * region); `isoDate` turns it into text where a sentence shows it.
   */
  lastModifiedDate?: number;
  /** DescribeParameters' LastModifiedUser (an IAM ARN): who wrote the current version. Untrusted text. */
  lastModifiedUser?: string;
}

/** Everything under some path prefixes (or some names) of one (account, region). */
export interface RegionInventory {
  region: string;
  account?: string;
  parameters: Map<string, LiveParameter>;
}

/**
 * Returns one object per distinct tag set: replicas mostly carry the same few sets, and sharing them keeps
 * a 100,000-parameter region small. Callers never mutate a parameter's tags in place.
 */
export function tagInterner(): (tags: Keyed<string>) => Keyed<string> {
  const seen = new Map<string, Keyed<string>>();
  return (tags) => {
    const key = JSON.stringify(tags);
    const known = seen.get(key);
    if (known) return known;
    seen.set(key, tags);
    return tags;
  };
}

/** Returns one copy of each distinct string it is given: the first one. */
export function stringInterner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const known = seen.get(s);
    if (known !== undefined) return known;
    seen.set(s, s);
    return s;
  };
}
