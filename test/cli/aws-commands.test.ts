import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AddTagsToResourceCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/manifest/index.js';
import { ssmClient } from '../endpoint/clients.js';
import { useCliFixture } from '../support/cli.js';
import { current, SOURCE } from '../support/seed.js';

const MANIFEST = `version: 1
source:
  region: ap-south-1
value-display: non-secret
replications:
  - name: prod-app
    paths: [/prod/app, /prod/api]
    destinations:
      - region: us-east-1
        kms-key-id: alias/prod-key
      - region: eu-west-1
        path-rewrite: { from: /prod/, to: /dr/ }
`;

const SECRET = 'CANARY-CLI-7f3a9c';

const { ep, dir, manifestPath, cli } = useCliFixture(MANIFEST);
beforeEach(() => {
  ep().state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: SECRET,
    type: 'SecureString',
  });
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_HOST',
    value: 'db.internal',
    type: 'String',
    tags: { team: 'core' },
  });
  ep().state.putParameter({
    region: SOURCE,
    name: '/prod/api/JWT_SECRET',
    value: `${SECRET}-jwt`,
    type: 'SecureString',
  });
});

const all = (r: { stdout: string; stderr: string; out: string; err: string }) =>
  r.stdout + r.stderr + r.out + r.err;

describe('ssm-replicate plan, apply, drift and status against the local endpoint', () => {
  it('plans in every format with the detailed exit code, never printing a SecureString value', async () => {
    for (const format of ['text', 'markdown', 'json']) {
      const r = await cli('plan', '--manifest', manifestPath(), '--format', format, '--detailed-exitcode');
      expect(r.code, r.err).toBe(2);
      expect(r.stdout).toContain('/dr/app/DB_HOST');
      expect(r.stdout).toContain('db.internal');
      expect(all(r)).not.toContain(SECRET);
    }
  });

  it("states the manifest's own ownership tag once in a Markdown plan", async () => {
    const custom = join(dir(), 'custom-owner.yaml');
    await writeFile(custom, `${MANIFEST}ownership-tag: { key: team:owned-by, value: platform }\n`);
    for (const command of ['plan', 'drift']) {
      const r = await cli(command, '--manifest', custom, '--format', 'markdown');
      expect(r.stdout).toContain('every new replica is tagged `team:owned-by=platform`');
      expect(r.stdout).not.toContain('tag + team:owned-by');
    }
  });

  it('applies only the reviewed plan, then drift and status report all in sync', async () => {
    const planFile = join(dir(), 'plan.json');
    const journalFile = join(dir(), 'journal.jsonl');
    expect((await cli('plan', '--manifest', manifestPath(), '--out', planFile)).code).toBe(0);
    const saved = JSON.parse(await readFile(planFile, 'utf8'));
    expect(saved.summary.creates).toBe(6);

    const applied = await cli(
      'apply',
      '--manifest',
      manifestPath(),
      '--plan',
      planFile,
      '--journal',
      journalFile,
    );
    expect(applied.code, applied.err + applied.stdout).toBe(0);
    expect(applied.stdout).toContain('Applied 6, failed 0, drifted 0, skipped 0.');
    expect(current(ep(), 'us-east-1', '/prod/app/DB_PASSWORD')).toMatchObject({
      value: SECRET,
      keyId: 'alias/prod-key',
    });
    expect(current(ep(), 'eu-west-1', '/dr/api/JWT_SECRET')?.value).toBe(`${SECRET}-jwt`);
    expect((await readFile(journalFile, 'utf8')).trim().split('\n')).toHaveLength(12);

    expect((await cli('drift', '--manifest', manifestPath())).code).toBe(0);
    const status = await cli('status', '--manifest', manifestPath(), '--format', 'json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).rows.map((r: { inSync: number }) => r.inSync)).toEqual([3, 3]);
    expect(all(applied) + (await readFile(journalFile, 'utf8'))).not.toContain(SECRET);
  });

  it('refuses a saved plan that no longer matches live state and says what changed', async () => {
    const planFile = join(dir(), 'stale.json');
    await cli('plan', '--manifest', manifestPath(), '--out', planFile);
    ep().state.putParameter({ region: SOURCE, name: '/prod/app/NEW', value: 'n', type: 'String' });
    const r = await cli('apply', '--manifest', manifestPath(), '--plan', planFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plan changed since review; nothing was applied/);
    expect(r.err).toContain('+ us-east-1 create /prod/app/NEW (not in the reviewed plan)');
    expect(current(ep(), 'us-east-1', '/prod/app/DB_HOST')).toBeUndefined();
  });

  it('refuses a crafted saved plan before any AWS call, naming the file, the place and what was expected', async () => {
    const planFile = join(dir(), 'crafted.json');
    const digest = `sha256:${'0'.repeat(64)}`;
    for (const [crafted, expected] of [
      [{ digest, regions: [{ region: 'us-east-1', items: 5 }] }, '/regions/0/items: expected a list'],
      [{ digest, regions: [1] }, '/regions/0: expected an object'],
      [[], 'the top level: expected an object'],
    ] as const) {
      await writeFile(planFile, JSON.stringify(crafted));
      ep().resetCalls();
      const r = await cli('apply', '--manifest', manifestPath(), '--plan', planFile);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${planFile} is not an ssm-replicate plan (schemas/plan.schema.json): `);
      expect(r.err).toContain(expected);
      expect(r.err).not.toMatch(/TypeError|\n\s+at /);
      expect(ep().calls()).toEqual([]);
    }
  });

  it('refuses a saved plan that is not JSON without quoting it', async () => {
    const planFile = join(dir(), 'not-json.json');
    await writeFile(planFile, `{"digest": "${SECRET}" oops`);
    const r = await cli('apply', '--manifest', manifestPath(), '--plan', planFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not an ssm-replicate plan \(schemas\/plan\.schema\.json\): not valid JSON/);
    expect(all(r)).not.toContain(SECRET);
    expect(ep().calls()).toEqual([]);
  });

  it('exits 2 from drift and status alike when a replica is taken over by another manifest', async () => {
    expect((await cli('apply', '--manifest', manifestPath())).code).toBe(0);
    await ssmClient(ep(), 'us-east-1').send(
      new AddTagsToResourceCommand({
        ResourceType: 'Parameter',
        ResourceId: '/prod/app/DB_HOST',
        Tags: [{ Key: OWNER_TAG_KEY, Value: 'other-team/app' }],
      }),
    );
    const drift = await cli('drift', '--manifest', manifestPath());
    const status = await cli('status', '--manifest', manifestPath());
    const json = await cli('status', '--manifest', manifestPath(), '--format', 'json');
    expect([drift.code, status.code, json.code]).toEqual([2, 2, 2]);
    expect(status.stdout).toMatch(
      /^blocked: \/prod\/app\/DB_HOST in us-east-1 is owned by manifest 'other-team'/m,
    );
    expect(JSON.parse(json.stdout).blockers).toMatchObject([
      { code: 'owned-by-another-manifest', region: 'us-east-1' },
    ]);
  });

  it('exits 2 from drift after a hand edit in a destination, and apply fixes it', async () => {
    await cli('apply', '--manifest', manifestPath());
    ep().state.putParameter({
      region: 'us-east-1',
      name: '/prod/app/DB_HOST',
      value: 'hand-edited',
      type: 'String',
    });
    const drift = await cli('drift', '--manifest', manifestPath());
    expect(drift.code).toBe(2);
    const fixed = await cli('apply', '--manifest', manifestPath());
    expect(fixed.code).toBe(0);
    expect(current(ep(), 'us-east-1', '/prod/app/DB_HOST')?.value).toBe('db.internal');
    expect((await cli('drift', '--manifest', manifestPath())).code).toBe(0);
  });

  it('fails with a clear error and no plan when a listing fails mid-way, leaking nothing', async () => {
    ep().faults.failPage({ operation: 'DescribeParameters', region: SOURCE, page: 1, count: 10 });
    const r = await cli('plan', '--manifest', manifestPath(), '--format', 'json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.err).toMatch(/Reading ap-south-1 failed during DescribeParameters/);
    expect(all(r)).not.toContain(SECRET);
  });

  it('exits 1 from plan when a destination region is down, still planning the other', async () => {
    ep().faults.regionDown('eu-west-1');
    const r = await cli('plan', '--manifest', manifestPath());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/eu-west-1 could not be read/);
    expect(r.stdout).toContain('/prod/app/DB_HOST');
  });
});
