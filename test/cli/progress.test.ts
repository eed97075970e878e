import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../src/cli/progress.js';
import type { LiveLine } from '../../src/cli/terminal.js';
import { keyed } from '../../src/keyed.js';
import type { Clock } from '../../src/rate/limiter.js';

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
