import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_CREDENTIALS } from '../endpoint/clients.js';
import { type Endpoint, startEndpoint } from '../endpoint/index.js';
import { current } from '../support/seed.js';
import { MANIFEST, trailEvent } from './support.js';

/** build.mjs is plain JS; the Lambda entry is built from its own options, only into a temporary folder. */
const BUILD = '../../build.mjs';
interface Entry {
  entryPoints: string[];
  outfile: string;
}
const { entries, buildOptions } = (await import(BUILD)) as {
  entries: Entry[];
  buildOptions: (entry: Entry) => Record<string, unknown>;
};

let ep: Endpoint;
let dir: string;
beforeAll(async () => {
  ep = await startEndpoint();
  dir = mkdtempSync(join(tmpdir(), 'ssm-replicate-lambda-'));
});
afterAll(async () => {
  await ep.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the built Lambda bundle', () => {
  it('exports handler as the Node runtime imports it, and replicates through the real SDK', async () => {
    const entry = entries.find((e) => e.outfile === 'dist/lambda/index.mjs');
    if (!entry) throw new Error('no Lambda entry in build.mjs');
    const outfile = join(dir, 'index.mjs');
    await build({ ...buildOptions(entry), outfile, logLevel: 'silent' });

    const env = {
      AWS_REGION: 'ap-south-1',
      AWS_ENDPOINT_URL: ep.url,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_MAX_ATTEMPTS: '2',
      SSM_REPLICATE_MANIFEST: MANIFEST,
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      // Importing must not throw, whatever the configuration: it is read at the first invocation.
      const mod = (await import(pathToFileURL(outfile).href)) as {
        handler: (e: unknown) => Promise<unknown>;
      };
      ep.state.putParameter({ region: 'ap-south-1', name: '/prod/app/BUNDLED', value: 'b', type: 'String' });
      await expect(mod.handler(trailEvent('PutParameter', ['/prod/app/BUNDLED']))).resolves.toMatchObject({
        decision: 'replicated',
        applied: 2,
      });
    } finally {
      write.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(current(ep, 'us-east-1', '/prod/app/BUNDLED')?.value).toBe('b');
    expect(current(ep, 'eu-west-1', '/prod/app/BUNDLED')?.value).toBe('b');
    const logged = lines
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(logged.map((l) => l.msg)).toEqual(expect.arrayContaining(['configured', 'event', 'item']));
  }, 60_000);
});
