import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallFilter, CallLog, type CallRecord } from './calls.js';
import { Faults, type LatencyOption } from './faults.js';
import { currentVersion } from './model.js';
import { ObjectStore } from './s3.js';
import { createRequestListener } from './server.js';
import { AWS_PARAMETER_LIMITS, type ParameterLimits } from './ssm-put.js';
import { DEFAULT_ACCOUNT, EndpointState } from './state.js';
import type { ThrottleConfig } from './throttle.js';

export type { CallFilter, CallRecord } from './calls.js';
export type { FailNextSpec, FailPageSpec, LatencyOption, ListingLagSpec } from './faults.js';
export { Faults } from './faults.js';
export type { KeyRecord, ParameterRecord, ParameterVersion } from './model.js';
export type { SeedKey, SeedParameter, StateSnapshot } from './state.js';
export { DEFAULT_ACCOUNT, EndpointState } from './state.js';
export type { ApiFamily, ThrottleConfig } from './throttle.js';
export { DEFAULT_RATES } from './throttle.js';

export interface EndpointOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Account of every access key not issued by AssumeRole (default 123456789012). */
  defaultAccount?: string;
  /** Epoch-millisecond clock for LastModifiedDate and similar (default Date.now). */
  clock?: () => number;
  /** Token-bucket throttling; off unless set. `true` uses AWS-like default rates. */
  throttle?: boolean | ThrottleConfig;
  latency?: LatencyOption;
  /** Serve short and empty pages with a NextToken from every listing, so callers prove they loop. */
  shortPages?: boolean;
  /** AMI ids registered per region (default account), for aws:ec2:image parameters. */
  amis?: Record<string, string[]>;
  /** Parameter quotas per region; AWS's are 10,000 Standard and 100,000 Advanced. */
  limits?: Partial<ParameterLimits>;
  /** Receives diagnostics such as handler crashes. */
  log?: (line: string) => void;
  /** Keep every call's decoded input in the call log (it can hold parameter values): for IAM evaluation. */
  recordInputs?: boolean;
}

export interface Endpoint {
  /** http://127.0.0.1:PORT — use as `endpoint` or AWS_ENDPOINT_URL for every client. */
  url: string;
  stop(): Promise<void>;
  state: EndpointState;
  /** Every request so far, oldest first, optionally filtered. */
  calls(filter?: CallFilter): CallRecord[];
  /** Request counts keyed `region:Operation` (e.g. 'eu-west-1:PutParameter'), optionally filtered. */
  callCounts(filter?: CallFilter): Record<string, number>;
  resetCalls(): void;
  faults: Faults;
  /** S3 objects (GetObject only), kept apart from the parameter state; `state.reset()` leaves them. */
  objects: ObjectStore;
}

export async function startEndpoint(options: EndpointOptions = {}): Promise<Endpoint> {
  const state = new EndpointState({
    clock: options.clock ?? Date.now,
    defaultAccount: options.defaultAccount ?? DEFAULT_ACCOUNT,
    limits: { ...AWS_PARAMETER_LIMITS, ...options.limits },
    ...(options.amis ? { amis: options.amis } : {}),
  });
  const throttle = options.throttle === true ? {} : options.throttle === false ? undefined : options.throttle;
  const faults = new Faults(
    { latency: options.latency, shortPages: options.shortPages ?? false, throttle },
    {
      defaultAccount: options.defaultAccount ?? DEFAULT_ACCOUNT,
      versionOf: (account, region, name) => {
        const record = state.scope(account, region).parameters.get(name);
        return record ? currentVersion(record).version : undefined;
      },
    },
  );
  const calls = new CallLog();
  const objects = new ObjectStore();
  // Idle connections are closed by the client, never under it: see test/action/support/scenario-server.ts.
  const server = createServer(
    { keepAliveTimeout: 0 },
    createRequestListener({
      state,
      faults,
      calls,
      objects,
      ...(options.log ? { log: options.log } : {}),
      ...(options.recordInputs ? { recordInputs: true } : {}),
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    faults,
    objects,
    calls: (filter) => calls.list(filter),
    callCounts: (filter) => calls.counts(filter),
    resetCalls: () => calls.reset(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // SDK clients keep connections alive; drop them so close() returns promptly.
        server.closeAllConnections();
      }),
  };
}
