import { DeleteParametersCommand } from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyJob } from '../../src/jobs/apply-job.js';
import { planJob } from '../../src/jobs/plan-job.js';
import { parseManifest } from '../../src/manifest/index.js';
import { ssmClient } from '../endpoint/clients.js';
import type { Endpoint } from '../endpoint/index.js';
import { jobContext } from '../support/aws.js';
import { useEndpoint } from '../support/endpoint.js';
import { listUnder, SOURCE, seedFleet } from '../support/seed.js';

const endpoint = useEndpoint();
let ep: Endpoint;
beforeEach(() => {
  ep = endpoint();
});

/** The README's example manifest, reduced to one path, as a user would write it. */
const README_EXAMPLE = parseManifest(
  [
    'version: 1',
    'source: { region: ap-south-1 }',
    'replications:',
    '  - name: prod-app',
    '    paths: [/prod/app]',
    '    exclude: ["/prod/app/local/**"]',
    '    destinations: [{ region: us-east-1 }, { region: eu-west-1 }]',
    '',
  ].join('\n'),
  'replication.yaml',
).manifest;

async function deleteFromSource(names: readonly string[]) {
  const client = ssmClient(ep, SOURCE);
  for (let i = 0; i < names.length; i += 10)
    await client.send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) }));
}

describe('delete guardrails through the SDK', () => {
  it('blocks the plan when a path keeps only excluded parameters in the source while its replicas exist', async () => {
    const fleet = seedFleet(ep, 20);
    ep.state.putParameter({ region: SOURCE, name: '/prod/app/local/dev', value: 'mine', type: 'String' });
    const first = await applyJob(jobContext(ep, README_EXAMPLE));
    expect(first.kind === 'done' && first.report.applied).toBe(40);

    await deleteFromSource(fleet.map((p) => p.name));
    const { plan } = await planJob(jobContext(ep, README_EXAMPLE));
    expect(plan.blockers.filter((b) => b.code === 'empty-source-path').map((b) => b.region)).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
    const result = await applyJob(jobContext(ep, README_EXAMPLE));
    expect(result).toMatchObject({ kind: 'refused', reason: 'blocked' });
    expect(listUnder(ep, 'us-east-1', '/prod/app/')).toHaveLength(20);
    expect(listUnder(ep, 'eu-west-1', '/prod/app/')).toHaveLength(20);
  });

  it('blocks a run that would delete more than half of a small fleet, which max-deletes alone lets through', async () => {
    const fleet = seedFleet(ep, 10);
    await applyJob(jobContext(ep, README_EXAMPLE));
    await deleteFromSource(fleet.slice(0, 6).map((p) => p.name));

    const result = await applyJob(jobContext(ep, README_EXAMPLE));
    expect(result).toMatchObject({ kind: 'refused', reason: 'blocked' });
    expect(result.plan.blockers.map((b) => [b.code, b.region])).toEqual([
      ['max-delete-percent-exceeded', 'eu-west-1'],
      ['max-delete-percent-exceeded', 'us-east-1'],
    ]);
    expect(listUnder(ep, 'us-east-1', '/prod/app/')).toHaveLength(10);
  });

  it('lets a fleet of two lose one parameter', async () => {
    const fleet = seedFleet(ep, 2);
    await applyJob(jobContext(ep, README_EXAMPLE));
    await deleteFromSource([fleet[1]?.name as string]);

    const result = await applyJob(jobContext(ep, README_EXAMPLE));
    expect(result.kind === 'done' && result.report).toMatchObject({ applied: 2, failed: 0 });
    expect(listUnder(ep, 'us-east-1', '/prod/app/').map((p) => p.name)).toEqual(['/prod/app/p00000']);
  });
});
