import { type Inventories, readAll } from '../inventory/index.js';
import type { RegionInventory } from '../model.js';
import { plan } from '../plan/plan.js';
import type { Plan } from '../plan/types.js';
import type { JobContext } from './context.js';
import { showValues } from './shown-values.js';

export interface PlanResult {
  plan: Plan;
  inventories: Inventories;
  /** Names of `expectInSource` the source read did not find; left out of the plan. */
  missing: string[];
}

export interface PlanJobOptions {
  /** Read tags from the tagging listing (see ReadOptions). */
  tagsFromListing?: boolean;
  /**
   * Source names just reported written (an event's Create or Update). One the source read does not find
   * is not planned at all: its absence is unexplained (a read racing the write, or deleted since), so
   * its replicas are neither deleted nor counted as in line; the caller reports it and retries.
   */
  expectInSource?: ReadonlySet<string>;
  /** Plan against this source read instead of reading the source again (see ReadAllOptions.source). */
  source?: RegionInventory;
  /** false: no KMS preflight (see ReadAllOptions.checkKeys). */
  checkKeys?: boolean;
  /**
   * `values`: read and compare every value, decrypting SecureStrings (a periodic deep audit with the
   * apply role; finds forged sync records). Otherwise the read is metadata only and sync records prove
   * equality; nothing is decrypted.
   */
  verify?: 'values';
  /**
   * Read the source's values (decrypted) with its metadata: an event-driven apply, which writes what
   * it reads for its named parameters. Equality is still proven by sync records, as in any plan.
   */
  sourceValues?: boolean;
}

/**
 * Reads live state and plans. `names` narrows both to the given source names (event-driven runs and
 * apply's verification). Without `verify`, what it calls is the plan role's whole contract:
 * DescribeParameters, ListTagsForResource, tag:GetResources, kms:DescribeKey, sts:GetCallerIdentity,
 * and GetParameters without decryption only for String/StringList values: aws:ec2:image sources (AMI
 * ids the ec2-image map translates) and, under `value-display: non-secret`, the items the plan shows as
 * changing. A names-scoped read (the Lambda, apply's verification: apply-role runs) also learns what
 * exists, and at which version, from GetParameters without decryption.
 */
export async function planJob(
  ctx: JobContext,
  names?: readonly string[],
  options: PlanJobOptions = {},
): Promise<PlanResult> {
  const sleep = (ms: number) => ctx.clock.sleep(ms);
  const read = {
    ...(names ? { names, sleep } : {}),
    ...(names && options.tagsFromListing ? { tagsFromListing: true } : {}),
    ...(options.source ? { source: options.source } : {}),
    ...(options.checkKeys === false ? { checkKeys: false } : {}),
    ...(options.verify === 'values' ? { values: 'decrypted' as const } : {}),
    ...(options.sourceValues ? { sourceValues: 'decrypted' as const } : {}),
  };
  const inventories = await readAll(ctx.manifest, ctx.storeFor, read);
  ctx.onInventory?.(inventories);
  const expected = options.expectInSource;
  const missing =
    names && expected ? names.filter((n) => expected.has(n) && !inventories.source.parameters.has(n)) : [];
  const planned = missing.length > 0 ? names?.filter((n) => !missing.includes(n)) : names;
  const result = plan({
    manifest: ctx.manifest,
    source: inventories.source,
    destinations: inventories.destinations,
    failures: inventories.failures,
    keys: inventories.keys,
    ...(planned ? { names: planned } : {}),
  });
  if (ctx.manifest.valueDisplay === 'non-secret' && options.verify !== 'values')
    await showValues(result, inventories);
  return { plan: result, inventories, missing };
}
