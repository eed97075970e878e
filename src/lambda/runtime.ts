import type { AwsSettings } from '../aws/clients.js';
import { awsSettings, sdkStoreFactory } from '../aws/factory.js';
import type { JobContext } from '../jobs/context.js';
import { registerSecrets } from '../jobs/secrets.js';
import { formatIssue, type Throughput } from '../manifest/index.js';
import { targets } from '../plan/names.js';
import { type Clock, intervalHeartbeat } from '../rate/limiter.js';
import type { SecretRegistry } from '../render/redact.js';
import type { StoreFactory } from '../store/port.js';
import { ConfigError, type ConfigSources, type Env, type LambdaConfig, loadConfig } from './config.js';
import { type Logger, logReporter } from './log.js';

/** What lives as long as the execution environment: config, clients and their rate limiters. */
export interface Runtime {
  config: LambdaConfig;
  ctx: JobContext;
  logger: Logger;
  clock: Clock;
}

export interface RuntimeOptions extends ConfigSources {
  clock: Clock;
  logger: Logger;
  /** The execution environment's secrets: the default clients add each decrypted value as it is decoded. */
  secrets: SecretRegistry;
  /** Tests point this at the local endpoint; by default SDK clients built from `env`. */
  storeFor?: StoreFactory;
  /** SDK settings for the default stores; by default read from `env`. */
  settings?: AwsSettings;
  /** The function's account (from its ARN): the default stores then never call STS GetCallerIdentity. */
  account?: string;
}

/**
 * Each concurrent execution environment paces itself; with SSM_REPLICATE_INSTANCES set to the event source
 * mapping's maximum concurrency (the template's MaximumConcurrency), their sum stays inside the account's per-region quotas (PutParameter: 3/s by default).
 */
export function shareOf(throughput: Throughput, env: Env): Throughput {
  const n = Number.parseInt(env.SSM_REPLICATE_INSTANCES ?? '', 10);
  if (!Number.isFinite(n) || n <= 1) return throughput;
  return { put: throughput.put / n, get: throughput.get / n, describe: throughput.describe / n };
}

/** Cold start: load and check the configuration, log it once, build the clients. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { logger, env } = options;
  let config: LambdaConfig;
  try {
    config = await loadConfig(options);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const w of error.warnings) logger.log('warn', w);
      logger.log('error', 'invalid configuration; every invocation fails until it is fixed', {
        problems: [...error.problems],
      });
    }
    throw error;
  }
  for (const w of config.warnings) logger.log('warn', formatIssue(w));
  const { manifest } = config;
  logger.log('info', 'configured', {
    origin: config.origin,
    source: manifest.source.region,
    destinations: targets(manifest).map((t) => t.key),
    paths: [...new Set(manifest.replications.flatMap((r) => r.paths))],
    dryRun: config.dryRun,
  });
  const { secrets } = options;
  const storeFor =
    options.storeFor ??
    sdkStoreFactory(
      { ...(options.settings ?? awsSettings(env, shareOf(manifest.throughput, env))), secrets },
      { ...(options.account ? { account: options.account } : {}) },
    );
  return {
    config,
    logger,
    clock: options.clock,
    ctx: {
      manifest,
      storeFor,
      clock: options.clock,
      reporter: logReporter(logger),
      // Each invocation sets how long it waits for a held lock (lockWaitMs in handler.ts); none by default.
      lock: {
        owner:
          `Lambda ${env.AWS_LAMBDA_FUNCTION_NAME ?? 'ssm-replicate'} ${env.AWS_LAMBDA_LOG_STREAM_NAME ?? ''}`.trim(),
        timeoutMs: 0,
        heartbeat: intervalHeartbeat,
      },
      // Any store, not only the SDK one, feeds the registry before anything from a read is logged.
      onInventory: (inventories) => registerSecrets(inventories, secrets),
      onSecret: (value) => secrets.add(value),
    },
  };
}
