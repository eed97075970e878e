import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyLookup } from '../../src/plan/keys.js';
import { plan } from '../../src/plan/plan.js';
import type { KeyInfo } from '../../src/store/port.js';
import { destination, inventory, manifest, OWNER, param, replication } from '../support/builders.js';

const ACCOUNT = '123456789012';
const key = (overrides: Partial<KeyInfo> = {}): KeyInfo => ({
  keyId: 'k-1',
  arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k-1`,
  enabled: true,
  state: 'Enabled',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  keyManager: 'CUSTOMER',
  ...overrides,
});

function planWith(opts: {
  sources: ReturnType<typeof param>[];
  existing?: ReturnType<typeof param>[];
  kmsKeyId?: string;
  type?: 'SecureString';
  lookup?: KeyLookup;
}) {
  const m = manifest([
    replication({
      destinations: [
        destination('us-east-1', {
          ...(opts.kmsKeyId ? { kmsKeyId: opts.kmsKeyId } : {}),
          ...(opts.type ? { type: opts.type } : {}),
          ec2Image: { mode: 'map', amis: { 'ami-0123456789abcdef0': 'ami-0fedcba9876543210' } },
        }),
      ],
    }),
  ]);
  const dest = { ...inventory('us-east-1', opts.existing ?? []), account: ACCOUNT };
  return plan({
    manifest: m,
    source: inventory('ap-south-1', opts.sources),
    destinations: new Map([['us-east-1', dest]]),
    ...(opts.lookup ? { keys: () => opts.lookup } : {}),
  });
}

const secrets = (n: number) =>
  Array.from({ length: n }, (_, i) => param({ name: `/prod/app/s${i}`, type: 'SecureString' }));

describe('plan preflight', () => {
  it('names a missing key once for its region, counting the writes it stops', () => {
    const p = planWith({ sources: secrets(7), kmsKeyId: 'alias/gone', lookup: 'missing' });
    expect(p.blockers).toEqual([
      expect.objectContaining({ code: 'kms-key-missing', region: 'us-east-1', replication: 'prod-app' }),
    ]);
    expect(p.blockers[0]?.message).toMatch(/alias\/gone does not exist.*7 SecureString writes/);
  });

  it('does not block when the AWS managed key is not found yet: Parameter Store creates it on first use', () => {
    expect(planWith({ sources: secrets(2), lookup: 'missing' }).blockers).toEqual([]);
  });

  it('blocks a disabled, pending-deletion or asymmetric key, and passes a usable one', () => {
    const codes = (lookup: KeyInfo) =>
      planWith({ sources: secrets(1), kmsKeyId: 'alias/k', lookup }).blockers.map((b) => b.code);
    expect(codes(key({ enabled: false, state: 'PendingDeletion' }))).toEqual(['kms-key-unusable']);
    expect(codes(key({ keySpec: 'RSA_2048' }))).toEqual(['kms-key-unsupported']);
    expect(codes(key({ keyUsage: 'SIGN_VERIFY' }))).toEqual(['kms-key-unsupported']);
    expect(codes(key())).toEqual([]);
  });

  it('warns, without blocking, when a key could not be asked about', () => {
    const p = planWith({
      sources: secrets(2),
      kmsKeyId: 'alias/k',
      lookup: { unchecked: 'AccessDeniedException: no' },
    });
    expect(p.blockers).toEqual([]);
    expect(p.warnings).toEqual([expect.objectContaining({ code: 'kms-key-unchecked', region: 'us-east-1' })]);
    expect(p.warnings[0]?.message).toContain('AccessDeniedException');
  });

  it("blocks another account's AWS managed key, whatever the reference looks like", () => {
    const foreign = key({ arn: 'arn:aws:kms:us-east-1:999999999999:key/k-9', keyManager: 'AWS' });
    expect(planWith({ sources: secrets(1), kmsKeyId: 'k-9', lookup: foreign }).blockers[0]?.code).toBe(
      'kms-key-aws-managed-cross-account',
    );
  });

  it('blocks a data type AWS takes only on String when the destination forces another type', () => {
    const ami = param({ name: '/prod/app/AMI', dataType: 'aws:ec2:image', value: 'ami-0123456789abcdef0' });
    const p = planWith({ sources: [ami], type: 'SecureString', lookup: 'missing' });
    expect(p.blockers.map((b) => b.code)).toEqual(['data-type-needs-string']);
  });

  it('blocks creates past the Standard quota counting what the destination already holds', () => {
    const held = Array.from({ length: 9_995 }, (_, i) =>
      param({ name: `/prod/app/held/${i}`, tags: { [OWNER.key]: OWNER.value } }),
    );
    const sources = [...held, ...Array.from({ length: 10 }, (_, i) => param({ name: `/prod/app/new${i}` }))];
    const p = planWith({
      sources,
      existing: held.map((h) => ({ ...h, tags: { [OWNER.key]: OWNER.value } })),
    });
    expect(p.blockers.map((b) => b.code)).toEqual(['standard-parameter-limit']);
    const under = planWith({ sources: sources.slice(0, 9_999), existing: held });
    expect(under.blockers).toEqual([]);
  });

  it("neither copies nor removes tags with AWS's reserved aws: prefix, which only AWS may set", () => {
    const tags = { 'aws:cloudformation:stack-name': 'app', team: 'a' };
    const tagged = param({ name: '/prod/app/cfn', tags });
    const created = planWith({ sources: [tagged] });
    expect(created.blockers).toEqual([]);
    expect(Object.keys(created.regions[0]?.items[0]?.tags?.add ?? {})).not.toContain(
      'aws:cloudformation:stack-name',
    );
    expect(created.regions[0]?.items[0]?.tags?.add).toMatchObject({ team: 'a' });

    const replica = { ...tagged, tags: { ...created.regions[0]?.items[0]?.tags?.add, 'AWS:own': 'x' } };
    const again = planWith({ sources: [tagged], existing: [replica] });
    expect(again.regions[0]?.items).toEqual([]);
  });

  it('plans every source tag but those whose key starts with aws: in any case, and never removes those', () => {
    const key = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.toLowerCase().startsWith('aws:')),
      fc.constantFrom('aws:', 'AWS:', 'Aws:').chain((p) => fc.string({ maxLength: 6 }).map((k) => p + k)),
    );
    fc.assert(
      fc.property(fc.dictionary(key, fc.constant('v'), { maxKeys: 10 }), (tags) => {
        const source = param({ name: '/prod/app/t', tags });
        const [create] = planWith({ sources: [source] }).regions[0]?.items ?? [];
        const added = Object.keys(create?.tags?.add ?? {});
        const own = Object.keys(tags).filter((k) => !k.toLowerCase().startsWith('aws:'));
        expect(added.filter((k) => k.toLowerCase().startsWith('aws:'))).toEqual([]);
        for (const k of own) expect(added).toContain(k);

        const replica = { ...source, tags: { ...create?.tags?.add, ...tags } };
        const [update] = planWith({ sources: [source], existing: [replica] }).regions[0]?.items ?? [];
        expect(update?.tags?.remove ?? []).toEqual([]);
      }),
    );
  });
});
