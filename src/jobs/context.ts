import type { Reporter } from '../io.js';
import type { Manifest } from '../manifest/types.js';
import type { Clock } from '../rate/limiter.js';
import type { StoreFactory } from '../store/port.js';

/** What every job needs, built by a shell: the manifest, a way to reach each region, a clock, an output. */
export interface JobContext {
  manifest: Manifest;
  storeFor: StoreFactory;
  clock: Clock;
  reporter: Reporter;
}
