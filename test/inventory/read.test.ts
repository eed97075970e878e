import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRegionClients } from '../../src/aws/clients.js';
import { sdkStoreFactory } from '../../src/aws/factory.js';
import { SdkParameterStore } from '../../src/aws/ssm-store.js';
import { InventoryError, readAll } from '../../src/inventory/index.js';
import { readNames, readPaths } from '../../src/inventory/read.js';
import { planJob } from '../../src/jobs/plan-job.js';
import { ssmClient } from '../endpoint/clients.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext, settingsFor } from '../support/aws.js';
import { destination, manifest, replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE, seedFleet } from '../support/seed.js';
import { wrapStore } from '../support/store.js';

const endpoint = useEndpoint();
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
});

const storeIn = (region: string) =>
  new SdkParameterStore(region, createRegionClients(settingsFor(ep), { region }));

describe('reading a region', () => {
  it('joins metadata, decrypted values and tags for every parameter under the paths, through short pages', async () => {
    ep.faults.shortPages(true);
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/DB_PASSWORD',
      value: 's3cret',
      type: 'SecureString',
      tags: { team: 'core' },
    });
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/nested/DB_HOST',
      value: 'db',
      type: 'String',
      description: 'host',
    });
    ep.state.putParameter({ region: SOURCE, name: '/prod/apps/NOT_ME', value: 'x', type: 'String' });
    ep.state.putParameter({ region: SOURCE, name: 'MyExampleParameter', value: 'x', type: 'String' });

    const inv = await readPaths(storeIn(SOURCE), ['/prod/app'], { values: 'decrypted' });

    expect([...inv.parameters.keys()].sort()).toEqual(['/prod/app/DB_PASSWORD', '/prod/app/nested/DB_HOST']);
    const secret = inv.parameters.get('/prod/app/DB_PASSWORD');
    expect(secret?.value?.reveal()).toBe('s3cret');
    expect(secret?.value?.secret).toBe(true);
    expect(secret).toMatchObject({
      type: 'SecureString',
      version: 1,
      tier: 'Standard',
      keyId: 'alias/aws/ssm',
      tags: { team: 'core' },
    });
    expect(inv.parameters.get('/prod/app/nested/DB_HOST')).toMatchObject({ description: 'host', tags: {} });
    expect(inv.account).toBe('123456789012');
  });

  it('reads a parameter named exactly like the path', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app', value: 'root', type: 'String' });
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/child', value: 'c', type: 'String' });
    const inv = await readPaths(storeIn(SOURCE), ['/prod/app'], { values: 'decrypted' });
    expect([...inv.parameters.keys()].sort()).toEqual(['/prod/app', '/prod/app/child']);
    expect(inv.parameters.get('/prod/app')?.value?.reveal()).toBe('root');
  });

  it('reads metadata only by default: no GetParameters call, no value held', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app', value: 'root', type: 'String' });
    seedFleet(ep, 30);
    const inv = await readPaths(storeIn(SOURCE), ['/prod/app']);
    expect(inv.parameters.size).toBe(31);
    expect([...inv.parameters.values()].filter((p) => p.value !== undefined)).toEqual([]);
    expect(ep.calls({ operation: 'GetParameters' })).toEqual([]);
    expect(inv.parameters.get('/prod/app/p00002')).toMatchObject({ type: 'SecureString', version: 1 });
    expect(inv.parameters.get('/prod/app/p00002')?.lastModifiedDate).toBe(
      ep.state.getParameter(SOURCE, '/prod/app/p00002')?.versions.at(-1)?.lastModifiedDate,
    );
  });

  it('reads the values a metadata read asks for without decryption, and never a SecureString', async () => {
    seedFleet(ep, 6);
    const inv = await readPaths(storeIn(SOURCE), ['/prod/app'], { plainValues: () => true });
    const valued = [...inv.parameters.values()].filter((p) => p.value !== undefined).map((p) => p.type);
    expect(valued.sort()).toEqual(['String', 'String', 'StringList', 'StringList']);
    expect(ep.calls({ operation: 'GetParameters' }).every((c) => c.withDecryption === false)).toBe(true);
  });

  it('fails the whole read when a listing page fails, instead of returning a partial listing', async () => {
    seedFleet(ep, 120);
    ep.faults.failPage({ operation: 'DescribeParameters', page: 2, count: 10, error: 'InternalServerError' });
    const error = await readPaths(storeIn(SOURCE), ['/prod/app']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as Error).message).toMatch(
      /Reading ap-south-1 failed during DescribeParameters \/prod\/app \(InternalServerError/,
    );
    expect((error as Error).message).toMatch(/Nothing was planned from a partial listing/);
  });

  it('re-reads a name whose value changed between the metadata and value reads', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/RACE', value: 'v1', type: 'String' });
    const store = storeIn(SOURCE);
    const writer = ssmClient(ep, SOURCE);
    let raced = false;
    const racing = wrapStore(store, {
      getValues: async (names) => {
        if (!raced) {
          raced = true;
          await writer.send(
            new PutParameterCommand({ Name: '/prod/app/RACE', Value: 'v2', Overwrite: true, Type: 'String' }),
          );
        }
        return store.getValues(names, true);
      },
    });
    const inv = await readPaths(racing, ['/prod/app'], { values: 'decrypted' });
    const p = inv.parameters.get('/prod/app/RACE');
    expect(p?.version).toBe(2);
    expect(p?.value?.reveal()).toBe('v2');
    // The listing, the by-name look-up of a parameter named like the path, the re-read of the raced name.
    expect(ep.callCounts({ operation: 'DescribeParameters' })['ap-south-1:DescribeParameters']).toBe(3);
  });

  it('falls back to ListTagsForResource when the tagging API is denied', async () => {
    ep.state.putParameter({
      region: SOURCE,
      name: '/prod/app/T',
      value: 'v',
      type: 'String',
      tags: { a: 'b' },
    });
    ep.faults.failNext({ operation: 'GetResources', error: 'AccessDeniedException', count: 5 });
    const inv = await readPaths(storeIn(SOURCE), ['/prod/app']);
    expect(inv.parameters.get('/prod/app/T')?.tags).toEqual({ a: 'b' });
    expect(ep.callCounts()['ap-south-1:ListTagsForResource']).toBe(1);
  });

  it('reads only the given names, keeping names without a leading slash distinct', async () => {
    // `/MyExampleParameter` and `MyExampleParameter` are two parameters sharing one ARN.
    ep.state.putParameter({ region: SOURCE, name: '/MyExampleParameter', value: 'slash', type: 'String' });
    ep.state.putParameter({
      region: SOURCE,
      name: 'MyExampleParameter',
      value: 'bare',
      type: 'String',
      tags: { k: 'v' },
    });
    const inv = await readNames(storeIn(SOURCE), ['MyExampleParameter', '/prod/app/MISSING'], {
      values: 'decrypted',
    });
    expect([...inv.parameters.keys()]).toEqual(['MyExampleParameter']);
    expect(inv.parameters.get('MyExampleParameter')).toMatchObject({ tags: { k: 'v' } });
    expect(inv.parameters.get('MyExampleParameter')?.value?.reveal()).toBe('bare');
  });
});

describe('reading names while the listing lags behind writes', () => {
  const write = (name: string, value: string) =>
    ssmClient(ep, SOURCE).send(
      new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }),
    );

  it('fails instead of reading a new name as absent when DescribeParameters does not list it yet', async () => {
    ep.faults.lagListing({ region: SOURCE, names: ['/prod/app/NEW'] });
    await write('/prod/app/NEW', 'n');

    const error = await readNames(storeIn(SOURCE), ['/prod/app/NEW']).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InventoryError);
    expect((error as Error).message).toMatch(
      /\/prod\/app\/NEW: GetParameters returned version 1, DescribeParameters does not list it yet/,
    );
  });

  it('fails instead of joining a value with the metadata of an older version', async () => {
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/UPD', value: 'v1', type: 'String' });
    ep.faults.lagListing({ region: SOURCE, names: ['/prod/app/UPD'] });
    await write('/prod/app/UPD', 'v2');

    const error = await readNames(storeIn(SOURCE), ['/prod/app/UPD']).catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/returned version 2, DescribeParameters lists version 1/);
  });

  it('reads the name once the listing catches up within its re-reads, waiting longer before each', async () => {
    ep.faults.lagListing({ region: SOURCE, names: ['/prod/app/NEW'], calls: 2 });
    await write('/prod/app/NEW', 'n');
    const slept: number[] = [];

    const inv = await readNames(storeIn(SOURCE), ['/prod/app/NEW'], {
      sleep: async (ms) => {
        slept.push(ms);
      },
    });

    expect(inv.parameters.get('/prod/app/NEW')?.version).toBe(1);
    expect(slept).toHaveLength(2);
    expect(slept[1]).toBeGreaterThan(slept[0] as number);
    expect(ep.callCounts({ operation: 'DescribeParameters' })).toEqual({
      'ap-south-1:DescribeParameters': 3,
    });
  });

  it('asks DescribeParameters only about names GetParameters found, and not at all when none exist', async () => {
    const inv = await readNames(storeIn(SOURCE), ['/prod/app/A', '/prod/app/B']);

    expect(inv.parameters.size).toBe(0);
    expect(ep.callCounts({ operation: 'DescribeParameters' })).toEqual({});
    expect(ep.callCounts({ operation: 'GetParameters' })).toEqual({ 'ap-south-1:GetParameters': 1 });
  });
});

describe('reading every region of a manifest', () => {
  const twoRegions = manifest([
    replication({ destinations: [destination('us-east-1'), destination('eu-west-1')] }),
  ]);

  it('plans 1,000 parameters into 2 regions within 1.1 x the lower bound of read calls', async () => {
    const fleet = seedFleet(ep, 1000);
    const tagged = fleet.filter((p) => p.tags).length;
    const { plan } = await planJob(jobContext(ep, twoRegions));
    expect(plan.summary.creates).toBe(2000);

    // Per region: ⌈N/50⌉ DescribeParameters + ⌈N/10⌉ GetParameters + ⌈tagged/100⌉ GetResources (source);
    // the empty destinations need one page of each.
    const bound = Math.ceil(1000 / 50) + Math.ceil(1000 / 10) + Math.ceil(tagged / 100) + 2 * 3;
    const reads = ep.calls({ service: 'ssm' }).length + ep.calls({ service: 'tagging' }).length;
    expect(reads).toBeLessThanOrEqual(Math.ceil(bound * 1.1));
  });

  it('reports an unreadable destination as a failed region and still plans the others', async () => {
    seedFleet(ep, 5);
    ep.faults.regionDown('eu-west-1');
    const { plan } = await planJob(jobContext(ep, twoRegions, { maxAttempts: 1 }));
    const eu = plan.regions.find((r) => r.region === 'eu-west-1');
    const us = plan.regions.find((r) => r.region === 'us-east-1');
    expect(eu?.error).toMatch(/Reading eu-west-1 failed/);
    expect(eu?.items).toEqual([]);
    expect(us?.items).toHaveLength(5);
  });

  it('fails outright when the source cannot be read', async () => {
    seedFleet(ep, 5);
    ep.faults.regionDown(SOURCE);
    await expect(readAll(twoRegions, sdkStoreFactory(settingsFor(ep, { maxAttempts: 1 })))).rejects.toThrow(
      /Reading ap-south-1 failed/,
    );
  });
});

describe('reading large and failing paths', () => {
  const endpoint = useEndpoint();

  it('reads several paths of many pages at once without losing or duplicating a parameter', async () => {
    const ep = endpoint();
    seedFleet(ep, 700, '/prod/app');
    seedFleet(ep, 650, '/prod/api');
    const store = new SdkParameterStore(SOURCE, createRegionClients(settingsFor(ep), { region: SOURCE }));
    const inv = await readPaths(store, ['/prod/app', '/prod/api'], { values: 'decrypted' });
    expect(inv.parameters.size).toBe(1350);
    expect(ep.callCounts()['ap-south-1:GetParameters']).toBe(70 + 65);
    ep.resetCalls();
    const metadata = await readPaths(store, ['/prod/app', '/prod/api']);
    expect(metadata.parameters.size).toBe(1350);
    // 14 + 13 pages of 50 and one by-name look-up of both paths as names.
    expect(ep.callCounts()).toMatchObject({ 'ap-south-1:DescribeParameters': 14 + 13 + 1 });
    expect(ep.callCounts()['ap-south-1:GetParameters']).toBeUndefined();
  });

  it('fails the read when a value batch fails mid-listing, without an unhandled rejection', async () => {
    const ep = endpoint();
    seedFleet(ep, 300);
    ep.faults.failNext({
      operation: 'GetParameters',
      region: SOURCE,
      count: 10,
      error: 'InternalServerError',
    });
    const store = new SdkParameterStore(SOURCE, createRegionClients(settingsFor(ep), { region: SOURCE }));
    await expect(readPaths(store, ['/prod/app'], { values: 'decrypted' })).rejects.toThrow(
      /Reading ap-south-1 failed during GetParameters \(InternalServerError/,
    );
  });
});
