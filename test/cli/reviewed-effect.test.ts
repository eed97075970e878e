import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { runCliCaptured } from '../support/cli.js';
import { current, SOURCE } from '../support/seed.js';

// Issue 11, finding 2: a reviewed plan must bind everything apply sends that comes from the manifest,
// not only what comes from the source (whose versions stand in for values).

const SOURCE_AMI = 'ami-0123456789abcdef0';
const REVIEWED_AMI = 'ami-0aaaaaaaaaaaaaaa1';
const OTHER_AMI = 'ami-0bbbbbbbbbbbbbbb2';

function manifest(opts: { key?: string; ami?: string; tag?: string }): string {
  return `version: 1
source:
  region: ${SOURCE}
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
        kms-key-id: ${opts.key ?? 'alias/prod-key'}
        tags: { env: ${opts.tag ?? 'prod'} }
        ec2-image:
          amis: { ${SOURCE_AMI}: ${opts.ami ?? REVIEWED_AMI} }
`;
}

let ep: Endpoint;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  ep = await startEndpoint({ amis: { 'us-east-1': [REVIEWED_AMI, OTHER_AMI] } });
  env = {
    AWS_ENDPOINT_URL: ep.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_MAX_ATTEMPTS: '2',
  };
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-reviewed-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await ep.stop();
});
beforeEach(() => {
  ep.state.reset();
  ep.state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
  ep.state.createKey({ region: 'us-east-1', alias: 'alias/other-key' });
  ep.state.registerAmi(SOURCE, SOURCE_AMI);
  ep.state.putParameter({
    region: SOURCE,
    name: '/prod/app/DB_PASSWORD',
    value: 's3cr3t',
    type: 'SecureString',
  });
  ep.state.putParameter({
    region: SOURCE,
    name: '/prod/app/AMI',
    value: SOURCE_AMI,
    type: 'String',
    dataType: 'aws:ec2:image',
  });
});

const cli = (...argv: string[]) => runCliCaptured(argv, env);

async function reviewedPlan(name: string, text: string): Promise<{ manifestPath: string; planPath: string }> {
  const manifestPath = join(dir, `${name}.yaml`);
  const planPath = join(dir, `${name}.plan.json`);
  await writeFile(manifestPath, text);
  const r = await cli('plan', '--manifest', manifestPath, '--out', planPath);
  expect(r.code, r.err).toBe(0);
  return { manifestPath, planPath };
}

describe('apply of a reviewed plan after the manifest changed', () => {
  it('refuses --plan when kms-key-id now names another existing key, writing nothing', async () => {
    const { manifestPath, planPath } = await reviewedPlan('key', manifest({}));
    await writeFile(manifestPath, manifest({ key: 'alias/other-key' }));
    const r = await cli('apply', '--manifest', manifestPath, '--plan', planPath);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plan changed since review; nothing was applied/);
    expect(r.err).toContain('alias/other-key');
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')).toBeUndefined();
  });

  it('refuses --expect-digest when kms-key-id now names another existing key', async () => {
    const { manifestPath, planPath } = await reviewedPlan('key-digest', manifest({}));
    const digest = JSON.parse(await readFile(planPath, 'utf8')).digest as string;
    await writeFile(manifestPath, manifest({ key: 'alias/other-key' }));
    const r = await cli('apply', '--manifest', manifestPath, '--expect-digest', digest);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plan changed since review/);
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')).toBeUndefined();
  });

  it('refuses --plan when the ec2-image map now sends another AMI id', async () => {
    const { manifestPath, planPath } = await reviewedPlan('ami', manifest({}));
    await writeFile(manifestPath, manifest({ ami: OTHER_AMI }));
    const r = await cli('apply', '--manifest', manifestPath, '--plan', planPath);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plan changed since review/);
    expect(current(ep, 'us-east-1', '/prod/app/AMI')).toBeUndefined();
  });

  it('refuses --expect-digest when a destination tag value changed', async () => {
    const { manifestPath, planPath } = await reviewedPlan('tag', manifest({}));
    const digest = JSON.parse(await readFile(planPath, 'utf8')).digest as string;
    await writeFile(manifestPath, manifest({ tag: 'staging' }));
    const r = await cli('apply', '--manifest', manifestPath, '--expect-digest', digest);
    expect(r.code).toBe(1);
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')).toBeUndefined();
  });

  it('refuses a plan saved in another format version, saying to plan again', async () => {
    const { manifestPath, planPath } = await reviewedPlan('old', manifest({}));
    const saved = JSON.parse(await readFile(planPath, 'utf8'));
    await writeFile(planPath, JSON.stringify({ ...saved, formatVersion: 1 }));
    const r = await cli('apply', '--manifest', manifestPath, '--plan', planPath);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/plan format 1.*run plan again/);
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')).toBeUndefined();
  });

  it('shows the KMS key and the mapped AMI a create sends, in the text plan too', async () => {
    const manifestPath = join(dir, 'shown.yaml');
    await writeFile(manifestPath, manifest({}));
    const r = await cli('plan', '--manifest', manifestPath);
    expect(r.stdout).toContain(`ami = "${REVIEWED_AMI}"`);
    expect(r.stdout).toContain('keyId = "alias/prod-key"');
  });

  it('applies the reviewed plan unchanged, with the reviewed key and AMI', async () => {
    const { manifestPath, planPath } = await reviewedPlan('same', manifest({}));
    const r = await cli('apply', '--manifest', manifestPath, '--plan', planPath);
    expect(r.code, r.err).toBe(0);
    expect(current(ep, 'us-east-1', '/prod/app/DB_PASSWORD')?.keyId).toBe('alias/prod-key');
    expect(current(ep, 'us-east-1', '/prod/app/AMI')?.value).toBe(REVIEWED_AMI);
  });
});
