import type { ParameterStore, StoreFactory } from '../store/port.js';

/** A read refused because the user pressed Ctrl-C before apply wrote anything. */
export class ReadStopped extends Error {
  override name = 'ReadStopped';
  constructor() {
    super('interrupted before the first write');
  }
}

/** Whether a ReadStopped is the error or one of its causes (the inventory and the lock wrap errors). */
export function isReadStopped(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    if (e instanceof ReadStopped) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A factory whose reads Ctrl-C stops, and a count of the fleet writes its stores have sent. */
export interface StoppableReads {
  storeFor: StoreFactory;
  /**
   * Writes to parameters of the fleet (names with a leading `/`; the lock's own are not counted): an
   * apply that takes over a broken lease re-creates what an interrupted replace left missing before it
   * plans, so "nothing was written" is for this count to say, not for the moment of the interrupt.
   */
  writes(): number;
}

/**
 * The factory's stores, whose reads fail with ReadStopped while `stopped()` holds, so Ctrl-C during a
 * 25-second plan read ends it at the next page rather than after it. Writes pass, and so do the apply
 * lock's own reads (`lock.ssm-replicate.<id>`: the only name read without a leading `/`), so the lock
 * is still released on the way out.
 */
export function stoppableReads(factory: StoreFactory, stopped: () => boolean): StoppableReads {
  const views = new WeakMap<ParameterStore, ParameterStore>();
  const sent = { writes: 0 };
  return {
    storeFor: (target) => {
      const store = factory(target);
      let view = views.get(store);
      if (!view) {
        view = guarded(store, stopped, sent);
        views.set(store, view);
      }
      return view;
    },
    writes: () => sent.writes,
  };
}

/** How many of the names are the fleet's: every manifest path starts with `/`, the lock's name does not. */
function fleet(names: readonly string[]): number {
  return names.filter((n) => n.startsWith('/')).length;
}

function guarded(store: ParameterStore, stopped: () => boolean, sent: { writes: number }): ParameterStore {
  const check = () => {
    if (stopped()) throw new ReadStopped();
  };
  const read =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      check();
      return call(...args);
    };
  return {
    region: store.region,
    account: () => store.account(),
    describePath: read((path: string, onPage: Parameters<ParameterStore['describePath']>[1]) =>
      store.describePath(path, (page) => {
        check();
        return onPage(page);
      }),
    ),
    describeNames: read((names: readonly string[]) => store.describeNames(names)),
    getValues: async (names, decrypt) => {
      if (names.some((n) => n.startsWith('/'))) check();
      return store.getValues(names, decrypt);
    },
    taggedParameters: read((internName?: (name: string) => string) => store.taggedParameters(internName)),
    listTags: read((name: string) => store.listTags(name)),
    describeKey: read((keyRef: string) => store.describeKey(keyRef)),
    put: (request) => {
      sent.writes += fleet([request.name]);
      return store.put(request);
    },
    addTags: (name, tags) => {
      sent.writes += fleet([name]);
      return store.addTags(name, tags);
    },
    removeTags: (name, keys) => {
      sent.writes += fleet([name]);
      return store.removeTags(name, keys);
    },
    // The lock's release deletes its own parameter: not a write to the fleet.
    deleteParameters: (names) => {
      sent.writes += fleet(names);
      return store.deleteParameters(names);
    },
  };
}
