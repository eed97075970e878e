import { AddTagsToResourceCommand, DeleteParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { syncDriftIssue } from '../../../src/action/github/drift-issue.js';
import { applyJob } from '../../../src/jobs/apply-job.js';
import { planJob } from '../../../src/jobs/plan-job.js';
import { parseManifest } from '../../../src/manifest/index.js';
import { parsePlanFile } from '../../../src/plan/plan-file.js';
import { renderJson, renderText } from '../../../src/render/index.js';
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
/** The role the fleet was applied with: the test endpoint's default caller. */
const APPLIER = 'arn:aws:iam::123456789012:user/local';

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
      /^\| `\/prod\/app\/p00003` \| value \| `arn:aws:iam::123456789012:user\/alice` \| \d{4}-\d\d-\d\d \d\d:\d\d UTC \| replica changed outside ssm-replicate \(version 1 → 2\) \|$/,
    );
    expect(body).toContain('#### `eu-west-1` · account `123456789012`');
    expect(body).not.toContain('#### `us-east-1`');
    expect(body).toContain('**1 parameter differs** in 1 region (value: 1). 59 replicas in sync.');
    expect(body).toContain('| Parameter | Difference | Last written by | Last written | Detail |');
  });

  /*
   * Tagging writes no parameter version and leaves LastModifiedUser and LastModifiedDate alone ("Each time
   * you edit the value of a parameter, Parameter Store creates a new version",
   * https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html;
   * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AddTagsToResource.html): they name
   * the last value writer, here ssm-replicate's own apply, never who edited the tags or deleted the source.
   */
  it('blames no one for a hand-tagged replica or one whose source is gone, and names no editor of a missing one', async () => {
    const ep = endpoint();
    seedFleet(ep, 12);
    const { manifest } = parseManifest(MANIFEST, 'config/replication.yaml');
    expect((await applyJob(jobContext(ep, manifest))).kind).toBe('done');
    ep.state.registerAccessKey(ALICE_KEYS.accessKeyId, ALICE);
    const alice = ssmClient(ep, 'eu-west-1', { credentials: ALICE_KEYS });
    const tag = { ResourceType: 'Parameter' as const, ResourceId: '/prod/app/p00006' };
    await alice.send(new AddTagsToResourceCommand({ ...tag, Tags: [{ Key: 'team', Value: 'rogue' }] }));
    await alice.send(new DeleteParameterCommand({ Name: '/prod/app/p00007' }));
    await ssmClient(ep, 'ap-south-1').send(new DeleteParameterCommand({ Name: '/prod/app/p00009' }));

    const { plan } = await planJob(jobContext(ep, manifest));
    const gh = new FakeGitHub();
    await syncDriftIssue(gh, { ...REPO, manifestPath: 'config/replication.yaml', botLogin: BOT, plan });

    const body = gh.issues[0]?.body ?? '';
    const eu = body.slice(body.indexOf('#### `eu-west-1`'));
    expect(eu).toContain(
      '| `/prod/app/p00006` | tags | – | – | tags: 1 to remove; tag edits write no parameter version, so AWS names no editor (CloudTrail does) |',
    );
    expect(eu).toContain('| `/prod/app/p00007` | missing | – | – | source version 1 |');
    expect(eu).toContain(
      '| `/prod/app/p00009` | unexpected | – | – | source /prod/app/p00009 no longer exists in ap-south-1 |',
    );
    expect(body).not.toContain(APPLIER);
  });
  it('names who made an unmanaged copy at a replicated name, in the issue, the terminal and the plan file', async () => {
    const ep = endpoint();
    seedFleet(ep, 6);
    const { manifest } = parseManifest(MANIFEST, 'config/replication.yaml');
    expect((await applyJob(jobContext(ep, manifest))).kind).toBe('done');
    // A new source parameter, which alice had already copied into eu-west-1 by hand (no ownership tag).
    ep.state.putParameter({ region: 'ap-south-1', name: '/prod/app/new', value: 'v', type: 'String' });
    ep.state.registerAccessKey(ALICE_KEYS.accessKeyId, ALICE);
    await ssmClient(ep, 'eu-west-1', { credentials: ALICE_KEYS }).send(
      new PutParameterCommand({ Name: '/prod/app/new', Value: 'v', Type: 'String' }),
    );

    const { plan } = await planJob(jobContext(ep, manifest));
    const gh = new FakeGitHub();
    await syncDriftIssue(gh, { ...REPO, manifestPath: 'config/replication.yaml', botLogin: BOT, plan });

    const body = gh.issues[0]?.body ?? '';
    const eu = body.slice(body.indexOf('#### `eu-west-1`'));
    expect(eu).toMatch(
      /\| `\/prod\/app\/new` \| unmanaged conflict \| `arn:aws:iam::123456789012:user\/alice` \| \d{4}-\d\d-\d\d \d\d:\d\d UTC \|/,
    );
    const text = renderText(plan, { color: false });
    expect(text).toMatch(
      /^ {6}\/prod\/app\/new {2}\(last written by arn:aws:iam::123456789012:user\/alice at \d{4}-/m,
    );
    // The plan file keeps it and still passes its schema.
    const saved = parsePlanFile(renderJson(plan), 'plan.json');
    expect(
      saved.regions.find((r) => r.region === 'eu-west-1')?.unmanagedModified?.['/prod/app/new']?.user,
    ).toBe(ALICE.arn);
  });
});
