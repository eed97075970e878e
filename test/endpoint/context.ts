import type { ListingView } from './faults.js';
import type { Input } from './input.js';
import type { Principal, ScopeData } from './model.js';
import type { EndpointState } from './state.js';

/** What a handler knows about the call it serves. */
export interface CallContext {
  state: EndpointState;
  scope: ScopeData;
  account: string;
  region: string;
  principal: Principal;
  operation: string;
  /** Epoch milliseconds. */
  now: number;
  /** Serve deliberately short and empty pages (with a NextToken) so callers prove they loop. */
  shortPages: boolean;
  /** Which names this call's listing shows behind their current version (faults.lagListing). */
  listingView: ListingView;
  /** Called with the 1-based page number of a listing before it is served; may throw a scripted fault. */
  onPage(page: number): void;
}

export type Handler = (ctx: CallContext, input: Input) => unknown;

/** JSON 1.1 timestamps are epoch seconds. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
