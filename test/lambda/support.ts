import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSettings } from '../../src/aws/clients.js';
import { createHandler, type Handler } from '../../src/lambda/handler.js';
import { OWNER_TAG_KEY } from '../../src/manifest/index.js';
import type { Endpoint } from '../endpoint/index.js';
import { fastClock, settingsFor } from '../support/aws.js';
import { OWNER } from '../support/builders.js';

export const FIXTURES = join(import.meta.dirname, '../fixtures/events');

export function fixture(file: string): Record<string, unknown> & { detail: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

export const MANIFEST = `version: 1
source:
  region: ap-south-1
replications:
  - name: prod
    paths: [/prod/app, /prod/api]
    destinations:
      - region: us-east-1
      - region: eu-west-1
`;

export const DESTINATIONS = ['us-east-1', 'eu-west-1'];

/** The tags a replica written by MANIFEST's replication carries. */
export const OWNED = { [OWNER.key]: OWNER.value, [OWNER_TAG_KEY]: 'default/prod' };

/** A CloudTrail event for a successful call, shaped like the vendored samples. */
export function trailEvent(eventName: string, names: string[], region = 'ap-south-1') {
  const base = fixture('cloudtrail-put-parameter.json');
  const requestParameters =
    eventName === 'DeleteParameters'
      ? { names }
      : eventName === 'AddTagsToResource' || eventName === 'RemoveTagsFromResource'
        ? { resourceType: 'Parameter', resourceId: names[0], tags: [] }
        : { name: names[0], value: 'HIDDEN_DUE_TO_SECURITY_REASONS' };
  return {
    ...base,
    region,
    detail: { ...base.detail, eventName, awsRegion: region, requestParameters },
  };
}

export function nativeEvent(operation: string, name: string, region = 'ap-south-1') {
  const base = fixture('native-update.json');
  return { ...base, region, detail: { ...base.detail, operation, name } };
}

/** mulberry32: a small seeded generator, so the shuffled stream is the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestHandler {
  handler: Handler;
  /** Every log line, parsed. */
  logs: Record<string, unknown>[];
  raw: string[];
}

/** The real handler against the local endpoint, logs captured, configured only through `env`. */
export function testHandler(
  ep: Endpoint,
  env: Record<string, string | undefined>,
  options: {
    settings?: Partial<AwsSettings>;
    readFile?: (path: string) => Promise<string>;
    /** The task root; /var/task unless a test puts real files in one. */
    bundleDir?: string;
  } = {},
): TestHandler {
  const raw: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const handler = createHandler({
    env: { AWS_REGION: 'ap-south-1', ...env },
    settings: settingsFor(ep, options.settings),
    clock: fastClock(),
    log: (line) => {
      raw.push(line);
      logs.push(JSON.parse(line));
    },
    bundleDir: options.bundleDir ?? '/var/task',
    ...(options.readFile ? { readFile: options.readFile } : {}),
  });
  return { handler, logs, raw };
}

/**
 * An SQS batch as the event source mapping delivers it, each body an EventBridge event as the rule's SQS
 * target writes it. https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export function sqsBatch(events: unknown[], region = 'ap-south-1') {
  return {
    Records: events.map((event, i) => {
      const body = typeof event === 'string' ? event : JSON.stringify(event);
      const sent = String(1_700_000_000_000 + i);
      return {
        messageId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        receiptHandle: `AQEB${Buffer.from(`receipt-${i}`).toString('base64')}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: sent,
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: sent,
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${region}:123456789012:ssm-replicate-events`,
        awsRegion: region,
      };
    }),
  };
}

export const FUNCTION_CONTEXT = {
  invokedFunctionArn: 'arn:aws:lambda:ap-south-1:123456789012:function:ssm-replicate',
};
