import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeCalls } from '../../bench/calls.js';
import {
  achievedRate,
  fmtPercent,
  fmtRatio,
  formatTable,
  judge,
  lowerBound,
  median,
  metadataBound,
  ratio,
  tpsBoundSeconds,
} from '../../bench/report.js';
import type { CallRecord } from '../endpoint/index.js';

describe('metadataBound', () => {
  it('is one DescribeParameters page per 50 and one tagging page per 100 tagged, each listing at least once', () => {
    expect(metadataBound(10_000, 10_000)).toBe(200 + 100);
    expect(metadataBound(51, 101)).toBe(2 + 2);
    expect(metadataBound(0, 0)).toBe(2);
  });
});

describe('summarizeCalls on value reads', () => {
  it('counts GetParameters with decryption and the KMS decrypts behind them', () => {
    const call = (over: Partial<CallRecord>): CallRecord => ({
      seq: 1,
      time: 0,
      account: '1',
      region: 'us-east-1',
      service: 'ssm',
      operation: 'GetParameters',
      status: 200,
      durationMs: 1,
      ...over,
    });
    const s = summarizeCalls(
      [
        call({ withDecryption: true, kmsDecrypts: 3 }),
        call({ withDecryption: false }),
        call({ operation: 'DescribeParameters' }),
      ],
      1,
    );
    expect([s.gets, s.decryptingGets, s.kmsDecrypts]).toEqual([2, 1, 3]);
  });
});

describe('lowerBound', () => {
  it('is one DescribeParameters page per 50, one GetParameters per 10 and one tagging page per 100 tagged', () => {
    expect(lowerBound(1_000, 300)).toBe(20 + 100 + 3);
    expect(lowerBound(10_000, 3_000)).toBe(200 + 1_000 + 30);
  });

  it('rounds partial pages up', () => {
    expect(lowerBound(51, 101)).toBe(2 + 6 + 2);
  });

  it('still counts one call per listing for an empty region', () => {
    expect(lowerBound(0, 0)).toBe(2);
  });
});

describe('tpsBoundSeconds', () => {
  const rate = (family: string) => ({ get: 40, describe: 10, put: 3 })[family] ?? 10;

  it('is the slowest (region, family) bucket, since each has its own quota and they run side by side', () => {
    const counts = [
      { region: 'a', family: 'get', calls: 100 },
      { region: 'a', family: 'describe', calls: 20 },
      { region: 'b', family: 'put', calls: 9 },
    ];
    expect(tpsBoundSeconds(counts, rate)).toBe(3);
  });

  it('is zero without calls', () => {
    expect(tpsBoundSeconds([], rate)).toBe(0);
  });
});

describe('ratio and achievedRate', () => {
  it('divides, and has no value against zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeUndefined();
  });

  it('counts the gaps between arrivals, not the arrivals, in any order', () => {
    expect(achievedRate([2_000, 0, 1_000, 500])).toBe(1.5);
    expect(achievedRate([5])).toBeUndefined();
    expect(achievedRate([5, 5])).toBeUndefined();
  });
});

describe('formatting', () => {
  it('shows ratios with more digits when small and a dash when undefined', () => {
    expect(fmtRatio(1.234)).toBe('1.23×');
    expect(fmtRatio(0.0123)).toBe('0.012×');
    expect(fmtRatio(undefined)).toBe('–');
    expect(fmtPercent(0.934)).toBe('93 %');
  });

  it('lays out a Markdown table with the first column left-aligned and the rest right-aligned', () => {
    expect(
      formatTable(
        ['Scenario', 'Calls'],
        [
          ['plan', '138'],
          ['seed dry run', '6,300'],
        ],
      ),
    ).toBe(
      [
        '| Scenario     | Calls |',
        '| ------------ | ----: |',
        '| plan         |   138 |',
        '| seed dry run | 6,300 |',
      ].join('\n'),
    );
  });
});

describe('judge', () => {
  it('passes at the limit, fails past it, and skips what was not measured', () => {
    expect(judge('t', 1.1, 1.1, 'at-most', '').verdict).toBe('PASS');
    expect(judge('t', 1.11, 1.1, 'at-most', '').verdict).toBe('FAIL');
    expect(judge('t', 9.9, 10, 'at-least', '').verdict).toBe('FAIL');
    expect(judge('t', undefined, 10, 'at-least', '').verdict).toBe('SKIP');
  });
});

describe('summarizeCalls', () => {
  const call = (over: Partial<CallRecord>): CallRecord => ({
    seq: 0,
    time: 0,
    account: '123456789012',
    region: 'us-east-1',
    service: 'ssm',
    operation: 'GetParameters',
    status: 200,
    durationMs: 20,
    ...over,
  });

  it('counts throttled calls apart, bounds time by successful calls only, and measures the put rate', () => {
    const summary = summarizeCalls(
      [
        call({ operation: 'PutParameter', time: 0 }),
        call({ operation: 'PutParameter', time: 500 }),
        call({ operation: 'PutParameter', time: 1_000 }),
        call({ operation: 'PutParameter', status: 400, errorCode: 'ThrottlingException' }),
        call({ service: 'tagging', operation: 'GetResources', status: 400, errorCode: 'ThrottledException' }),
        call({ region: 'eu-west-1' }),
      ],
      1,
    );
    expect(summary).toMatchObject({ total: 6, ok: 4, throttled: 2, otherErrors: 0, writes: 3 });
    expect(summary.byRegionOperation).toMatchObject({
      'us-east-1:PutParameter': 4,
      'eu-west-1:GetParameters': 1,
    });
    // 3 successful puts at the default 3 per second.
    expect(summary.tpsBoundSeconds).toBe(1);
    expect(summary.putRate['us-east-1']).toBe(2);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
  });

  it('has at least half of the values on each side', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1 }), (values) => {
        const m = median(values);
        expect(values.filter((v) => v <= m).length * 2).toBeGreaterThanOrEqual(values.length);
        expect(values.filter((v) => v >= m).length * 2).toBeGreaterThanOrEqual(values.length);
      }),
    );
  });
});
