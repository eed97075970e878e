import { type Inventories, readAll } from '../inventory/index.js';
import { plan } from '../plan/plan.js';
import type { Plan } from '../plan/types.js';
import type { JobContext } from './context.js';

export interface PlanResult {
  plan: Plan;
  inventories: Inventories;
}

/**
 * Reads live state and plans. `names` narrows both to the given source names (event-driven runs and
 * apply's verification); `tagsFromListing` reads their tags from the tagging listing (see ReadOptions).
 */
export async function planJob(
  ctx: JobContext,
  names?: readonly string[],
  options: { tagsFromListing?: boolean } = {},
): Promise<PlanResult> {
  const inventories = await readAll(ctx.manifest, ctx.storeFor, names ? { names, ...options } : {});
  ctx.onInventory?.(inventories);
  const result = plan({
    manifest: ctx.manifest,
    source: inventories.source,
    destinations: inventories.destinations,
    failures: inventories.failures,
    resolveKey: inventories.resolveKey,
    ...(names ? { names } : {}),
  });
  return { plan: result, inventories };
}
