/**
 * The Lambda shell: configuration and clients once per execution environment, then per invocation
 * either an SQS batch (the deploy template's route: answered with a partial batch response) or one
 * EventBridge event invoked directly (a failure fails the invocation, so Lambda's retries take over).
 * Importing this module never throws; a bad configuration fails every invocation.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsSettings } from '../aws/clients.js';
import { MANIFEST_MAX_BYTES } from '../manifest/index.js';
import { type Clock, systemClock } from '../rate/limiter.js';
import { SecretRegistry } from '../render/redact.js';
import { sanitizeDocument, sanitizeLine } from '../render/sanitize.js';
import type { StoreFactory } from '../store/port.js';
import { readTextFile } from '../text-file.js';
import { type BatchResponse, handleBatch, sqsRecords } from './batch.js';
import { ConfigError, type Env } from './config.js';
import { handleEvent, type InvocationSummary } from './invoke.js';
import { createLogger, type LogSink, stdoutSink } from './log.js';
import { type Runtime, startRuntime } from './runtime.js';
import { type ObjectReader, s3ObjectReader } from './s3-manifest.js';

export interface HandlerOptions {
  env: Env;
  readFile?: (path: string, within?: string) => Promise<string>;
  storeFor?: StoreFactory;
  /** SDK settings for the default stores (when no `storeFor`); by default read from `env`. */
  settings?: AwsSettings;
  clock?: Clock;
  log?: LogSink;
  /** Where the bundle lives (the task root): file:PATH, a bundled config/replication.yaml and relative paths resolve here. */
  bundleDir?: string;
  /** S3 GetObject for a manifest at s3://BUCKET/KEY; by default the SDK's, with `settings` or `env`. */
  readObject?: ObjectReader;
}

/** The part of Lambda's context object used here. */
export interface LambdaContext {
  /** arn:aws:lambda:REGION:ACCOUNT:function:NAME — the account the function (and the source) runs in. */
  invokedFunctionArn?: string;
  /** The invocation's id, as Lambda prints it in its START/END/REPORT lines: on every log line too. */
  awsRequestId?: string;
  /** Milliseconds left before the function's timeout. */
  getRemainingTimeInMillis?: () => number;
}

export type Handler = (event: unknown, context?: LambdaContext) => Promise<InvocationSummary | BatchResponse>;

/**
 * How long an invocation waits for the apply lock another execution holds: half of the time it has left,
 * so the other half remains for its own batch. Concurrent batches (the event source mapping runs at least
 * 2) then take turns instead of failing into a 30-minute visibility timeout that counts toward
 * MaxReceiveCount. Without a context (a direct test call), no wait: the invocation fails at once.
 */
export function lockWaitMs(context: LambdaContext | undefined): number {
  const left =
    typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : 0;
  return Number.isFinite(left) && left > 0 ? Math.floor(left / 2) : 0;
}

/** The account from the function's own ARN, so no invocation asks STS who it is. */
export function accountOf(context: LambdaContext | undefined): string | undefined {
  const account = context?.invokedFunctionArn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

export function createHandler(options: HandlerOptions): Handler {
  // One registry per execution environment: values learnt by one invocation stay masked in the next.
  const secrets = new SecretRegistry();
  // Per invocation, not per environment: what a cold start logs belongs to the invocation that caused it.
  const invocation = new AsyncLocalStorage<string | undefined>();
  const logger = createLogger(options.log ?? stdoutSink, secrets, () => ({
    requestId: invocation.getStore(),
  }));
  let runtime: Promise<Runtime> | undefined;
  const start = (account: string | undefined) =>
    startRuntime({
      ...(account ? { account } : {}),
      env: options.env,
      readFile:
        options.readFile ??
        ((path, within) =>
          readTextFile(path, {
            maxBytes: MANIFEST_MAX_BYTES,
            ...(within === undefined ? {} : { within, withinName: "the function's root" }),
          })),
      readObject:
        options.readObject ??
        s3ObjectReader({
          ...(options.env.AWS_REGION ? { region: options.env.AWS_REGION } : {}),
          ...((options.settings?.endpoint ?? options.env.AWS_ENDPOINT_URL)
            ? { endpoint: options.settings?.endpoint ?? options.env.AWS_ENDPOINT_URL }
            : {}),
          ...(options.settings?.credentials ? { credentials: options.settings.credentials } : {}),
        }),
      bundleDir: options.bundleDir ?? options.env.LAMBDA_TASK_ROOT ?? process.cwd(),
      clock: options.clock ?? systemClock,
      logger,
      secrets,
      ...(options.storeFor ? { storeFor: options.storeFor } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
    }).catch((error: unknown) => {
      // A bad configuration stays bad until redeployed; anything else (a flaky read) is retried next time.
      if (!(error instanceof ConfigError)) runtime = undefined;
      throw error;
    });
  const line = (s: string | undefined) => (s === undefined ? undefined : sanitizeLine(s, secrets));
  // Lambda logs what is thrown and hands it to the on-failure destination: both are channels.
  const scrubbed = (error: unknown) => {
    if (error instanceof Error) {
      error.message = sanitizeDocument(error.message, secrets);
      if (error.stack) error.stack = sanitizeDocument(error.stack, secrets);
    }
    return error;
  };
  // A direct invocation's result goes back to its caller; its texts come from the event.
  const clean = (summary: InvocationSummary): InvocationSummary => {
    const reason = line(summary.reason);
    const trigger = line(summary.trigger);
    return {
      ...summary,
      ...(reason !== undefined ? { reason } : {}),
      ...(trigger !== undefined ? { trigger } : {}),
    };
  };
  const invoke: Handler = async (event, context) => {
    runtime ??= start(accountOf(context));
    const started = await runtime.catch((error: unknown) => {
      throw scrubbed(error);
    });
    const held = started.ctx.lock;
    const rt: Runtime = held
      ? { ...started, ctx: { ...started.ctx, lock: { ...held, timeoutMs: lockWaitMs(context) } } }
      : started;
    try {
      const records = sqsRecords(event);
      return records ? await handleBatch(rt, records) : clean(await handleEvent(rt, event));
    } catch (error) {
      const e = error as { name?: string; message?: string };
      logger.log('error', 'invocation failed', { error: e.name, message: e.message });
      throw scrubbed(error);
    }
  };
  return (event, context) =>
    invocation.run(typeof context?.awsRequestId === 'string' ? context.awsRequestId : undefined, () =>
      invoke(event, context),
    );
}

export const handler = createHandler({
  env: process.env,
  bundleDir: dirname(fileURLToPath(import.meta.url)),
});
