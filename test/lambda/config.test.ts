import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  formatIssue,
  type ManifestError,
  parseManifest,
  SEED_REPLICATION_NAME,
} from '../../src/manifest/index.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { current, listUnder } from '../support/seed.js';
import { DESTINATIONS, MANIFEST, testHandler, trailEvent } from './support.js';

let ep: Endpoint;
beforeAll(async () => {
  ep = await startEndpoint();
});
afterAll(() => ep.stop());
beforeEach(() => {
  ep.state.reset();
  ep.faults.clear();
  ep.resetCalls();
});

const SOURCE = 'ap-south-1';
const SEED_ENV = { DEST_REGIONS: 'us-east-1, eu-west-1', PARAM_PATHS: '/prod/app,/prod/api' };

function seedSource() {
  ep.state.putParameter({
    region: SOURCE,
    name: '/prod/app/A',
    value: 'a',
    type: 'String',
    tags: { team: 'x' },
  });
  ep.state.putParameter({ region: SOURCE, name: '/prod/api/S', value: 's', type: 'SecureString' });
}
const events = [trailEvent('PutParameter', ['/prod/app/A']), trailEvent('PutParameter', ['/prod/api/S'])];

/** The replicas but their sync records, which name the source's LastModifiedDate (each run's own). */
function destinationState() {
  return DESTINATIONS.map((r) => listUnder(ep, r, '/prod/').map(({ sync: _, ...p }) => p));
}

describe('Lambda configuration', () => {
  it("gives the same destination state with the seed's environment variables as with the equivalent manifest", async () => {
    seedSource();
    // The seed's single replication is named SEED_REPLICATION_NAME, which the owner tag records.
    const equivalent = MANIFEST.replace('name: prod', `name: ${SEED_REPLICATION_NAME}`);
    const fromManifest = testHandler(ep, { SSM_REPLICATE_MANIFEST: equivalent });
    for (const e of events) await fromManifest.handler(e);
    const expected = destinationState();
    expect(expected.flat()).toHaveLength(4);

    ep.state.reset();
    seedSource();
    const fromSeed = testHandler(ep, SEED_ENV);
    for (const e of events) await fromSeed.handler(e);
    expect(destinationState()).toEqual(expected);
    expect(fromSeed.logs.find((l) => l.msg === 'configured')).toMatchObject({ origin: 'seed environment' });
  });

  it('writes nothing with DRY_RUN=true and logs what it would do', async () => {
    seedSource();
    const { handler, logs } = testHandler(ep, { ...SEED_ENV, DRY_RUN: 'true' });
    await expect(handler(events[0])).resolves.toMatchObject({ decision: 'dry-run', planned: 2 });
    expect(ep.calls({ operation: 'PutParameter' })).toEqual([]);
    expect(destinationState().flat()).toEqual([]);
    expect(logs.filter((l) => l.msg === 'item').map((l) => [l.action, l.region, l.outcome])).toEqual(
      expect.arrayContaining([
        ['create', 'us-east-1', 'dry-run'],
        ['create', 'eu-west-1', 'dry-run'],
      ]),
    );
  });

  it('ignores an event from a destination region, so replicas never trigger replication (loop safety)', async () => {
    ep.state.putParameter({ region: 'us-east-1', name: '/prod/app/A', value: 'replica', type: 'String' });
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST });
    await expect(handler(trailEvent('PutParameter', ['/prod/app/A'], 'us-east-1'))).resolves.toMatchObject({
      decision: 'ignored',
      reason: 'event from us-east-1, not the source region ap-south-1',
    });
    expect(ep.calls()).toEqual([]);
    expect(logs.find((l) => l.msg === 'event')).toMatchObject({ decision: 'ignore', region: 'us-east-1' });
  });

  it('fails every invocation of an invalid manifest with the CLI’s file:line:column messages, logged once', async () => {
    const bad = MANIFEST.replace('region: us-east-1', 'region: us-east').replace(
      'paths: [',
      'paths: [prod, ',
    );
    let expected: string[] = [];
    try {
      parseManifest(bad, 'SSM_REPLICATE_MANIFEST');
    } catch (error) {
      expected = (error as ManifestError).issues.map(formatIssue);
    }
    expect(expected.length).toBeGreaterThan(1);
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: bad });
    for (let i = 0; i < 3; i++) {
      const failure = (await handler(events[0]).catch((e: Error) => e)) as Error;
      for (const line of expected) expect(failure.message).toContain(line);
    }
    const configLines = logs.filter((l) => l.level === 'error');
    expect(configLines).toHaveLength(1);
    expect(configLines[0]?.problems).toEqual(expected);
    expect(ep.calls()).toEqual([]);
  });

  it('reports bad seed variables by variable name and column', async () => {
    const { handler } = testHandler(ep, { DEST_REGIONS: 'us-east-1,us-east', PARAM_PATHS: '/prod/app' });
    await expect(handler(events[0])).rejects.toThrow(/DEST_REGIONS:1:11: /);
  });

  it('refuses a DRY_RUN that is neither true nor false rather than writing', async () => {
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST, DRY_RUN: 'yes' });
    await expect(handler(events[0])).rejects.toThrow("DRY_RUN:1:1: DRY_RUN must be true or false, got 'yes'");
  });

  it('refuses SSM_REPLICATE_MANIFEST together with the seed variables', async () => {
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: MANIFEST, ...SEED_ENV });
    await expect(handler(events[0])).rejects.toThrow(/either SSM_REPLICATE_MANIFEST or the seed variables/);
  });

  it('reads a manifest bundled next to the code once per execution environment', async () => {
    seedSource();
    const reads: string[] = [];
    const readFile = async (path: string) => {
      reads.push(path);
      if (path === '/var/task/config/replication.yaml') return MANIFEST;
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    const { handler, logs } = testHandler(ep, {}, { readFile });
    for (const e of [...events, ...events]) await handler(e);
    expect(reads).toEqual(['/var/task/config/replication.yaml']);
    expect(logs.filter((l) => l.msg === 'configured')).toHaveLength(1);
    expect(current(ep, 'eu-west-1', '/prod/app/A')?.value).toBe('a');
  });

  it('reads SSM_REPLICATE_MANIFEST as a path relative to the bundle when it is not YAML', async () => {
    seedSource();
    const readFile = async (path: string) => {
      if (path === '/var/task/manifests/prod.yaml') return MANIFEST;
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    const ok = testHandler(ep, { SSM_REPLICATE_MANIFEST: 'manifests/prod.yaml' }, { readFile });
    await expect(ok.handler(events[0])).resolves.toBeDefined();
    const missing = testHandler(ep, { SSM_REPLICATE_MANIFEST: 'manifests/typo.yaml' }, { readFile });
    await expect(missing.handler(events[0])).rejects.toThrow(
      'manifests/typo.yaml:1:1: cannot read the manifest: no such file',
    );
  });

  it('refuses a manifest path that is not a regular file, logging none of its content', async () => {
    const { handler, raw } = testHandler(ep, { SSM_REPLICATE_MANIFEST: '/proc/self/environ' });
    await expect(handler(events[0])).rejects.toThrow(
      '/proc/self/environ:1:1: cannot read the manifest: it is not a regular file',
    );
    const logged = raw.join('\n');
    for (const entry of readFileSync('/proc/self/environ', 'utf8').split('\0').filter(Boolean)) {
      expect(logged).not.toContain(entry);
    }
    expect(ep.calls()).toEqual([]);
  });

  it('says how to configure the function when nothing is configured', async () => {
    const readFile = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    };
    const { handler } = testHandler(ep, {}, { readFile });
    await expect(handler(events[0])).rejects.toThrow(/no configuration: set SSM_REPLICATE_MANIFEST/);
  });

  it('warns at cold start when the function runs outside the source region', async () => {
    seedSource();
    const { handler, logs } = testHandler(ep, { AWS_REGION: 'us-east-1', SSM_REPLICATE_MANIFEST: MANIFEST });
    await handler(events[0]);
    expect(logs.find((l) => l.level === 'warn')?.msg).toMatch(
      /runs in us-east-1 but the source region is ap-south-1/,
    );
  });
});
