import { AwsError } from './errors.js';
import { keyNotFound, newKey, resolveKey } from './kms-core.js';
import type { KeyRecord, ParameterRecord, Principal, ScopeData } from './model.js';
import { type ParameterLimits, type PutResult, putParameter } from './ssm-put.js';

export const DEFAULT_ACCOUNT = '123456789012';

export interface SeedParameter {
  account?: string;
  region: string;
  name: string;
  value: string;
  type: 'String' | 'StringList' | 'SecureString';
  tier?: 'Standard' | 'Advanced' | 'Intelligent-Tiering';
  keyId?: string;
  description?: string;
  tags?: Record<string, string>;
  dataType?: string;
  allowedPattern?: string;
  /** JSON policy array, as PutParameter takes it. */
  policies?: string;
}

export interface SeedKey {
  region: string;
  account?: string;
  /** Alias name (`alias/...`) to point at the key. */
  alias?: string;
  multiRegion?: boolean;
  /** Reuse an id, e.g. the same `mrk-` id in a second region to model a multi-region replica. */
  keyId?: string;
  enabled?: boolean;
  description?: string;
}

/** Opaque copy of all state, from `snapshot()`. */
export interface StateSnapshot {
  readonly scopes: Map<string, ScopeData>;
  readonly principals: Map<string, Principal>;
}

/**
 * All (account, region) scopes plus the access keys AssumeRole handed out. Seeding helpers run the
 * same rules as the API (a seeded parameter that AWS would reject is rejected) but skip throttling,
 * faults and the call log.
 */
export class EndpointState {
  readonly defaultAccount: string;
  private scopes = new Map<string, ScopeData>();
  private principals = new Map<string, Principal>();
  private readonly clock: () => number;
  private readonly limits: ParameterLimits;
  private readonly initialAmis: Record<string, string[]>;

  constructor(options: {
    clock: () => number;
    defaultAccount: string;
    limits: ParameterLimits;
    amis?: Record<string, string[]>;
  }) {
    this.clock = options.clock;
    this.defaultAccount = options.defaultAccount;
    this.limits = options.limits;
    this.initialAmis = options.amis ?? {};
    this.reset();
  }

  /** Epoch milliseconds from the injectable clock. */
  now(): number {
    return this.clock();
  }

  parameterLimits(): ParameterLimits {
    return this.limits;
  }

  scope(account: string, region: string): ScopeData {
    const id = `${account}/${region}`;
    let scope = this.scopes.get(id);
    if (!scope) {
      scope = {
        account,
        region,
        parameters: new Map(),
        names: [],
        keys: new Map(),
        aliases: new Map(),
        amis: new Set(),
        standardCount: 0,
      };
      this.scopes.set(id, scope);
    }
    return scope;
  }

  /** Access keys not issued by AssumeRole belong to the default account. */
  principalFor(accessKeyId: string): Principal {
    return (
      this.principals.get(accessKeyId) ?? {
        account: this.defaultAccount,
        arn: `arn:aws:iam::${this.defaultAccount}:user/local`,
        userId: accessKeyId || 'AIDAANONYMOUS',
      }
    );
  }

  registerAccessKey(accessKeyId: string, principal: Principal): void {
    this.principals.set(accessKeyId, principal);
  }

  putParameter(seed: SeedParameter): PutResult {
    const scope = this.scope(seed.account ?? this.defaultAccount, seed.region);
    const exists = scope.parameters.has(seed.name);
    const tags = seed.tags && !exists ? Object.entries(seed.tags) : undefined;
    const result = putParameter(
      { scope, now: this.now(), user: `arn:aws:iam::${scope.account}:user/seed`, limits: this.limits },
      {
        name: seed.name,
        value: seed.value,
        type: seed.type,
        overwrite: exists,
        ...(seed.tier !== undefined ? { tier: seed.tier } : {}),
        ...(seed.keyId !== undefined ? { keyId: seed.keyId } : {}),
        ...(seed.description !== undefined ? { description: seed.description } : {}),
        ...(tags ? { tags } : {}),
        ...(seed.dataType !== undefined ? { dataType: seed.dataType } : {}),
        ...(seed.allowedPattern !== undefined ? { allowedPattern: seed.allowedPattern } : {}),
        ...(seed.policies !== undefined ? { policies: seed.policies } : {}),
      },
    );
    const record = scope.parameters.get(seed.name);
    if (exists && seed.tags && record) {
      record.tags = { ...record.tags, ...seed.tags };
      record.everTagged ||= Object.keys(seed.tags).length > 0;
    }
    return result;
  }

  /** The stored record (plaintext values, every kept version, tags), or undefined. */
  getParameter(region: string, name: string): ParameterRecord | undefined;
  getParameter(account: string, region: string, name: string): ParameterRecord | undefined;
  getParameter(a: string, b: string, c?: string): ParameterRecord | undefined {
    const [account, region, name] = c === undefined ? [this.defaultAccount, a, b] : [a, b, c];
    return this.scopes.get(`${account}/${region}`)?.parameters.get(name);
  }

  /** Every parameter of a region, sorted by name. */
  listParameters(region: string, account = this.defaultAccount): ParameterRecord[] {
    const scope = this.scopes.get(`${account}/${region}`);
    if (!scope) return [];
    return scope.names
      .map((name) => scope.parameters.get(name))
      .filter((r): r is ParameterRecord => r !== undefined);
  }

  createKey(seed: SeedKey): KeyRecord {
    const scope = this.scope(seed.account ?? this.defaultAccount, seed.region);
    const key = newKey(scope, {
      now: this.now(),
      ...(seed.keyId !== undefined ? { keyId: seed.keyId } : {}),
      ...(seed.multiRegion !== undefined ? { multiRegion: seed.multiRegion } : {}),
      ...(seed.enabled !== undefined ? { enabled: seed.enabled } : {}),
      ...(seed.description !== undefined ? { description: seed.description } : {}),
    });
    if (seed.alias) {
      scope.aliases.set(seed.alias, {
        aliasName: seed.alias,
        targetKeyId: key.keyId,
        creationDate: this.now(),
      });
    }
    return key;
  }

  /** Enables or disables a key by id, ARN or alias (what DisableKey / EnableKey do). */
  setKeyEnabled(region: string, keyRef: string, enabled: boolean, account = this.defaultAccount): void {
    const scope = this.scope(account, region);
    const key = resolveKey(scope, keyRef, this.now());
    if (!key) throw keyNotFound(scope, keyRef);
    key.enabled = enabled;
  }

  registerAmi(region: string, amiId: string, account = this.defaultAccount): void {
    if (!/^ami-[0-9a-f]{8,17}$/.test(amiId))
      throw new AwsError('ValidationException', `Invalid AMI id ${amiId}`);
    this.scope(account, region).amis.add(amiId);
  }

  snapshot(): StateSnapshot {
    return structuredClone({ scopes: this.scopes, principals: this.principals });
  }

  restore(snapshot: StateSnapshot): void {
    const copy = structuredClone(snapshot);
    this.scopes = copy.scopes;
    this.principals = copy.principals;
  }

  /** Back to the start-up state: no parameters, keys or sessions; AMIs from the options stay registered. */
  reset(): void {
    this.scopes = new Map();
    this.principals = new Map();
    for (const [region, amis] of Object.entries(this.initialAmis)) {
      for (const ami of amis) this.registerAmi(region, ami);
    }
  }
}
