import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { syncDriftIssue } from '../../../src/action/github/drift-issue.js';
import { applyJob } from '../../../src/jobs/apply-job.js';
import { planJob } from '../../../src/jobs/plan-job.js';
import { parseManifest } from '../../../src/manifest/index.js';
import { ssmClient } from '../../endpoint/clients.js';
import { jobContext } from '../../support/aws.js';
import { useEndpoint } from '../../support/endpoint.js';
import { seedFleet } from '../../support/seed.js';
import { BOT, FakeGitHub, REPO } from './fake-port.js';

const MANIFEST = `version: 1
source:
  region: ap-south-1
replications:
  - name: prod-app
    paths: [/prod/app]
    destinations:
      - region: us-east-1
      - region: eu-west-1
`;
const ALICE = { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice', userId: 'AIDAALICE' };
const ALICE_KEYS = { accessKeyId: 'AKIAALICEALICEALICE0', secretAccessKey: 'alice' };

const endpoint = useEndpoint();

describe('the drift issue of a real fleet, through the SDK against the local endpoint', () => {
  it('names the one hand-edited replica with its kind, its editor and when, and nothing else', async () => {
    const ep = endpoint();
    seedFleet(ep, 30);
    const { manifest } = parseManifest(MANIFEST, 'config/replication.yaml');
    expect((await applyJob(jobContext(ep, manifest))).kind).toBe('done');
    // Someone edits one replica by hand, with their own credentials, as in the console.
    ep.state.registerAccessKey(ALICE_KEYS.accessKeyId, ALICE);
    const alice = ssmClient(ep, 'eu-west-1', { credentials: ALICE_KEYS });
    await alice.send(
      new PutParameterCommand({
        Name: '/prod/app/p00003',
        Value: 'hot-fix',
        Type: 'String',
        Overwrite: true,
      }),
    );

    const { plan } = await planJob(jobContext(ep, manifest));
    const gh = new FakeGitHub();
    await syncDriftIssue(gh, { ...REPO, manifestPath: 'config/replication.yaml', botLogin: BOT, plan });

    const body = gh.issues[0]?.body ?? '';
    const rows = body.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(
      /^\| `\/prod\/app\/p00003` \| value \| `arn:aws:iam::123456789012:user\/alice` \| \d{4}-\d\d-\d\d \d\d:\d\d UTC \|/,
    );
    expect(body).toContain('#### `eu-west-1` · account `123456789012`');
    expect(body).not.toContain('#### `us-east-1`');
    expect(body).toContain('**1 parameter differs** in 1 region (value: 1). 59 replicas in sync.');
  });
});
