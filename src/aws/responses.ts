import type { SecretRegistry } from '../render/redact.js';

/**
 * What the adapter does with every response before anything else sees it. Both halves keep decrypted
 * values out of every output channel, including when a read fails half-way.
 */

/** The commands that answer decrypted values (WithDecryption). */
const VALUE_COMMANDS = new Set(['GetParameterCommand', 'GetParametersCommand', 'GetParametersByPathCommand']);

interface DecodedParameter {
  Type?: string;
  Value?: string;
}

/** Every SecureString value of a decoded answer, registered the moment it is decoded. */
function learn(output: unknown, secrets: SecretRegistry): void {
  const o = output as { Parameter?: DecodedParameter; Parameters?: DecodedParameter[] };
  for (const p of [...(o.Parameters ?? []), ...(o.Parameter ? [o.Parameter] : [])]) {
    if (p.Type === 'SecureString' && typeof p.Value === 'string') secrets.add(p.Value);
  }
}

/**
 * An answer the SDK could not parse. Its own error quotes the body (V8's JSON parser puts a snippet
 * around the fault in its message, and the SDK keeps the whole body in hidden fields), and for a
 * GetParameters answer that body holds decrypted values nobody has seen yet, so no mask knows them.
 * This error keeps what helps (operation, HTTP status, request id) and none of the body.
 */
export class UnreadableResponseError extends Error {
  override name = 'UnreadableResponse';
  readonly $metadata: { httpStatusCode?: number; requestId?: string };

  constructor(operation: string, metadata: { httpStatusCode?: number; requestId?: string }) {
    const status = metadata.httpStatusCode ?? 'unknown';
    const id = metadata.requestId ? `, request id ${metadata.requestId}` : '';
    super(
      `AWS answered ${operation} (HTTP ${status}${id}) with a body that could not be parsed; it is not ` +
        'shown, since it may hold decrypted values. Retry; if it persists, check whatever sits between ' +
        'this run and AWS (a proxy, or the endpoint AWS_ENDPOINT_URL points to).',
    );
    this.$metadata = metadata;
  }
}

type Next = (args: unknown) => Promise<{ output: unknown; response: unknown }>;
type Stack = {
  add(
    middleware: (next: Next, context: { commandName?: string }) => Next,
    options: { step: 'deserialize'; priority: 'high'; name: string },
  ): void;
};

/**
 * Wraps the SDK's deserializer (same step, higher priority, so it runs around it): registers decoded
 * SecureString values, and turns a deserialization failure (an error without `$fault`, which every
 * modelled AWS error has) into an `UnreadableResponseError`.
 */
export function guardResponses(stack: Stack, secrets: SecretRegistry | undefined): void {
  stack.add(
    (next, context) => async (args) => {
      try {
        const result = await next(args);
        // Without decryption a SecureString's Value is its ciphertext: nothing to mask.
        const decrypted = (args as { input?: { WithDecryption?: unknown } }).input?.WithDecryption === true;
        if (secrets && decrypted && VALUE_COMMANDS.has(context.commandName ?? ''))
          learn(result.output, secrets);
        return result;
      } catch (error) {
        const e = error as {
          $fault?: unknown;
          $response?: unknown;
          $metadata?: UnreadableResponseError['$metadata'];
        };
        if (e === null || typeof e !== 'object' || e.$fault !== undefined || e.$response === undefined)
          throw error;
        const operation = (context.commandName ?? 'the call').replace(/Command$/, '');
        const { httpStatusCode, requestId } = e.$metadata ?? {};
        throw new UnreadableResponseError(operation, {
          ...(httpStatusCode !== undefined ? { httpStatusCode } : {}),
          ...(requestId !== undefined ? { requestId } : {}),
        });
      }
    },
    { step: 'deserialize', priority: 'high', name: 'ssmReplicateGuardResponses' },
  );
}
