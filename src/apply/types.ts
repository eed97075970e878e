import type { Keyed } from '../keyed.js';
import type { ParameterType, Tier } from '../model.js';
import type { PlanAction } from '../plan/types.js';

/** `drifted`: written, but the re-read afterwards still differs from the source. */
export type ItemStatus = 'applied' | 'failed' | 'skipped' | 'drifted';

export interface ItemOutcome {
  target: string;
  region: string;
  name: string;
  action: PlanAction;
  status: ItemStatus;
  /** Why it failed or was skipped. Never contains a value. */
  message?: string;
  /** The replica's version after the write. */
  version?: number;
}

export interface ApplyReport {
  outcomes: ItemOutcome[];
  applied: number;
  failed: number;
  skipped: number;
  drifted: number;
}

/**
 * One line of the apply journal, written before each write: what the replica was, so an operator can see
 * exactly what changed and roll back with GetParameterHistory (`name:version`). No values, ever.
 */
export interface JournalEntry {
  at: string;
  region: string;
  name: string;
  action: PlanAction;
  prior?: {
    version: number;
    type: ParameterType;
    tier: Tier;
    keyId?: string;
    description?: string;
    dataType: string;
    tags: Keyed<string>;
  };
  outcome?: ItemStatus;
  version?: number;
  message?: string;
}

export interface ApplyProgress {
  done: number;
  total: number;
  failed: number;
  byRegion: Keyed<{ done: number; total: number }>;
}
