import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lambda/config.js';
import { formatIssue, type ManifestError, parseManifest } from '../../src/manifest/index.js';
import { useEndpoint } from '../support/endpoint.js';
import { current } from '../support/seed.js';
import { DESTINATIONS, MANIFEST, testHandler, trailEvent } from './support.js';

const endpoint = useEndpoint();
const SECRET = 'AKIAIOSFODNN7EXAMPLE-wJalrXUtnFEMI-not-a-manifest';
let dir: string;
let root: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssm-replicate-task-'));
  root = join(dir, 'task');
  mkdirSync(join(root, 'config'), { recursive: true });
  writeFileSync(join(root, 'index.mjs'), '');
  writeFileSync(join(dir, 'outside.yaml'), `version: 1\n# ${SECRET}\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const event = trailEvent('PutParameter', ['/prod/app/A']);
/** The real handler with its own file reader, its task root a temporary directory. */
const inTaskRoot = (manifest: string) =>
  testHandler(endpoint(), { SSM_REPLICATE_MANIFEST: manifest }, { bundleDir: root });

describe('a manifest in the deployment package (SSM_REPLICATE_MANIFEST=file:PATH)', () => {
  it('is read from the function root once per cold start and configures the function', async () => {
    const ep = endpoint();
    writeFileSync(join(root, 'replication.yaml'), MANIFEST);
    ep.state.putParameter({ region: 'ap-south-1', name: '/prod/app/A', value: 'a', type: 'String' });
    const { handler, logs } = inTaskRoot('file:replication.yaml');
    await handler(event);
    rmSync(join(root, 'replication.yaml'));
    await handler(event);
    for (const region of DESTINATIONS) expect(current(ep, region, '/prod/app/A')?.value).toBe('a');
    expect(logs.filter((l) => l.msg === 'configured')).toEqual([
      expect.objectContaining({ origin: 'SSM_REPLICATE_MANIFEST' }),
    ]);
  });

  it('follows a link that stays inside the function root', async () => {
    writeFileSync(join(root, 'config/prod.yaml'), MANIFEST);
    symlinkSync('prod.yaml', join(root, 'config/current.yaml'));
    endpoint().state.putParameter({ region: 'ap-south-1', name: '/prod/app/A', value: 'a', type: 'String' });
    const { handler } = inTaskRoot('file:config/current.yaml');
    await expect(handler(event)).resolves.toMatchObject({ decision: 'replicated' });
  });

  it("reports a bad manifest at the file's line and column, as ssm-replicate validate does", async () => {
    const bad = MANIFEST.replace('region: us-east-1', 'region: us-east');
    writeFileSync(join(root, 'config/replication.yaml'), bad);
    let expected: string[] = [];
    try {
      parseManifest(bad, 'config/replication.yaml');
    } catch (error) {
      expected = (error as ManifestError).issues.map(formatIssue);
    }
    expect(expected).toEqual([expect.stringMatching(/^config\/replication\.yaml:8:17: /)]);
    const { handler, logs } = inTaskRoot('file:config/replication.yaml');
    for (let i = 0; i < 2; i++) {
      const failure = (await handler(event).catch((e: Error) => e)) as Error;
      expect(failure.message).toContain(expected[0]);
    }
    expect(logs.filter((l) => l.level === 'error')[0]?.problems).toEqual(expected);
  });

  it('says at cold start which file is missing and how to put it in the zip', async () => {
    const { handler, logs } = inTaskRoot('file:replication.yaml');
    await expect(handler(event)).rejects.toThrow(
      "replication.yaml:1:1: cannot read the manifest: no such file in the function's root (LAMBDA_TASK_ROOT, where index.mjs is); add replication.yaml to the zip next to index.mjs",
    );
    expect(logs.filter((l) => l.level === 'error')).toHaveLength(1);
    expect(endpoint().calls()).toEqual([]);
  });

  it.each([
    ['file:/etc/passwd', 'an absolute path'],
    ['file:../outside.yaml', 'a path out of the package (..)'],
    ['file:config/../../outside.yaml', 'a path out of the package (..)'],
    ['file:', 'no path after file:'],
  ])('refuses %s before reading anything: %s', async (manifest, why) => {
    const reads: string[] = [];
    const refused = loadConfig({
      env: { SSM_REPLICATE_MANIFEST: manifest },
      readFile: async (path) => {
        reads.push(path);
        return MANIFEST;
      },
      bundleDir: root,
    });
    await expect(refused).rejects.toMatchObject({
      problems: [expect.stringContaining(`SSM_REPLICATE_MANIFEST:1:6: ${manifest}: ${why}`)],
    });
    expect(reads).toEqual([]);
  });

  it('refuses a link out of the function root and logs none of what it points at', async () => {
    symlinkSync(join(dir, 'outside.yaml'), join(root, 'replication.yaml'));
    symlinkSync('/proc/self/environ', join(root, 'environ.yaml'));
    for (const [file, target] of [
      ['replication.yaml', join(dir, 'outside.yaml')],
      ['environ.yaml', '/proc/'],
    ] as const) {
      const { handler, raw } = inTaskRoot(`file:${file}`);
      const failure = (await handler(event).catch((e: Error) => e)) as Error;
      expect(failure.message).toContain(`${file}:1:1: cannot read the manifest: it resolves to '${target}`);
      expect(failure.message).toContain("outside the function's root");
      const said = [failure.message, failure.stack, ...raw].join('\n');
      expect(said).not.toContain(SECRET);
      for (const entry of readFileSync('/proc/self/environ', 'utf8').split('\0').filter(Boolean))
        expect(said).not.toContain(entry);
    }
    expect(endpoint().calls()).toEqual([]);
  });

  it('reads exactly the path under the root for any relative path without a .. step, and nothing for any other', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    const safe = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    const escaping = fc
      .tuple(fc.array(segment, { maxLength: 3 }), fc.array(segment, { maxLength: 3 }), fc.boolean())
      .map(([before, after, absolute]) =>
        absolute ? `/${[...before, 'x'].join('/')}` : [...before, '..', ...after].join('/'),
      );
    await fc.assert(
      fc.asyncProperty(fc.oneof(safe, escaping), async (path) => {
        const reads: [string, string | undefined][] = [];
        const loaded = loadConfig({
          env: { SSM_REPLICATE_MANIFEST: `file:${path}` },
          readFile: async (p, within) => {
            reads.push([p, within]);
            return MANIFEST;
          },
          bundleDir: '/var/task',
        });
        const outside = path.startsWith('/') || path.split('/').includes('..');
        if (outside) {
          await expect(loaded).rejects.toMatchObject({ name: 'ConfigError' });
          expect(reads).toEqual([]);
        } else {
          await expect(loaded).resolves.toMatchObject({ origin: 'SSM_REPLICATE_MANIFEST' });
          expect(reads).toEqual([[join('/var/task', path), '/var/task']]);
        }
      }),
    );
  });
});
