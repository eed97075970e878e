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

/**
 * The factory's stores, whose reads fail with ReadStopped while `stopped()` holds, so Ctrl-C during a
 * 25-second plan read ends it at the next page rather than after it. Writes pass, and so do the apply
 * lock's own reads (`lock.ssm-replicate.<id>`: the only name read without a leading `/`), so the lock
 * is still released on the way out.
 */
export function stoppableReads(factory: StoreFactory, stopped: () => boolean): StoreFactory {
  const views = new WeakMap<ParameterStore, ParameterStore>();
  return (target) => {
    const store = factory(target);
    let view = views.get(store);
    if (!view) {
      view = guarded(store, stopped);
      views.set(store, view);
    }
    return view;
  };
}

function guarded(store: ParameterStore, stopped: () => boolean): ParameterStore {
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
    put: (request) => store.put(request),
    addTags: (name, tags) => store.addTags(name, tags),
    removeTags: (name, keys) => store.removeTags(name, keys),
    deleteParameters: (names) => store.deleteParameters(names),
  };
}
