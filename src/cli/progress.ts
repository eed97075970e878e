import type { ApplyProgress } from '../apply/types.js';
import type { Clock } from '../rate/limiter.js';

/**
 * On a terminal: one live line (done/total, rate, ETA, per region), redrawn at most 10 times a second.
 * Elsewhere (CI logs): a plain line every `every` items or every 10 s, whichever comes first.
 */
export function progressPrinter(
  stream: { write(text: string): unknown; isTTY?: boolean },
  clock: Clock,
  every = 100,
): { update(p: ApplyProgress): void; done(): void } {
  const started = clock.now();
  let lastDraw = 0;
  let lastCount = 0;
  let drawn = false;
  const line = (p: ApplyProgress) => {
    const seconds = Math.max(0.001, (clock.now() - started) / 1000);
    const rate = p.done / seconds;
    const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0;
    const regions = Object.entries(p.byRegion)
      .map(([r, c]) => `${r} ${c.done}/${c.total}`)
      .join(', ');
    const failed = p.failed > 0 ? `, ${p.failed} failed` : '';
    return `applying ${p.done}/${p.total} (${rate.toFixed(1)}/s, ETA ${eta}s${failed}) ${regions}`;
  };
  return {
    update(p) {
      const now = clock.now();
      if (stream.isTTY) {
        if (now - lastDraw < 100 && p.done < p.total) return;
        stream.write(`\r\x1b[2K${line(p)}`);
        drawn = true;
      } else {
        if (p.done - lastCount < every && now - lastDraw < 10_000 && p.done < p.total) return;
        stream.write(`${line(p)}\n`);
        lastCount = p.done;
      }
      lastDraw = now;
    },
    done() {
      if (drawn) stream.write('\n');
    },
  };
}
