import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApplyReport, ItemOutcome } from '../../src/apply/types.js';
import { reportLines } from '../../src/cli/outcomes.js';

const denied = (name: string): ItemOutcome => ({
  target: 'us-east-1',
  region: 'us-east-1',
  name,
  action: 'create',
  status: 'failed',
  message: `AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter${name} because no identity-based policy allows it`,
});

function report(outcomes: ItemOutcome[]): ApplyReport {
  const n = (s: ItemOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  return {
    outcomes,
    applied: n('applied'),
    failed: n('failed'),
    skipped: n('skipped'),
    drifted: n('drifted'),
  };
}

describe('the apply report', () => {
  it('groups refusals that differ only in the resource AWS names, with a count and two examples', () => {
    const names = Array.from({ length: 60 }, (_, i) => `/prod/app/p${i}`);
    const lines = reportLines(report(names.map(denied)));
    expect(lines).toEqual([
      'Applied 0, failed 60, drifted 0, skipped 0.',
      '  failed  us-east-1 60 × AccessDeniedException: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter… because no identity-based policy allows it (e.g. /prod/app/p0, /prod/app/p1, and 58 more)',
    ]);
  });

  it('gives the first names in name order, whatever order the writes finished in', () => {
    const [, line] = reportLines(report(['/p/c', '/p/a', '/p/d', '/p/b'].map(denied)));
    expect(line).toMatch(/\(e\.g\. \/p\/a, \/p\/b, and 2 more\)$/);
  });

  it('keeps a lone failure whole, its name in the message included', () => {
    const [, line] = reportLines(report([denied('/prod/app/only')]));
    expect(line).toBe(`  failed  us-east-1 create /prod/app/only: ${denied('/prod/app/only').message}`);
  });

  it('keeps different reasons and regions apart, and says "and K more" only when there are more', () => {
    const other = { ...denied('/b'), region: 'eu-west-1', target: 'eu-west-1' };
    const lines = reportLines(report([denied('/a'), denied('/c'), other]));
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^ {2}failed {2}us-east-1 2 × AccessDeniedException: .* \(e\.g\. \/a, \/c\)$/),
      expect.stringMatching(
        /^ {2}failed {2}eu-west-1 create \/b: AccessDeniedException: .*parameter\/b because/,
      ),
    ]);
  });

  it('accounts for every outcome that did not simply apply, exactly once', () => {
    const outcome = fc.record({
      target: fc.constantFrom('us-east-1', 'eu-west-1'),
      name: fc.constantFrom('/a', '/b', '/c', '/d'),
      action: fc.constantFrom('create', 'update', 'delete') as fc.Arbitrary<ItemOutcome['action']>,
      status: fc.constantFrom('applied', 'failed', 'skipped', 'drifted') as fc.Arbitrary<
        ItemOutcome['status']
      >,
      message: fc.option(fc.constantFrom('X: /a gone', 'Y: denied', 'Z'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 30 }), (raw) => {
        const outcomes = raw.map(({ message, ...o }) => ({
          ...o,
          region: o.target,
          ...(message ? { message } : {}),
        }));
        const counted = reportLines(report(outcomes))
          .slice(1)
          .map((l) => Number(/^ {2}\S+\s+\S+ (\d+) × /.exec(l)?.[1] ?? 1))
          .reduce((a, b) => a + b, 0);
        expect(counted).toBe(outcomes.filter((o) => o.status !== 'applied').length);
      }),
    );
  });
});
