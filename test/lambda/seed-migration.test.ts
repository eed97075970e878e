import { DeleteParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { OWNER_TAG_KEY } from '../../src/manifest/index.js';
import { ssmClient } from '../endpoint/clients.js';
import { OWNER } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { current, SOURCE } from '../support/seed.js';
import { DESTINATIONS, nativeEvent, testHandler, trailEvent } from './support.js';

const endpoint = useEndpoint();

/** The seed's variables, left on the function when its code is swapped for ours. */
const SEED_ENV = { DEST_REGIONS: 'us-east-1,eu-west-1', PARAM_PATHS: '/prod/app,/prod/api' };
const NAME = '/prod/app/DB_HOST';
const ADOPTED = { [OWNER.key]: OWNER.value, [OWNER_TAG_KEY]: 'default/env' };

function seedLeftovers() {
  const ep = endpoint();
  ep.state.putParameter({ region: SOURCE, name: NAME, value: 'new-value', type: 'String' });
  for (const region of DESTINATIONS) {
    ep.state.putParameter({
      region,
      name: NAME,
      value: 'old-value',
      type: 'String',
      description: 'Replicated by SSM cross-region replicator Lambda',
    });
  }
}

/** Someone deletes the source parameter, the way the seed's users do. */
async function deleteSource() {
  await ssmClient(endpoint(), SOURCE).send(new DeleteParameterCommand({ Name: NAME }));
}

describe("the function swapped in for the seed's, with the seed's variables", () => {
  it("overwrites the seed's untagged replica on the next event, as the seed did, and tags it", async () => {
    seedLeftovers();
    const { handler } = testHandler(endpoint(), SEED_ENV);

    // Invoked directly with one event, the way the seed's EventBridge rule invokes its function.
    await handler(trailEvent('PutParameter', [NAME]));

    for (const region of DESTINATIONS) {
      expect(current(endpoint(), region, NAME)).toMatchObject({ value: 'new-value', tags: ADOPTED });
    }
  });

  it('mirrors a source delete to the replicas it adopted, as the seed replicated deletes', async () => {
    seedLeftovers();
    const { handler } = testHandler(endpoint(), SEED_ENV);
    await handler(trailEvent('PutParameter', [NAME]));

    await deleteSource();
    await handler(nativeEvent('Delete', NAME));

    for (const region of DESTINATIONS) expect(current(endpoint(), region, NAME)).toBeUndefined();
  });

  it('leaves an untagged replica alone on a source delete: it cannot tell the seed’s from a hand-made one', async () => {
    seedLeftovers();
    const { handler } = testHandler(endpoint(), SEED_ENV);

    await deleteSource();
    await handler(nativeEvent('Delete', NAME));

    for (const region of DESTINATIONS) expect(current(endpoint(), region, NAME)?.value).toBe('old-value');
  });
});
