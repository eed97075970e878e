import type { ItemOutcome } from './types.js';

/** Outcomes that did not simply apply and share a region, a status and a reason. */
export interface OutcomeGroup {
  region: string;
  status: ItemOutcome['status'];
  message?: string;
  outcomes: ItemOutcome[];
}

/**
 * One group per (region, status, reason), in first-seen order: a region-wide failure (a KMS key gone
 * since the plan, a region down) is one line with a count, not one identical line per parameter.
 */
export function groupOutcomes(outcomes: readonly ItemOutcome[]): OutcomeGroup[] {
  const groups = new Map<string, OutcomeGroup>();
  for (const o of outcomes) {
    if (o.status === 'applied') continue;
    const key = JSON.stringify([o.region, o.status, o.message ?? '']);
    const group = groups.get(key);
    if (group) group.outcomes.push(o);
    else
      groups.set(key, {
        region: o.region,
        status: o.status,
        ...(o.message !== undefined ? { message: o.message } : {}),
        outcomes: [o],
      });
  }
  return [...groups.values()];
}

/** `create /a` for one outcome; `60 changes (create /a, create /b, update /c and 57 more)` for many. */
export function describeGroup(group: OutcomeGroup, examples = 3): string {
  const [only] = group.outcomes;
  if (group.outcomes.length === 1 && only) return `${only.action} ${only.name}`;
  const shown = group.outcomes.slice(0, examples).map((o) => `${o.action} ${o.name}`);
  const more = group.outcomes.length - shown.length;
  return `${group.outcomes.length} changes (${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
}
