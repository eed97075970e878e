import type { CallRecord, EndpointState, StateSnapshot } from '../endpoint/index.js';
import { AWS_SSM_ALIAS } from '../endpoint/kms-core.js';

/**
 * IAM identity-policy evaluation for the calls the local endpoint logged (started with `recordInputs`):
 * each call becomes the authorization requests AWS makes for it, including the KMS calls Parameter Store
 * makes with the caller's permissions, and each request is evaluated as IAM does: an explicit Deny
 * wins, then any Allow, else an implicit deny.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface AuthRequest {
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
  /**
   * A key policy that allows this request by itself: the AWS managed aws/ssm key lets every principal of
   * its account use it through Parameter Store, so only an explicit Deny in the identity policy stops it.
   * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
   */
  keyPolicyAllows?: boolean;
  /** What made it: `region Operation`, for failure messages. */
  call: string;
}

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** IAM's `*` and `?` wildcards; actions match case-insensitively, resources case-sensitively. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function conditionHolds(condition: PolicyStatement['Condition'], context: AuthRequest['context']): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      const wanted = list(expected);
      switch (operator) {
        case 'StringEquals':
        case 'ArnEquals':
          return typeof actual === 'string' && wanted.includes(actual);
        case 'StringLike':
        case 'ArnLike':
          return typeof actual === 'string' && wanted.some((w) => wildcard(w, actual, false));
        case 'ForAnyValue:StringEquals':
          return list(actual).some((a) => wanted.includes(a));
        default:
          throw new Error(`condition operator ${operator} is not modelled`);
      }
    }),
  );
}

function applies(s: PolicyStatement, request: AuthRequest): boolean {
  return (
    list(s.Action).some((a) => wildcard(a, request.action, true)) &&
    list(s.Resource).some((r) => wildcard(r, request.resource, false)) &&
    conditionHolds(s.Condition, request.context)
  );
}

export function decide(statements: readonly PolicyStatement[], request: AuthRequest): Decision {
  const matching = statements.filter((s) => applies(s, request));
  if (matching.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  if (request.keyPolicyAllows || matching.some((s) => s.Effect === 'Allow')) return 'allow';
  return 'implicit-deny';
}

/** Every request the policy does not allow, as `decision action resource (call)` lines. */
export function refused(statements: readonly PolicyStatement[], requests: readonly AuthRequest[]): string[] {
  const out = new Set<string>();
  for (const r of requests) {
    const d = decide(statements, r);
    if (d !== 'allow') out.add(`${d} ${r.action} ${r.resource} (${r.call})`);
  }
  return [...out].sort();
}

interface KeyView {
  arn: string;
  aliases: string[];
  awsManaged: boolean;
}

/** Read-only lookups in the endpoint's state: tags before the run (deletes are judged on them), keys. */
export interface StateView {
  tagsBefore(account: string, region: string, name: string): Record<string, string>;
  keyOf(account: string, region: string, name: string): string | undefined;
  key(account: string, region: string, ref: string): KeyView | undefined;
}

export function stateView(state: EndpointState, before: StateSnapshot): StateView {
  const { scopes } = before;
  const aliasesOf = (account: string, region: string, keyId: string) => {
    const scope = state.scope(account, region);
    return [...scope.aliases.values()].filter((a) => a.targetKeyId === keyId).map((a) => a.aliasName);
  };
  return {
    tagsBefore: (account, region, name) => ({
      ...scopes.get(`${account}/${region}`)?.parameters.get(name)?.tags,
    }),
    keyOf: (account, region, name) => {
      const record =
        scopes.get(`${account}/${region}`)?.parameters.get(name) ?? state.getParameter(account, region, name);
      const version = record?.versions[record.versions.length - 1];
      return version?.type === 'SecureString' ? (version.keyId ?? AWS_SSM_ALIAS) : undefined;
    },
    key: (account, region, ref) => {
      const scope = state.scope(account, region);
      let keyId: string | undefined;
      if (ref === AWS_SSM_ALIAS || ref.endsWith(`:${AWS_SSM_ALIAS}`)) {
        const alias = scope.aliases.get(AWS_SSM_ALIAS);
        if (!alias)
          return {
            arn: `arn:aws:kms:${region}:${account}:key/aws-ssm`,
            aliases: [AWS_SSM_ALIAS],
            awsManaged: true,
          };
        keyId = alias.targetKeyId;
      } else if (ref.includes(':alias/') || ref.startsWith('alias/')) {
        keyId = scope.aliases.get(ref.slice(ref.indexOf('alias/')))?.targetKeyId;
      } else {
        keyId = ref.includes(':key/') ? ref.slice(ref.indexOf(':key/') + 5) : ref;
      }
      const key = keyId === undefined ? undefined : scope.keys.get(keyId);
      if (!key) return undefined;
      return {
        arn: key.arn,
        aliases: aliasesOf(account, region, key.keyId),
        awsManaged: key.keyManager === 'AWS',
      };
    },
  };
}

const parameterArn = (region: string, account: string, name: string) =>
  `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? name : `/${name}`}`;

/** `/a/b:3` or `/a/b:label` → `/a/b`; an ARN → its name. */
function nameOf(ref: string): string {
  const bare = ref.startsWith('arn:') ? ref.slice(ref.indexOf(':parameter') + ':parameter'.length) : ref;
  const colon = bare.lastIndexOf(':');
  return colon > 0 ? bare.slice(0, colon) : bare;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

/** The requests one logged call makes AWS authorize. */
export function requestsOf(call: CallRecord, view: StateView): AuthRequest[] {
  const { account, region, operation } = call;
  const input = call.input ?? {};
  const label = `${region} ${operation}`;
  const base = { context: { 'aws:RequestedRegion': region }, call: label };
  const on = (action: string, resource: string, context: Record<string, string | string[]> = {}) => ({
    ...base,
    action,
    resource,
    context: { ...base.context, ...context },
  });
  /** What Parameter Store asks KMS for on the caller's behalf, with the caller's permissions. */
  const viaSsm = (action: string, keyRef: string): AuthRequest => {
    const key = view.key(account, region, keyRef);
    return {
      ...on(action, key?.arn ?? `arn:aws:kms:${region}:${account}:key/unknown`, {
        'kms:ViaService': `ssm.${region}.amazonaws.com`,
        'kms:CallerAccount': account,
        'kms:ResourceAliases': key?.aliases ?? [],
      }),
      ...(key?.awsManaged ? { keyPolicyAllows: true } : {}),
    };
  };
  const ssm = (action: string) => `ssm:${action}`;
  if (call.service === 'ssm') {
    switch (operation) {
      case 'DescribeParameters':
        return [on(ssm(operation), '*')];
      case 'GetParameters':
      case 'GetParameter': {
        const names = operation === 'GetParameter' ? [String(input.Name)] : strings(input.Names);
        return names.flatMap((ref) => {
          const name = nameOf(ref);
          const out: AuthRequest[] = [on(ssm(operation), parameterArn(region, account, name))];
          const key = input.WithDecryption === true ? view.keyOf(account, region, name) : undefined;
          if (key) out.push(viaSsm('kms:Decrypt', key));
          return out;
        });
      }
      case 'PutParameter': {
        const name = String(input.Name);
        const out: AuthRequest[] = [on(ssm(operation), parameterArn(region, account, name))];
        // Creating a parameter with tags is also authorized as AddTagsToResource.
        if (Array.isArray(input.Tags) && input.Tags.length > 0)
          out.push(on('ssm:AddTagsToResource', parameterArn(region, account, name)));
        if (input.Type === 'SecureString') {
          const key = typeof input.KeyId === 'string' ? input.KeyId : AWS_SSM_ALIAS;
          out.push(viaSsm(input.Tier === 'Advanced' ? 'kms:GenerateDataKey' : 'kms:Encrypt', key));
        }
        return out;
      }
      case 'AddTagsToResource':
      case 'RemoveTagsFromResource':
      case 'ListTagsForResource':
        return [on(ssm(operation), parameterArn(region, account, String(input.ResourceId)))];
      case 'DeleteParameters':
      case 'DeleteParameter': {
        const names = operation === 'DeleteParameter' ? [String(input.Name)] : strings(input.Names);
        return names.map((name) => {
          const tags = view.tagsBefore(account, region, name);
          const context = Object.fromEntries(
            Object.entries(tags).map(([k, v]) => [`ssm:resourceTag/${k}`, v]),
          );
          return on(ssm(operation), parameterArn(region, account, name), context);
        });
      }
      default:
        return [on(ssm(operation), '*')];
    }
  }
  if (call.service === 'kms') {
    const key = view.key(account, region, String(input.KeyId));
    return [on(`kms:${operation}`, key?.arn ?? `arn:aws:kms:${region}:${account}:key/unknown`)];
  }
  if (call.service === 'tagging') return [on(`tag:${operation}`, '*')];
  if (call.service === 'sts') {
    if (operation === 'AssumeRole') return [on('sts:AssumeRole', String(input.RoleArn))];
    return [on(`sts:${operation}`, '*')];
  }
  return [on(`unknown:${operation}`, '*')];
}
