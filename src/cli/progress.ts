import type { ApplyProgress } from '../apply/types.js';
import type { Clock } from '../rate/limiter.js';
import type { ParameterStore, StoreFactory } from '../store/port.js';
import type { CliStream } from './command.js';
import type { LiveLine } from './terminal.js';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * On a terminal: the live line (done/total, rate, ETA, per region). Elsewhere (CI logs, a pipe): a
 * plain line every `every` items or every 10 s, whichever comes first.
 */
export function progressPrinter(
  live: LiveLine,
  stream: CliStream,
  clock: Clock,
  every = 100,
): { update(p: ApplyProgress): void; done(): void } {
  const started = clock.now();
  let lastLine = started;
  let lastCount = 0;
  const line = (p: ApplyProgress) => {
    const seconds = Math.max(0.001, (clock.now() - started) / 1000);
    const rate = p.done / seconds;
    const eta = rate > 0 ? Math.ceil((p.total - p.done) / rate) : 0;
    // A region in sync has nothing to count: `eu-west-1 0/0` would only push the others off the line.
    const regions = Object.entries(p.byRegion)
      .filter(([, c]) => c.total > 0)
      .map(([r, c]) => `${r} ${c.done}/${c.total}`)
      .join(', ');
    const failed = p.failed > 0 ? `, ${p.failed} failed` : '';
    return `applying ${p.done}/${p.total} (${rate.toFixed(1)}/s, ETA ${eta}s${failed}) ${regions}`;
  };
  return {
    update(p) {
      if (live.enabled) {
        live.draw(line(p));
        return;
      }
      const now = clock.now();
      if (p.done - lastCount < every && now - lastLine < 10_000 && p.done < p.total) return;
      stream.write(`${line(p)}\n`);
      lastCount = p.done;
      lastLine = now;
    },
    done() {
      live.clear();
    },
  };
}

interface ReadCounts {
  listed: number;
  values: number;
  tags: number;
}

/** The stores of a run that shows its reads, and how to say that a new kind of read begins. */
export interface ReadProgress {
  storeFor: StoreFactory;
  /**
   * Starts counting again from zero under `label`: apply's verification re-reads only what it touched,
   * and a re-plan after the question reads everything again, so neither adds to the counts before it.
   */
  phase(label: string): void;
}

/**
 * The stores a factory builds, counting what each region has read as every DescribeParameters page,
 * GetParameters batch and tag read completes, and redrawing the live line with it:
 * `reading: ap-south-1 1,250 listed, 1,200 values · us-east-1 900 listed`. Writes pass through
 * uncounted. Without a live line (not a terminal, CI) the factory is returned as it is.
 */
export function readProgress(factory: StoreFactory, live: LiveLine): ReadProgress {
  if (!live.enabled) return { storeFor: factory, phase: () => undefined };
  const regions = new Map<string, ReadCounts>();
  let label = 'reading';
  // The first read shows every region it reads, 0 included; a later one only those it reads again
  // (verification never re-reads the source).
  let every = true;
  const redraw = () => {
    const active = [...regions].filter(([, c]) => every || c.listed + c.values + c.tags > 0);
    if (active.length === 0) return;
    const parts = active.map(([region, c]) => {
      const values = c.values > 0 ? `, ${count(c.values)} values` : '';
      const tags = c.tags > 0 ? `, ${count(c.tags)} tag sets` : '';
      return `${region} ${count(c.listed)} listed${values}${tags}`;
    });
    live.draw(`${label}: ${parts.join(' · ')}`);
  };
  const wrapped = new WeakMap<ParameterStore, ParameterStore>();
  const storeFor: StoreFactory = (target) => {
    const store = factory(target);
    let view = wrapped.get(store);
    if (!view) {
      let counts = regions.get(store.region);
      if (!counts) {
        counts = { listed: 0, values: 0, tags: 0 };
        regions.set(store.region, counts);
      }
      view = counting(store, counts, redraw);
      wrapped.set(store, view);
    }
    return view;
  };
  return {
    storeFor,
    phase(next) {
      label = next;
      every = false;
      for (const counts of regions.values()) Object.assign(counts, { listed: 0, values: 0, tags: 0 });
    },
  };
}

function counting(store: ParameterStore, counts: ReadCounts, redraw: () => void): ParameterStore {
  const after =
    <T>(add: (result: T) => void) =>
    (result: T) => {
      add(result);
      redraw();
      return result;
    };
  return {
    region: store.region,
    account: () => store.account(),
    describePath: (path, onPage) =>
      store.describePath(path, (page) => {
        counts.listed += page.length;
        redraw();
        return onPage(page);
      }),
    describeNames: (names) => store.describeNames(names).then(after((r) => (counts.listed += r.length))),
    // The apply lock (`lock.ssm-replicate.<id>`) is read with GetParameters too; it is no parameter of
    // the fleet, whose names all start with `/` (every manifest path does).
    getValues: (names, decrypt) =>
      store
        .getValues(names, decrypt)
        .then(after((r) => (counts.values += r.filter((v) => v.name.startsWith('/')).length))),
    taggedParameters: (internName) =>
      store.taggedParameters(internName).then(after((r) => (counts.tags += r?.tags.size ?? 0))),
    listTags: (name) => store.listTags(name).then(after(() => counts.tags++)),
    put: (request) => store.put(request),
    addTags: (name, tags) => store.addTags(name, tags),
    removeTags: (name, keys) => store.removeTags(name, keys),
    deleteParameters: (names) => store.deleteParameters(names),
    describeKey: (keyRef) => store.describeKey(keyRef),
  };
}
