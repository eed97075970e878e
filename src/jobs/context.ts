import type { LockSettings } from '../apply/lock.js';
import type { Inventories } from '../inventory/index.js';
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
  /**
   * Called with every live read (plans, and apply's re-plan and verification), before anything is planned
   * or rendered: the Action registers each decrypted SecureString with the runner's log masking here.
   */
  onInventory?: (inventories: Inventories) => void;
  /**
   * Called with every SecureString value apply decrypts to write or compare (plans decrypt none), before
   * it is used: the Action registers it with the runner's log masking, as for inventories.
   */
  onSecret?: (value: string) => void;
  /** Who is applying and how long to wait for the manifest's lock (apply only). */
  lock?: LockSettings;
}
