import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListTagsForResourceCommand, PutParameterCommand, type Tag } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { SYNC_TAG_KEY } from '../../src/plan/sync-record.js';
import { ssmClient } from '../endpoint/clients.js';
import { useCliFixture } from '../support/cli.js';
import { PROTOTYPE_KEYS } from '../support/keys.js';
import { SOURCE } from '../support/seed.js';

/*
 * Tag keys and names that are members of Object.prototype, through the CLI, the real SDK and the local
 * endpoint: they used to crash plan, drift and apply (after apply's writes) or vanish from the plan.
 */

const OWNER = 'ssm-replicate:managed-by';
/** The owner tag of a replica written by the replication prod-app of a manifest without id. */
const OWNED_BY: [string, string] = ['ssm-replicate:owner', 'default/prod-app'];
const DEST = 'us-east-1';

const { ep, dir, cli } = useCliFixture();

async function manifestFile(text: string): Promise<string> {
  const path = join(dir(), `m-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  return path;
}

const manifest = (options: { defaults?: string; destination?: string; name?: string } = {}) =>
  `version: 1
source:
  region: ${SOURCE}
${options.defaults ? `defaults:\n${options.defaults}` : ''}replications:
  - name: ${options.name ?? 'prod-app'}
    paths: [/prod/app]
    destinations:
      - region: ${DEST}
${options.destination ?? ''}`;

const tagsOf = (entries: Record<string, string>): Tag[] =>
  Object.entries(entries).map(([Key, Value]) => ({ Key, Value }));

async function put(region: string, name: string, tags: Tag[]) {
  await ssmClient(ep(), region).send(
    new PutParameterCommand({ Name: name, Value: `v of ${name}`, Type: 'String', Tags: tags }),
  );
}

/** The parameter's tags as AWS lists them, sorted by key. */
async function listTags(region: string, name: string): Promise<[string, string][]> {
  const r = await ssmClient(ep(), region).send(
    new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
  );
  // The sync record is apply's bookkeeping (test/apply/sync-record.test.ts), not a tag under test.
  return (r.TagList ?? [])
    .filter((t) => t.Key !== SYNC_TAG_KEY)
    .map((t): [string, string] => [t.Key ?? '', t.Value ?? ''])
    .sort(byKey);
}

const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);
/** Entries written as `{ [key]: value }`: an object literal's `__proto__:` would set the prototype instead. */
const entries = (...pairs: [string, string][]) => Object.fromEntries(pairs);

describe('tag keys named like Object.prototype members', () => {
  it('are planned, applied and checked for drift like any other source tag', async () => {
    const sourceTags = entries(...PROTOTYPE_KEYS.map((k, i): [string, string] => [k, `v${i}`]));
    await put(SOURCE, '/prod/app/A', tagsOf(sourceTags));
    const path = await manifestFile(manifest());
    const planFile = join(dir(), 'plan.json');

    const plan = await cli('plan', '--manifest', path, '--out', planFile);
    expect(plan.code, plan.err).toBe(0);
    for (const [i, key] of PROTOTYPE_KEYS.entries()) expect(plan.stdout).toContain(`tag + ${key} = "v${i}"`);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    const added = saved.regions[0].items[0].tags.add;
    expect(Object.keys(added).sort()).toEqual([...PROTOTYPE_KEYS, OWNER, OWNED_BY[0]].sort());
    expect(Object.hasOwn(added, '__proto__')).toBe(true);
    expect((await cli('drift', '--manifest', path)).code).toBe(2);

    const apply = await cli('apply', '--manifest', path, '--plan', planFile);
    expect(apply.code, apply.err + apply.stdout).toBe(0);
    expect(apply.stdout).toContain('Applied 1, failed 0, drifted 0, skipped 0.');
    expect(await listTags(DEST, '/prod/app/A')).toEqual(
      [...Object.entries(sourceTags), [OWNER, 'ssm-replicate'] as [string, string], OWNED_BY].sort(byKey),
    );
    const drift = await cli('drift', '--manifest', path);
    expect(drift.code, drift.stdout).toBe(0);
  });

  it('are changed and removed on a replica, and the plan shows each change apply makes', async () => {
    await put(SOURCE, '/prod/app/A', tagsOf(entries(['constructor', 'new'], ['__proto__', 'p'])));
    await put(
      DEST,
      '/prod/app/A',
      tagsOf(
        entries(['constructor', 'old'], ['toString', 'extra'], ['valueOf', 'x'], [OWNER, 'ssm-replicate']),
      ),
    );
    const path = await manifestFile(manifest());

    const plan = await cli('plan', '--manifest', path);
    expect(plan.code, plan.err).toBe(0);
    expect(plan.stdout).toContain('tag + __proto__ = "p"');
    expect(plan.stdout).toContain('tag ~ constructor: "old" → "new"');
    expect(plan.stdout).toContain('tag - toString');
    expect(plan.stdout).toContain('tag - valueOf');

    const apply = await cli('apply', '--manifest', path);
    expect(apply.code, apply.err + apply.stdout).toBe(0);
    expect(await listTags(DEST, '/prod/app/A')).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'new'],
      [OWNER, 'ssm-replicate'],
      OWNED_BY,
    ]);
    expect((await cli('drift', '--manifest', path)).code).toBe(0);
  });

  it('come from defaults.tags and destinations[].tags, the destination winning, and are written', async () => {
    await put(SOURCE, '/prod/app/A', []);
    const path = await manifestFile(
      manifest({
        defaults: '  tags: { constructor: from-defaults, __proto__: p, hasOwnProperty: h }\n',
        destination: '        tags: { constructor: from-destination, toString: t }\n',
      }),
    );
    const validate = await cli('validate', '--manifest', path);
    expect(validate.code, validate.err).toBe(0);

    const plan = await cli('plan', '--manifest', path, '--format', 'json');
    expect(plan.code, plan.err).toBe(0);
    const added = JSON.parse(plan.stdout).regions[0].items[0].tags.add;
    expect(Object.entries(added).sort(byKey)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'from-destination'],
      ['hasOwnProperty', 'h'],
      [OWNER, 'ssm-replicate'],
      OWNED_BY,
      ['toString', 't'],
    ]);
    expect((await cli('apply', '--manifest', path)).code).toBe(0);
    expect(await listTags(DEST, '/prod/app/A')).toEqual(Object.entries(added).sort(byKey));
    expect((await cli('drift', '--manifest', path)).code).toBe(0);
  });

  it('are located errors in an ec2-image AMI map, never a crash', async () => {
    const path = await manifestFile(
      manifest({
        destination:
          '        ec2-image:\n          amis:\n            __proto__: ami-0123456789abcdef0\n            constructor: ami-0123456789abcdef0\n',
      }),
    );
    const validate = await cli('validate', '--manifest', path);
    expect(validate.code).toBe(1);
    expect(validate.err).toMatch(/:11:13: '__proto__' is not an AMI id/);
    expect(validate.err).toMatch(/:12:13: 'constructor' is not an AMI id/);
  });

  it('counts replicas in sync per replication when the replication is named like a prototype member', async () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      // Each name is its own manifest: without an id, one's replica would be another manifest's.
      ep().state.reset();
      await put(SOURCE, '/prod/app/A', []);
      const path = await manifestFile(manifest({ name }));
      expect((await cli('apply', '--manifest', path)).code).toBe(0);
      const status = await cli('status', '--manifest', path, '--format', 'json');
      expect(status.code, status.stdout).toBe(0);
      expect(JSON.parse(status.stdout).rows).toMatchObject([{ replication: name, inSync: 1 }]);
    }
  });
});
