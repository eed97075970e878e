import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manifestFromSeedEnv, OWNER_TAG_KEY, parseManifest } from '../../src/manifest/index.js';
import { OWNER } from '../support/builders.js';
import { useCliFixture } from '../support/cli.js';
import { current, SOURCE } from '../support/seed.js';

/** The seed blog's example configuration (its "Example Configuration"). */
const BLOG_ENV = {
  DEST_REGIONS: 'us-east-1,eu-west-1',
  PARAM_PATHS: '/prod/app,/prod/api',
  DEST_KMS_KEY_ID: 'alias/prod-key',
  DRY_RUN: 'false',
};

/** The manifest the README's migration section tells a seed user to write. */
function readmeSeedManifest(readme: string): string {
  const section = readme.split('\n## Migrating from the Lambda replicator\n')[1]?.split('\n## ')[0] ?? '';
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README: no yaml block in "Migrating from the Lambda replicator"');
  // The block sits in a list item: drop the item's indentation.
  return block.replace(/^ {3}/gm, '');
}

const PLAIN = `version: 1
source:
  region: ap-south-1
replications:
  - name: prod-app
    paths: [/prod/app, /prod/api]
    destinations:
      - region: us-east-1
        kms-key-id: alias/prod-key
      - region: eu-west-1
        kms-key-id: alias/prod-key
`;

const STALE = '/prod/app/DB_HOST';
/** What the seed wrote: it read its Description from GetParameter, which has none, so its default stands. */
const SEED_DESCRIPTION = 'Replicated by SSM cross-region replicator Lambda';

let plainPath: string;
let seedPath: string;
let seedYaml: string;

const { ep, dir, cli } = useCliFixture();
beforeAll(async () => {
  plainPath = join(dir(), 'plain.yaml');
  seedPath = join(dir(), 'seed.yaml');
  seedYaml = readmeSeedManifest(await readFile('README.md', 'utf8'));
  await writeFile(plainPath, PLAIN);
  await writeFile(seedPath, seedYaml);
});
beforeEach(() => {
  for (const region of ['us-east-1', 'eu-west-1']) {
    ep().state.createKey({ region, alias: 'alias/prod-key' });
    // The replica the seed left behind: the source changed since, an event was lost, no tags of ours.
    ep().state.putParameter({
      region,
      name: STALE,
      value: 'old-value',
      type: 'String',
      description: SEED_DESCRIPTION,
    });
  }
  ep().state.putParameter({ region: SOURCE, name: STALE, value: 'new-value', type: 'String' });
});

async function planJson(manifest: string) {
  const r = await cli('plan', '--manifest', manifest, '--format', 'json');
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.stdout) as {
    regions: { region: string; items: { name: string; action: string }[]; unmanaged: string[] }[];
  };
}

function rowsByRegion(json: string): Record<string, Record<string, number>> {
  const rows = JSON.parse(json).rows as Record<string, string | number>[];
  return Object.fromEntries(
    rows.map(({ region, inSync, drifted, missing, unmanaged, local }) => [
      region,
      { inSync, drifted, missing, unmanaged, local },
    ]),
  );
}

describe('migrating from the seed Lambda: a stale replica the seed wrote', () => {
  it("the README's manifest for a seed user is exactly the translation of the seed's variables", () => {
    expect(parseManifest(seedYaml, 'README.md').manifest).toEqual(
      manifestFromSeedEnv(BLOG_ENV, SOURCE).manifest,
    );
  });

  it('with a plain manifest: the plan lists it unmanaged, drift exits 2 and status is not green', async () => {
    const plan = await planJson(plainPath);
    for (const region of plan.regions) {
      expect(region.items).toEqual([]);
      expect(region.unmanaged).toEqual([STALE]);
    }

    const drift = await cli('drift', '--manifest', plainPath);
    expect(drift.code, drift.err).toBe(2);

    const status = await cli('status', '--manifest', plainPath, '--format', 'json');
    expect(status.code, status.err).toBe(2);
    expect(rowsByRegion(status.stdout)).toEqual({
      'eu-west-1': { inSync: 0, drifted: 0, missing: 0, unmanaged: 1, local: 0 },
      'us-east-1': { inSync: 0, drifted: 0, missing: 0, unmanaged: 1, local: 0 },
    });
    const table = await cli('status', '--manifest', plainPath);
    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(
      /^region\s+replication\s+in-sync\s+drifted\s+missing\s+failed\s+unmanaged\s+local$/m,
    );
    expect(table.stdout).toMatch(/^us-east-1\s+prod-app\s+0\s+0\s+0\s+0\s+1\s+0$/m);
    expect(current(ep(), 'us-east-1', STALE)?.value).toBe('old-value');
  });

  it('with the seed translation: the plan shows the update, drift exits 2, apply fixes it, drift exits 0', async () => {
    const plan = await planJson(seedPath);
    for (const region of plan.regions) {
      expect(region.items.map((i) => [i.name, i.action])).toEqual([[STALE, 'update']]);
      expect(region.unmanaged).toEqual([]);
    }
    expect((await cli('drift', '--manifest', seedPath)).code).toBe(2);

    const planFile = join(dir(), 'seed-plan.json');
    expect((await cli('plan', '--manifest', seedPath, '--out', planFile)).code).toBe(0);
    const applied = await cli('apply', '--manifest', seedPath, '--plan', planFile);
    expect(applied.code, applied.err + applied.stdout).toBe(0);

    for (const region of ['us-east-1', 'eu-west-1']) {
      expect(current(ep(), region, STALE)).toMatchObject({
        value: 'new-value',
        // The source has none: the seed's default is cleared, not kept.
        description: '',
        tags: { [OWNER.key]: OWNER.value, [OWNER_TAG_KEY]: 'default/env' },
      });
    }
    const again = await cli('drift', '--manifest', seedPath);
    expect(again.code, again.stdout).toBe(0);
    expect((await cli('status', '--manifest', seedPath)).code).toBe(0);
  });

  it('an untagged parameter no source maps to is counted as local, never deleted, and is not drift', async () => {
    ep().state.putParameter({ region: 'us-east-1', name: '/prod/app/LEFTOVER', value: 'x', type: 'String' });
    const planFile = join(dir(), 'leftover-plan.json');
    expect((await cli('plan', '--manifest', seedPath, '--out', planFile)).code).toBe(0);
    expect((await cli('apply', '--manifest', seedPath, '--plan', planFile)).code).toBe(0);

    expect((await cli('drift', '--manifest', seedPath)).code).toBe(0);
    const status = await cli('status', '--manifest', seedPath, '--format', 'json');
    expect(status.code).toBe(0);
    expect(rowsByRegion(status.stdout)).toMatchObject({
      'us-east-1': { unmanaged: 0, local: 1 },
      'eu-west-1': { unmanaged: 0, local: 0 },
    });
    expect(current(ep(), 'us-east-1', '/prod/app/LEFTOVER')?.value).toBe('x');
  });
});
