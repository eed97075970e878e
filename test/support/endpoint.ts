import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Endpoint, type EndpointOptions, startEndpoint } from '../endpoint/index.js';

/**
 * One local endpoint per test file, wiped before each test (state, faults, call log, S3 objects). Returns a getter,
 * since the endpoint only exists once `beforeAll` has run.
 */
export function useEndpoint(options: EndpointOptions = {}): () => Endpoint {
  let endpoint: Endpoint | undefined;
  beforeAll(async () => {
    endpoint = await startEndpoint(options);
  });
  afterAll(() => endpoint?.stop());
  beforeEach(() => {
    if (!endpoint) return;
    endpoint.state.reset();
    endpoint.faults.clear();
    endpoint.resetCalls();
    endpoint.objects.reset();
  });
  return () => {
    if (!endpoint) throw new Error('the endpoint is not started yet');
    return endpoint;
  };
}
