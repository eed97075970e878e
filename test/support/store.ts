import type { ParameterStore } from '../../src/store/port.js';

/** A store that delegates to `store` except for the methods given: for races and lagging APIs in tests. */
export function wrapStore(store: ParameterStore, overrides: Partial<ParameterStore>): ParameterStore {
  return {
    region: store.region,
    account: () => store.account(),
    describePath: (path, onPage) => store.describePath(path, onPage),
    describeNames: (names) => store.describeNames(names),
    getValues: (names, decrypt) => store.getValues(names, decrypt),
    taggedParameters: () => store.taggedParameters(),
    listTags: (name) => store.listTags(name),
    put: (r) => store.put(r),
    addTags: (n, t) => store.addTags(n, t),
    removeTags: (n, k) => store.removeTags(n, k),
    deleteParameters: (n) => store.deleteParameters(n),
    describeKey: (k) => store.describeKey(k),
    ...overrides,
  };
}
