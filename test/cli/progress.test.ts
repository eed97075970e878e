import { describe, expect, it } from 'vitest';
import { progressPrinter, readProgress } from '../../src/cli/progress.js';
import type { LiveLine } from '../../src/cli/terminal.js';
import { keyed } from '../../src/keyed.js';
import type { Clock } from '../../src/rate/limiter.js';
import type { ParameterStore } from '../../src/store/port.js';

const clock: Clock = { now: () => 0, sleep: async () => undefined };

function live(): LiveLine & { drawn: string[] } {
  const drawn: string[] = [];
  return { enabled: true, drawn, draw: (t) => drawn.push(t), clear: () => undefined };
}

describe('the applying line', () => {
  it('names only the regions with something to write', () => {
    const line = live();
    const printer = progressPrinter(line, { write: () => undefined }, clock);
    printer.update({
      done: 3,
      total: 10,
      failed: 0,
      byRegion: keyed([
        ['eu-west-1', { done: 0, total: 0 }],
        ['us-east-1', { done: 3, total: 10 }],
      ]),
    });
    expect(line.drawn).toHaveLength(1);
    expect(line.drawn[0]).toMatch(/^applying 3\/10 \(.*\) us-east-1 3\/10$/);
  });
});

describe('the reading line', () => {
  it('draws nothing after a new phase until a region has read something in it', async () => {
    const line = live();
    const store = {
      region: 'ap-south-1',
      getValues: async (names: readonly string[]) =>
        names.map((name) => ({ name, type: 'String' as const, value: 'v', version: 1 })),
    } as unknown as ParameterStore;
    const reads = readProgress(() => store, line);
    const view = reads.storeFor({ region: 'ap-south-1' });
    await view.getValues(['/prod/app/a'], false);
    expect(line.drawn).toEqual(['reading: ap-south-1 0 listed, 1 values']);
    reads.phase('verifying');
    // The apply lock is read like a parameter, and is none of the fleet's.
    await view.getValues(['lock.ssm-replicate.default'], false);
    expect(line.drawn).toHaveLength(1);
    await view.getValues(['/prod/app/a'], false);
    expect(line.drawn.at(-1)).toBe('verifying: ap-south-1 0 listed, 1 values');
  });
});
