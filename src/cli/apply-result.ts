import type { ApplyReport, ItemOutcome } from '../apply/types.js';
import type { Plan } from '../plan/types.js';
import { canonicalPlan } from '../render/json.js';
import { redactDeep, type SecretRegistry } from '../render/redact.js';

/**
 * `apply --format json`: one document, described by schemas/apply-result.schema.json. `status` says how
 * the run ended: `applied` (everything in line), `failed` (something failed, drifted, or a region could
 * not be read), `refused` (nothing written: the plan changed since review or is blocked), `interrupted`
 * (stopped by Ctrl-C; what is in `results` was done, the writes `skipped` were not attempted).
 */
export interface ApplyResultDocument {
  formatVersion: 1;
  status: 'applied' | 'failed' | 'refused' | 'interrupted';
  plan: Plan;
  refused?: { reason: 'plan-changed' | 'blocked'; differences: string[] };
  results: ItemOutcome[];
  summary: Omit<ApplyReport, 'outcomes'>;
}

/** Key order of the document and of each result; the schema test compares them with the schema. */
export const RESULT_KEYS = {
  formatVersion: true,
  status: true,
  plan: true,
  refused: true,
  results: true,
  summary: true,
} as const satisfies Record<keyof ApplyResultDocument, true>;
export const OUTCOME_KEYS = {
  target: true,
  region: true,
  name: true,
  action: true,
  status: true,
  message: true,
  version: true,
} as const satisfies Record<keyof ItemOutcome, true>;
export const TOTAL_KEYS = {
  applied: true,
  failed: true,
  skipped: true,
  drifted: true,
} as const satisfies Record<keyof ApplyResultDocument['summary'], true>;

function pick<T extends object>(obj: T, order: Record<keyof T, true>): T {
  const source = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(order)) if (source[key] !== undefined) out[key] = source[key];
  return out as T;
}

const NOTHING: ApplyReport = { outcomes: [], applied: 0, failed: 0, skipped: 0, drifted: 0 };

export function renderApplyResult(
  input: {
    status: ApplyResultDocument['status'];
    plan: Plan;
    report?: ApplyReport;
    refused?: ApplyResultDocument['refused'];
  },
  secrets: SecretRegistry,
): string {
  const report = input.report ?? NOTHING;
  const doc: ApplyResultDocument = {
    formatVersion: 1,
    status: input.status,
    plan: canonicalPlan(redactDeep(input.plan, secrets)),
    ...(input.refused ? { refused: input.refused } : {}),
    results: redactDeep(report.outcomes, secrets).map((o) => pick(o, OUTCOME_KEYS)),
    summary: pick<ApplyResultDocument['summary']>(report, TOTAL_KEYS),
  };
  return `${JSON.stringify(pick(doc, RESULT_KEYS), null, 2)}\n`;
}
