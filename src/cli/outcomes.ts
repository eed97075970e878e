import { groupOutcomes } from '../apply/group.js';
import type { ApplyReport, ItemOutcome } from '../apply/types.js';
import { plain } from '../render/escape.js';

/** Names shown for a group of identical outcomes before "and K more". */
const EXAMPLES = 2;

/** Characters AWS allows in a parameter name: an occurrence followed by one of them is not the name. */
const NAME_CHAR = '[A-Za-z0-9_.\\-/]';

/**
 * The outcome's reason with its own name (and so its ARN) left out: AWS names the resource in most
 * errors ("… not authorized to perform: ssm:PutParameter on resource: arn:…:parameter/a"), which would
 * keep 60 identical refusals apart. Only whole occurrences count (`/c` is not in `user/ci`).
 */
function reason(o: ItemOutcome): string | undefined {
  if (o.message === undefined || o.name === '') return o.message;
  const escaped = o.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return o.message.replace(new RegExp(`${escaped}(?!${NAME_CHAR})`, 'g'), '…');
}

/**
 * The report for a terminal: the counts, then one line per outcome that did not simply apply, identical
 * ones (same region, status and reason) grouped with a count:
 * `failed  us-east-1 60 × AccessDeniedException: … (e.g. /a, /b, and 58 more)`.
 */
export function reportLines(report: ApplyReport): string[] {
  const originals = new Map<ItemOutcome, ItemOutcome>();
  const generic = report.outcomes.map((o) => {
    const message = reason(o);
    const copy: ItemOutcome = { ...o, ...(message !== undefined ? { message } : {}) };
    originals.set(copy, o);
    return copy;
  });
  const lines = groupOutcomes(generic).map((g) => {
    const head = `  ${g.status.padEnd(7)} ${plain(g.region)}`;
    const [first] = g.outcomes;
    const only = first && g.outcomes.length === 1 ? originals.get(first) : undefined;
    if (only)
      return `${head} ${only.action} ${plain(only.name)}${only.message ? `: ${plain(only.message)}` : ''}`;
    // Writes finish in any order; the examples do not change from one run to the next.
    const sorted = g.outcomes.map((o) => o.name).sort();
    const names = sorted.slice(0, EXAMPLES).map((n) => plain(n));
    const rest = g.outcomes.length - names.length;
    const examples = `e.g. ${names.join(', ')}${rest > 0 ? `, and ${rest} more` : ''}`;
    return `${head} ${g.outcomes.length} × ${plain(g.message ?? g.status)} (${examples})`;
  });
  return [
    `Applied ${report.applied}, failed ${report.failed}, drifted ${report.drifted}, skipped ${report.skipped}.`,
    ...lines,
  ];
}
