import { describe, expect, it } from 'vitest';
import { createHandler } from '../../src/lambda/handler.js';
import { parseS3Uri, s3ObjectReader } from '../../src/lambda/s3-manifest.js';
import { TEST_CREDENTIALS } from '../endpoint/clients.js';
import { fastClock, settingsFor } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';
import { current } from '../support/seed.js';
import { DESTINATIONS, MANIFEST, testHandler, trailEvent } from './support.js';

const endpoint = useEndpoint();
const URI = 's3://config-bucket/ssm-replicate/replication.yaml';
const LOCATION = { bucket: 'config-bucket', key: 'ssm-replicate/replication.yaml' };

describe('a manifest in S3 (SSM_REPLICATE_MANIFEST=s3://BUCKET/KEY)', () => {
  it('is read once per cold start through the SDK and configures the function', async () => {
    const ep = endpoint();
    ep.objects.putObject(LOCATION.bucket, LOCATION.key, MANIFEST);
    ep.state.putParameter({ region: 'ap-south-1', name: '/prod/app/A', value: 'a', type: 'String' });
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: URI });
    await handler(trailEvent('PutParameter', ['/prod/app/A']));
    await handler(trailEvent('PutParameter', ['/prod/app/A']));
    for (const region of DESTINATIONS) expect(current(ep, region, '/prod/app/A')?.value).toBe('a');
    expect(ep.calls({ service: 's3' }).map((c) => [c.operation, c.status])).toEqual([['GetObject', 200]]);
    expect(logs.find((l) => l.msg === 'configured')).toMatchObject({ origin: 'SSM_REPLICATE_MANIFEST' });
  });

  it('fails every invocation with the object named when it does not exist, and does not ask again', async () => {
    const ep = endpoint();
    ep.objects.putObject(LOCATION.bucket, 'other.yaml', MANIFEST);
    const { handler, logs } = testHandler(ep, { SSM_REPLICATE_MANIFEST: URI });
    for (let i = 0; i < 2; i++)
      await expect(handler(trailEvent('PutParameter', ['/prod/app/A']))).rejects.toThrow(
        `${URI}:1:1: cannot read the manifest: no such object (NoSuchKey)`,
      );
    expect(ep.calls({ service: 's3' })).toHaveLength(1);
    expect(JSON.stringify(logs)).toMatch(/invalid configuration/);
  });

  it('tries again on the next invocation after a failure retrying can fix', async () => {
    let calls = 0;
    const ep = endpoint();
    const handler = createHandler({
      env: { AWS_REGION: 'ap-south-1', SSM_REPLICATE_MANIFEST: URI },
      settings: settingsFor(ep),
      clock: fastClock(),
      log: () => undefined,
      bundleDir: '/var/task',
      readObject: async () => {
        calls += 1;
        if (calls === 1) throw new Error('socket hang up');
        return new TextEncoder().encode(MANIFEST);
      },
    });
    await expect(handler(trailEvent('PutParameter', ['/prod/app/A']))).rejects.toThrow(/socket hang up/);
    await expect(handler(trailEvent('PutParameter', ['/prod/app/NONE']))).rejects.not.toThrow(
      /configuration/,
    );
    expect(calls).toBe(2);
  });

  it.each([
    ['a NUL byte', Buffer.from('version: 1\0'), /contains a NUL byte at line 1/],
    ['UTF-16', Buffer.from('\ufeffversion: 1', 'utf16le'), /UTF-16/],
    ['invalid UTF-8', Buffer.from([0x76, 0xff, 0x0a]), /not valid UTF-8/],
  ])('refuses an object with %s as a manifest file would be', async (_, body, message) => {
    const ep = endpoint();
    ep.objects.putObject(LOCATION.bucket, LOCATION.key, body);
    const { handler } = testHandler(ep, { SSM_REPLICATE_MANIFEST: URI });
    await expect(handler(trailEvent('PutParameter', ['/prod/app/A']))).rejects.toThrow(message);
  });

  it('refuses an object over the size cap before and while reading it', async () => {
    const ep = endpoint();
    ep.objects.putObject(LOCATION.bucket, LOCATION.key, 'x'.repeat(2048));
    const read = s3ObjectReader({ region: 'ap-south-1', endpoint: ep.url, credentials: TEST_CREDENTIALS });
    await expect(read(LOCATION, 1024)).rejects.toThrow(/objects over 0 MiB are not read/);
    await expect(read(LOCATION, 4096)).resolves.toHaveLength(2048);
  });

  it('says what a missing bucket means, without quoting the response', async () => {
    const ep = endpoint();
    const read = s3ObjectReader({ region: 'ap-south-1', endpoint: ep.url, credentials: TEST_CREDENTIALS });
    await expect(read({ bucket: 'absent-bucket', key: 'k' }, 1024)).rejects.toThrow(
      'no such bucket (NoSuchBucket)',
    );
  });

  it.each(['s3://', 's3://Upper/key', 's3://bucket', 's3://bucket/', 's3://b/key'])(
    'refuses %j as an S3 object URI, saying the expected form',
    (uri) => {
      expect(() => parseS3Uri(uri)).toThrow(/expected s3:\/\/BUCKET\/KEY/);
    },
  );

  it('leaves paths and inline YAML alone', () => {
    expect(parseS3Uri('config/replication.yaml')).toBeUndefined();
    expect(parseS3Uri(URI)).toEqual(LOCATION);
  });
});
