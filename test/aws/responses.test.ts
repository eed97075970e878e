import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRegionClients } from '../../src/aws/clients.js';
import { SdkParameterStore } from '../../src/aws/ssm-store.js';
import { SecretRegistry } from '../../src/render/redact.js';
import type { Endpoint } from '../endpoint/index.js';
import { settingsFor } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

const endpoint = useEndpoint();
let ep: Endpoint;
let secrets: SecretRegistry;
const SECRET = 'CANARY-ADAPTER-0c4e1b';

beforeEach(() => {
  ep = endpoint();
  secrets = new SecretRegistry();
  ep.state.putParameter({ region: SOURCE, name: '/app/secret', value: SECRET, type: 'SecureString' });
  ep.state.putParameter({ region: SOURCE, name: '/app/plain', value: 'plain-value', type: 'String' });
});

const clients = () => createRegionClients({ ...settingsFor(ep), secrets }, { region: SOURCE });

describe('the AWS adapter at the response boundary', () => {
  it('learns each SecureString value the moment its answer is decoded, and no String value', async () => {
    const heard: string[] = [];
    secrets.onMask((m) => heard.push(m));
    // The raw client, not the store: nothing but the decoding has run when the value is known.
    await clients().ssm.send(
      new GetParametersCommand({ Names: ['/app/secret', '/app/plain'], WithDecryption: true }),
    );
    expect(heard).toEqual([SECRET]);
  });

  it('reports an answer it cannot parse by operation, status and request id, quoting none of the body', async () => {
    ep.faults.malformNext({
      operation: 'GetParameters',
      body: (real) => real.replace('"Value":"', '"Value":#"'),
    });
    const store = new SdkParameterStore(SOURCE, clients());

    const error = await store.getValues(['/app/secret'], true).then(
      () => new Error('resolved'),
      (e: Error) => e,
    );

    expect(error).toMatchObject({ name: 'UnreadableResponse', $metadata: { httpStatusCode: 200 } });
    expect(error.message).toMatch(
      /^AWS answered GetParameters \(HTTP 200, request id [0-9a-f-]{36}\) with a body that could not be parsed; .* Retry;/,
    );
    expect(`${error.message}${error.stack}${JSON.stringify(error)}`).not.toContain('CANARY');
    expect(error).not.toHaveProperty('$response');
    expect(error).not.toHaveProperty('cause');
  });

  it("leaves AWS's own errors as they are, message included", async () => {
    ep.faults.failNext({
      operation: 'GetParameters',
      error: 'ValidationException',
      message: 'Names too long',
    });
    const store = new SdkParameterStore(SOURCE, clients());
    await expect(store.getValues(['/app/secret'], true)).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Names too long',
    });
  });
});
