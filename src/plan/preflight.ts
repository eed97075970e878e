import type { RegionInventory } from '../model.js';
import type { KeyInfo } from '../store/port.js';
import { DEFAULT_SSM_KEY } from './desired.js';
import { foundKey, type KeyLookup, keyAccount, keyArnParts } from './keys.js';
import type { Target } from './names.js';
import type { PlanItem, PlanMessage } from './types.js';

/**
 * Parameter names: https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
 * (letters, digits, `_.-/`; no `aws`/`ssm` prefix; at most 15 hierarchy levels; 1011 characters, the
 * rest of the 2048 being reserved). A replica's tag count (50 at most) is checked where its tags are
 * decided (desired.ts).
 * Quotas: 10,000 Standard and 100,000 Advanced parameters per account and region
 * (https://docs.aws.amazon.com/general/latest/gr/ssm.html).
 */
const MAX_NAME_LENGTH = 1011;
const MAX_LEVELS = 15;
const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const QUOTA = { Standard: 10_000, Advanced: 100_000 } as const;
/** Names listed in one grouped message. */
const EXAMPLES = 3;

export interface PreflightInput {
  target: Target;
  inventory: RegionInventory;
  /** The region's planned items. */
  items: readonly PlanItem[];
  /** DescribeKey results for this target; undefined where the reference was not asked. */
  key: (ref: string) => KeyLookup | undefined;
}

/** Why AWS refuses this replica name, if it does. */
function nameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `longer than ${MAX_NAME_LENGTH} characters`;
  if (!NAME_CHARS.test(name)) return 'characters other than letters, digits and _ . - /';
  const bare = name.replace(/^\//, '').toLowerCase();
  if (bare.startsWith('aws') || bare.startsWith('ssm')) return "prefixed with 'aws' or 'ssm'";
  if (name.includes('/') && (!name.startsWith('/') || name.includes('//'))) return 'not a well-formed path';
  if (name.split('/').length - 1 > MAX_LEVELS) return `deeper than ${MAX_LEVELS} levels`;
  return undefined;
}

function examples(names: readonly string[]): string {
  const shown = names.slice(0, EXAMPLES).join(', ');
  return names.length > EXAMPLES ? `${shown} and ${names.length - EXAMPLES} more` : shown;
}

/**
 * Everything apply checks, or AWS refuses, before a write, checked at plan time so a pull request shows
 * it: the KMS keys the writes use, replica names, data types and the region's parameter
 * quotas. Each problem is one blocker per region (and key), naming how many writes it stops.
 */
export function preflight(input: PreflightInput): { blockers: PlanMessage[]; warnings: PlanMessage[] } {
  const { target, inventory } = input;
  const region = target.region;
  const out: PlanMessage[] = [];
  const warnings: PlanMessage[] = [];

  // One pass, allocating only for what is wrong: a plan may hold 100,000 writes per region.
  const byKey = new Map<string, PlanItem[]>();
  const badNames: { name: string; why: string }[] = [];
  const wrongType: PlanItem[] = [];
  const creates = { Standard: 0, Advanced: 0 };
  for (const item of input.items) {
    if (item.action === 'delete') continue;
    const t = item.target;
    if (!t) continue;
    if (t.keyId !== undefined) {
      const list = byKey.get(t.keyId);
      if (list) list.push(item);
      else byKey.set(t.keyId, [item]);
    }
    if (item.action === 'create' || item.action === 'replace') {
      const why = nameProblem(item.name);
      if (why) badNames.push({ name: item.name, why });
    }
    if (item.action === 'create') creates[t.tier]++;
    if (t.dataType !== 'text' && t.type !== 'String') wrongType.push(item);
  }

  for (const [ref, items] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const lookup = input.key(ref);
    if (lookup !== undefined && lookup !== 'missing' && 'unchecked' in lookup) {
      warnings.push({
        code: 'kms-key-unchecked',
        message: `KMS key ${ref} in ${region} could not be checked (${lookup.unchecked}); ${items.length} SecureString writes use it. Apply checks it again before writing; grant kms:DescribeKey on it to see problems in the plan.`,
        region,
        replication: items[0]?.replication as string,
      });
      continue;
    }
    const problem = keyProblem(ref, lookup, inventory.account);
    if (problem) {
      out.push({
        code: problem.code,
        message: `${problem.text}; ${items.length} SecureString writes in ${region} use it. ${problem.fix}`,
        region,
        replication: items[0]?.replication as string,
      });
    }
  }

  const [firstBad] = badNames;
  if (firstBad) {
    out.push({
      code: 'invalid-replica-name',
      message: `${badNames.length} replica names in ${region} would be refused by AWS (${firstBad.name}: ${firstBad.why}): ${examples(badNames.map((n) => n.name))}. Fix the path-rewrite, or exclude these names.`,
      region,
      name: firstBad.name,
    });
  }

  const [firstWrong] = wrongType;
  if (firstWrong) {
    out.push({
      code: 'data-type-needs-string',
      message: `${wrongType.length} replicas in ${region} have data type ${firstWrong.target?.dataType} but type ${firstWrong.target?.type}; AWS accepts that data type only on String parameters: ${examples(wrongType.map((i) => i.name))}. Remove the type override for this destination, or exclude these names.`,
      region,
      name: firstWrong.name,
    });
  }

  out.push(...quotaProblems(input, creates));
  return { blockers: out, warnings };
}

interface KeyProblem {
  code: string;
  text: string;
  fix: string;
}

function keyProblem(
  ref: string,
  lookup: KeyInfo | 'missing' | undefined,
  account: string | undefined,
): KeyProblem | undefined {
  const arn = keyArnParts(ref);
  const info = foundKey(lookup);
  const owner = info ? keyAccount(info.arn) : arn?.account;
  const managed = info?.keyManager === 'AWS' || arn?.alias?.startsWith('alias/aws/');
  // https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-cmk: the key policy
  // of an AWS managed key cannot be changed, so no other account can ever use it.
  if (managed && account !== undefined && owner !== undefined && owner !== account) {
    return {
      code: 'kms-key-aws-managed-cross-account',
      text: `KMS key ${ref} is an AWS managed key of account ${owner}, which account ${account} cannot use`,
      fix: 'Use a customer managed key that account can use, or leave kms-key-id out to use its own alias/aws/ssm.',
    };
  }
  if (lookup === undefined) return undefined;
  if (lookup === 'missing') {
    // Parameter Store creates its AWS managed key on first use, so not finding it is expected.
    if (ref === DEFAULT_SSM_KEY) return undefined;
    return {
      code: 'kms-key-missing',
      text: `KMS key ${ref} does not exist in this region`,
      fix: 'Create it (or its alias) there, or fix kms-key-id.',
    };
  }
  // https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html: only an enabled key encrypts.
  if (!lookup.enabled) {
    return {
      code: 'kms-key-unusable',
      text: `KMS key ${ref} is ${lookup.state}`,
      fix: 'Enable it, or fix kms-key-id.',
    };
  }
  // https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html: "Parameter Store
  // supports only symmetric KMS keys."
  const spec = lookup.keySpec ?? 'SYMMETRIC_DEFAULT';
  const usage = lookup.keyUsage ?? 'ENCRYPT_DECRYPT';
  if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT') {
    return {
      code: 'kms-key-unsupported',
      text: `KMS key ${ref} is a ${spec} key for ${usage}, and Parameter Store encrypts only with symmetric encryption keys`,
      fix: 'Use a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).',
    };
  }
  return undefined;
}

/**
 * Only what the inventory shows can be counted — parameters under the replicated paths — so this is a
 * lower bound of the region's count: if even that goes over the quota, the creates past it will fail.
 * Deletes run after the writes, so they do not make room in time.
 */
function quotaProblems(
  input: PreflightInput,
  creates: Record<'Standard' | 'Advanced', number>,
): PlanMessage[] {
  const out: PlanMessage[] = [];
  const known = { Standard: 0, Advanced: 0 };
  for (const p of input.inventory.parameters.values()) known[p.tier]++;
  for (const tier of ['Standard', 'Advanced'] as const) {
    const added = creates[tier];
    if (added > 0 && known[tier] + added > QUOTA[tier]) {
      out.push({
        code: `${tier.toLowerCase()}-parameter-limit`,
        message: `${added} ${tier} creates in ${input.target.region} on top of the ${known[tier]} ${tier} parameters already under the replicated paths exceed the quota of ${QUOTA[tier]} ${tier} parameters per account and region. Delete parameters there, or replicate fewer.`,
        region: input.target.region,
      });
    }
  }
  return out;
}
