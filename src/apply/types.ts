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
 * One line of the apply journal, durable before the write it announces, and a second line with the
 * outcome after it. No values, ever. What an operator can do with it: an update can be rolled back from
 * GetParameterHistory (`name:version` of `prior.version`); a delete or a replace cannot, since deleting a
 * parameter deletes its history too, so the journal is the only record of what the replica was (its
 * metadata and tags, never its value: the value is the source's, and the next apply writes it again).
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
  /** Set when this write finishes a replace that an earlier run left between its delete and its create. */
  recovers?: 'interrupted-replace';
}

export interface ApplyProgress {
  done: number;
  total: number;
  failed: number;
  byRegion: Keyed<{ done: number; total: number }>;
}
