import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyed } from '../../src/keyed.js';
import type { LiveParameter } from '../../src/model.js';
import type { DesiredReplica } from '../../src/plan/desired.js';
import { valueVerdict } from '../../src/plan/diff.js';
import {
  checkSyncRecord,
  decodeSyncRecord,
  encodeSyncRecord,
  type SyncRecord,
  syncInput,
  withoutEditor,
} from '../../src/plan/sync-record.js';

/** AWS's tag value characters (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

const record = fc.record({
  sourceVersion: fc.integer({ min: 1, max: 999_999_999 }),
  sourceDate: fc.integer({ min: 0, max: 8_640_000_000_000 }),
  replicaVersion: fc.integer({ min: 1, max: 999_999_999 }),
  input: fc.stringMatching(/^[A-Za-z0-9_-]{16}$/),
});

/** Text an attacker (or an earlier tool, or a hand) could put in the tag. */
const hostile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  record.map(encodeSyncRecord).chain((good) =>
    fc.oneof(
      fc.constant(`${good} `),
      fc.constant(` ${good}`),
      fc.constant(`${good}\n`),
      fc.constant(good.toUpperCase()),
      fc.constant(good.replace('v1/', 'v1//')),
      fc.constant(good.replaceAll('/', ':')),
      fc.constant(good.replace(/\/(\d+)\//, '/0$1/')),
      fc.constant(good.replace(/\/(\d+)\//, '/-$1/')),
      fc.constant(good.slice(0, -1)),
      fc.string({ maxLength: 3 }).map((s) => `${good}${s}`),
    ),
  ),
);

describe('the sync record encoding', () => {
  it('round-trips every record, within AWS tag value rules', () => {
    fc.assert(
      fc.property(record, (r) => {
        const text = encodeSyncRecord(r);
        expect(text).toMatch(TAG_VALUE);
        expect(decodeSyncRecord(text)).toEqual(r);
      }),
    );
  });

  it('parses nothing but a canonical encoding: any text that decodes encodes back to itself', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const decoded = decodeSyncRecord(text);
        if (decoded) expect(encodeSyncRecord(decoded)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('parses none of the edited forms of a valid record', () => {
    const good = encodeSyncRecord({
      sourceVersion: 7,
      sourceDate: 1_700_000_000_123,
      replicaVersion: 3,
      input: 'abcdefghijklmnop',
    });
    for (const bad of [
      `${good} `,
      good.slice(0, -1),
      `${good}q`,
      good.replace('/7/', '/07/'),
      good.replace('v1', 'V1'),
      '',
      'v1',
    ]) {
      expect(decodeSyncRecord(bad), bad).toBeUndefined();
    }
  });
});

const REGION = 'ap-south-1';
const meta = (over: Partial<LiveParameter>): LiveParameter => ({
  name: '/prod/app/a',
  type: 'String',
  version: 1,
  tier: 'Standard',
  policies: [],
  dataType: 'text',
  tags: keyed(),
  ...over,
});

describe('unknown is never equal', () => {
  const small = fc.integer({ min: 1, max: 3 });
  const dates = fc.constantFrom(Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1, 0, 0, 1), undefined);
  const names = fc.constantFrom('/prod/app/a', '/prod/app/b');
  const amis = fc.constantFrom(undefined, 'ami-0123456789abcdef0');

  it('proves a replica equal only when its record agrees with both sides in every field', () => {
    fc.assert(
      fc.property(
        fc.record({
          recorded: fc.record({
            sourceVersion: small,
            replicaVersion: small,
            sourceName: names,
            ami: amis,
            date: dates,
          }),
          source: fc.record({ version: small, name: names, date: dates }),
          replicaVersion: small,
          ami: amis,
          tag: fc.constantFrom('record', 'missing', 'garbled'),
        }),
        ({ recorded, source, replicaVersion, ami, tag }) => {
          const text = encodeSyncRecord({
            sourceVersion: recorded.sourceVersion,
            sourceDate: recorded.date ?? 0,
            replicaVersion: recorded.replicaVersion,
            input: syncInput(REGION, recorded.sourceName, recorded.ami),
          } satisfies SyncRecord);
          const replica = meta({
            version: replicaVersion,
            ...(tag === 'missing' ? {} : { syncRecord: tag === 'record' ? text : `${text}!` }),
          });
          const src = meta({
            name: source.name,
            version: source.version,
            ...(source.date !== undefined ? { lastModifiedDate: source.date } : {}),
          });
          const desired = { ...src, sourceName: src.name, ...(ami ? { ami } : {}) } as DesiredReplica;
          const verdict = valueVerdict(
            { valueDisplay: 'none', sameKey: (a, b) => a === b, sourceRegion: REGION },
            desired,
            replica,
            src,
          );
          const agrees =
            tag === 'record' &&
            recorded.sourceVersion === source.version &&
            recorded.replicaVersion === replicaVersion &&
            recorded.sourceName === source.name &&
            recorded.ami === ami &&
            recorded.date !== undefined &&
            recorded.date === source.date;
          expect(verdict.equal).toBe(agrees);
          expect(checkSyncRecord(replica, src, syncInput(REGION, src.name, ami)).proven).toBe(agrees);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('the outside-edit reason without its editor', () => {
  const INPUT = 'AAAAAAAAAAAAAAAA';
  const versions = fc
    .tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 100 }))
    .filter(([a, b]) => a !== b);

  it('keeps the versions and drops whatever LastModifiedUser said, for any editor AWS reports', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
        versions,
        (user, [from, to]) => {
          const record = encodeSyncRecord({
            sourceVersion: 1,
            sourceDate: 0,
            replicaVersion: from,
            input: INPUT,
          });
          const verdict = checkSyncRecord(
            meta({
              version: to,
              syncRecord: record,
              ...(user !== undefined ? { lastModifiedUser: user } : {}),
            }),
            meta({ version: 1 }),
            INPUT,
          );
          if (verdict.proven) throw new Error('a replica edited outside ssm-replicate was proven equal');
          expect(withoutEditor(verdict.reason)).toBe(
            `replica changed outside ssm-replicate (version ${from} → ${to})`,
          );
        },
      ),
    );
  });

  it('leaves every other reason alone', () => {
    for (const reason of ['value differs', 'no sync record', 'source changed: version 1 → 2'])
      expect(withoutEditor(reason)).toBeUndefined();
  });
});
