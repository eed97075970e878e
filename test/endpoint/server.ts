import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog, ServiceName } from './calls.js';
import type { CallContext, Handler } from './context.js';
import { AwsError } from './errors.js';
import type { Faults } from './faults.js';
import type { Input } from './input.js';
import { kmsHandlers } from './kms.js';
import type { ObjectStore } from './s3.js';
import { ssmHandlers } from './ssm.js';
import type { EndpointState } from './state.js';
import { stsErrorResponse, stsHandlers, stsResponse } from './sts.js';
import { taggingHandlers } from './tagging.js';
import { familyOf, throttlingError } from './throttle.js';

/**
 * One HTTP entry point for five services: JSON 1.1 is routed by the X-Amz-Target prefix, anything
 * form-encoded is STS's query protocol, and requests signed for `s3` are S3's GetObject. Region and access key come from the SigV4 Authorization
 * header; signatures are not verified.
 */
const TARGETS: Array<[string, ServiceName, Record<string, Handler>]> = [
  ['AmazonSSM.', 'ssm', ssmHandlers],
  ['TrentService.', 'kms', kmsHandlers],
  ['ResourceGroupsTaggingAPI_20170126.', 'tagging', taggingHandlers],
];

export interface ServerDeps {
  state: EndpointState;
  faults: Faults;
  calls: CallLog;
  objects: ObjectStore;
  /** Keep each call's decoded input in the call log. */
  recordInputs?: boolean;
  log?: (line: string) => void;
}

interface Route {
  service: ServiceName;
  operation: string;
  json: boolean;
}

const CREDENTIAL = /Credential=([^/,\s]*)\/[^/]*\/([^/]+)\/([^/]+)\/aws4_request/;

function route(req: IncomingMessage, body: string): Route {
  const target = String(req.headers['x-amz-target'] ?? '');
  for (const [prefix, service] of TARGETS) {
    if (target.startsWith(prefix)) return { service, operation: target.slice(prefix.length), json: true };
  }
  if (!target && String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) {
    return { service: 'sts', operation: new URLSearchParams(body).get('Action') ?? '', json: false };
  }
  return { service: 'unknown', operation: target || 'Unknown', json: true };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseInput(routeInfo: Route, body: string): Input {
  if (!routeInfo.json) return Object.fromEntries(new URLSearchParams(body));
  if (body.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Input;
  } catch {
    // reported below
  }
  throw new AwsError('SerializationException', 'Malformed JSON request body.');
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  requestId: string,
  errorCode?: string,
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    ...(errorCode ? { 'x-amzn-errortype': errorCode } : {}),
  });
  res.end(body);
}

/** What a read's WithDecryption asked for and how many SecureStrings were decrypted to answer it. */
function decryptionOf(input: Input, output: unknown): { withDecryption?: boolean; kmsDecrypts?: number } {
  if (typeof input.WithDecryption !== 'boolean') return {};
  const out = output as { Parameter?: { Type?: string }; Parameters?: { Type?: string }[] };
  const shown = [...(out.Parameter ? [out.Parameter] : []), ...(out.Parameters ?? [])];
  const kmsDecrypts = input.WithDecryption ? shown.filter((p) => p.Type === 'SecureString').length : 0;
  return { withDecryption: input.WithDecryption, ...(kmsDecrypts > 0 ? { kmsDecrypts } : {}) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createRequestListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      deps.log?.(`endpoint: unexpected failure ${String(error)}`);
      if (!res.headersSent)
        send(res, 500, 'application/x-amz-json-1.1', '{"__type":"InternalServerError"}', randomUUID());
    });
  };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { state, faults, calls } = deps;
  const started = Date.now();
  const credential = CREDENTIAL.exec(String(req.headers.authorization ?? ''));
  const accessKeyId = credential?.[1] ?? '';
  const region = credential?.[2] ?? 'us-east-1';
  const principal = state.principalFor(accessKeyId);
  const body = await readBody(req);
  if (credential?.[3] === 's3') {
    const { status, errorCode } = deps.objects.serve(req, res);
    calls.add({
      time: started,
      account: principal.account,
      region,
      service: 's3',
      operation: req.method === 'GET' ? 'GetObject' : String(req.method),
      status,
      ...(errorCode ? { errorCode } : {}),
      durationMs: Date.now() - started,
    });
    return;
  }
  const info = route(req, body);
  let input: Input | undefined;
  let decryption: { withDecryption?: boolean; kmsDecrypts?: number } = {};
  const record = (status: number, errorCode?: string) =>
    calls.add({
      time: started,
      account: principal.account,
      region,
      service: info.service,
      operation: info.operation,
      status,
      ...(errorCode ? { errorCode } : {}),
      durationMs: Date.now() - started,
      ...decryption,
      ...(deps.recordInputs && input ? { input } : {}),
    });

  if (faults.isDown(region)) {
    record(0, 'RegionDown');
    req.socket.destroy();
    return;
  }
  const delay = faults.delayFor(region);
  if (delay > 0) await sleep(delay);

  const requestId = randomUUID();
  try {
    const failure = faults.takeFailure(info.operation, region, principal.account);
    if (failure) throw failure;
    if (!faults.throttle.take(principal.account, region, familyOf(info.service, info.operation))) {
      const { code, message } = throttlingError(info.service);
      throw new AwsError(code, message, 400);
    }
    input = parseInput(info, body);
    const ctx: CallContext = {
      state,
      scope: state.scope(principal.account, region),
      account: principal.account,
      region,
      principal,
      operation: info.operation,
      now: state.now(),
      shortPages: faults.shortPagesEnabled,
      listingView: faults.listingView(info.operation, region, principal.account),
      onPage: (page) => {
        const pageFailure = faults.takeFailure(info.operation, region, principal.account, page);
        if (pageFailure) throw pageFailure;
      },
    };
    if (info.service === 'sts') {
      const handler = stsHandlers[info.operation];
      if (!handler)
        throw new AwsError(
          'InvalidAction',
          `Could not find operation ${info.operation} for version 2011-06-15`,
        );
      send(res, 200, 'text/xml', stsResponse(info.operation, handler(ctx, input), requestId), requestId);
    } else {
      const handler = TARGETS.find(([, service]) => service === info.service)?.[2][info.operation];
      if (!handler)
        throw new AwsError(
          'UnknownOperationException',
          `Operation ${info.operation} is not supported by this endpoint.`,
        );
      const output = handler(ctx, input);
      decryption = decryptionOf(input, output);
      const answer = faults.takeMalformed(info.operation, region, JSON.stringify(output));
      send(res, 200, 'application/x-amz-json-1.1', answer, requestId);
    }
    record(200);
  } catch (error) {
    const failure =
      error instanceof AwsError
        ? error
        : new AwsError('InternalServerError', error instanceof Error ? error.message : String(error));
    if (!(error instanceof AwsError))
      deps.log?.(`endpoint: ${info.service}.${info.operation} crashed: ${String(error)}`);
    if (info.service === 'sts') {
      send(
        res,
        failure.status,
        'text/xml',
        stsErrorResponse(failure.code, failure.message, requestId, failure.status),
        requestId,
      );
    } else {
      const payload = JSON.stringify({ __type: failure.code, message: failure.message });
      send(res, failure.status, 'application/x-amz-json-1.1', payload, requestId, failure.code);
    }
    record(failure.status, failure.code);
  }
}
