import type { AttributeChange, PlanItem } from '../plan/types.js';

/**
 * Whether an item's value is a secret: it is or becomes a SecureString. The planner already omits such
 * values; renderers check again so a planner bug cannot print a secret (defence in depth).
 */
export function isSecretItem(item: PlanItem): boolean {
  if (item.type === 'SecureString') return true;
  return item.changes.some(
    (c) => c.attribute === 'type' && (c.from === 'SecureString' || c.to === 'SecureString'),
  );
}

/** The item's changes with `value` from/to dropped when the item is secret. */
export function visibleChanges(item: PlanItem): AttributeChange[] {
  if (!isSecretItem(item)) return item.changes;
  return item.changes.map((c) =>
    c.attribute === 'value' ? { attribute: c.attribute, reason: c.reason } : c,
  );
}
