/**
 * The Lambda shell: configuration and clients once per execution environment, then one event per
 * invocation. A failed destination fails the invocation, so Lambda's retries and the on-failure
 * destination take over. Importing this module never throws; a bad configuration fails every invocation.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, systemClock } from '../rate/limiter.js';
import type { StoreFactory } from '../store/port.js';
import { ConfigError, type Env } from './config.js';
import { handleEvent, type InvocationSummary } from './invoke.js';
import { createLogger, type LogSink, stdoutSink } from './log.js';
import { type Runtime, startRuntime } from './runtime.js';

export interface HandlerOptions {
  env: Env;
  readFile?: (path: string) => Promise<string>;
  storeFor?: StoreFactory;
  clock?: Clock;
  log?: LogSink;
  /** Where the bundle lives: a bundled config/replication.yaml and relative manifest paths resolve here. */
  bundleDir?: string;
}

export type Handler = (event: unknown) => Promise<InvocationSummary>;

export function createHandler(options: HandlerOptions): Handler {
  const logger = createLogger(options.log ?? stdoutSink);
  let runtime: Promise<Runtime> | undefined;
  const start = () =>
    startRuntime({
      env: options.env,
      readFile: options.readFile ?? ((path) => readFile(path, 'utf8')),
      bundleDir: options.bundleDir ?? options.env.LAMBDA_TASK_ROOT ?? process.cwd(),
      clock: options.clock ?? systemClock,
      logger,
      ...(options.storeFor ? { storeFor: options.storeFor } : {}),
    }).catch((error: unknown) => {
      // A bad configuration stays bad until redeployed; anything else (a flaky read) is retried next time.
      if (!(error instanceof ConfigError)) runtime = undefined;
      throw error;
    });
  return async (event) => {
    runtime ??= start();
    const rt = await runtime;
    try {
      return await handleEvent(rt, event);
    } catch (error) {
      const e = error as { name?: string; message?: string };
      logger.log('error', 'invocation failed', { error: e.name, message: e.message });
      throw error;
    }
  };
}

export const handler = createHandler({
  env: process.env,
  bundleDir: dirname(fileURLToPath(import.meta.url)),
});
