import type { Manifest } from '../manifest/types.js';
import { type Problem, runNames } from './replicate.js';
import { route } from './route.js';
import type { Runtime } from './runtime.js';

/**
 * One message of an SQS batch as the event source mapping delivers it: `body` is the EventBridge event,
 * as the rule's SQS target wrote it. Only the fields read here.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 */
export interface SqsRecord {
  messageId: string;
  body: string;
}

/** The partial batch response: the messages to leave on the queue, each retried on its own. */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** The records of an SQS batch, or undefined for anything else (an EventBridge event invoked directly). */
export function sqsRecords(event: unknown): SqsRecord[] | undefined {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records) || records.length === 0) return undefined;
  const out: SqsRecord[] = [];
  for (const r of records as { eventSource?: unknown; messageId?: unknown; body?: unknown }[]) {
    if (r?.eventSource !== 'aws:sqs' || typeof r.messageId !== 'string' || r.messageId === '')
      return undefined;
    out.push({ messageId: r.messageId, body: typeof r.body === 'string' ? r.body : '' });
  }
  return out;
}

/**
 * A batch reduced to the names it touches. Level-triggered: the handler re-reads each name once, so the
 * latest source state wins and duplicates or reorderings within the batch collapse.
 */
export interface Coalesced {
  /** Every name to read and plan, once. */
  names: string[];
  /** Names only ever reported written in this batch: their absence from the source is unexplained. */
  written: Set<string>;
  /** The names each acted-on message touched, by message id. */
  touched: Map<string, string[]>;
  ignored: number;
}

export function coalesce(records: readonly SqsRecord[], manifest: Manifest): Coalesced {
  const names = new Set<string>();
  const writes = new Set<string>();
  const deletes = new Set<string>();
  const touched = new Map<string, string[]>();
  let ignored = 0;
  for (const record of records) {
    let event: unknown;
    try {
      event = JSON.parse(record.body);
    } catch {
      ignored++;
      continue;
    }
    const decision = route(event, manifest);
    if (decision.kind === 'ignore') {
      ignored++;
      continue;
    }
    touched.set(record.messageId, decision.names);
    for (const n of decision.names) {
      names.add(n);
      (decision.change === 'write' ? writes : deletes).add(n);
    }
  }
  const written = new Set([...writes].filter((n) => !deletes.has(n)));
  return { names: [...names].sort(), written, touched, ignored };
}

/**
 * An SQS batch: every touched name planned and applied as one job, then only the messages whose names
 * are not in line are reported failed (ReportBatchItemFailures), so one bad name does not retry the rest.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 */
export async function handleBatch(rt: Runtime, records: readonly SqsRecord[]): Promise<BatchResponse> {
  const batch = coalesce(records, rt.config.manifest);
  rt.logger.log('info', 'batch', {
    messages: records.length,
    ignored: batch.ignored,
    names: batch.names.length,
    decision: batch.names.length === 0 ? 'ignore' : rt.config.dryRun ? 'dry-run' : 'replicate',
  });
  if (batch.names.length === 0) return { batchItemFailures: [] };
  const outcome = await runNames(rt, batch.names, batch.written);
  for (const p of outcome.problems) rt.logger.log('error', 'not in line', { message: p.message });
  const failed = failedNames(outcome.problems);
  const batchItemFailures = [...batch.touched]
    .filter(([, names]) => failed === 'all' || names.some((n) => failed.has(n)))
    .map(([messageId]) => ({ itemIdentifier: messageId }));
  rt.logger.log(batchItemFailures.length > 0 ? 'error' : 'info', 'batch done', {
    names: batch.names.length,
    applied: outcome.applied,
    unchanged: outcome.unchanged,
    planned: outcome.planned,
    failedMessages: batchItemFailures.length,
  });
  return { batchItemFailures };
}

function failedNames(problems: readonly Problem[]): Set<string> | 'all' {
  const out = new Set<string>();
  for (const p of problems) {
    if (!p.names) return 'all';
    for (const n of p.names) out.add(n);
  }
  return out;
}
