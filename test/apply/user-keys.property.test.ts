import { ListTagsForResourceCommand, PutParameterCommand, type Tag } from '@aws-sdk/client-ssm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJob } from '../../src/jobs/apply-job.js';
import { planJob } from '../../src/jobs/plan-job.js';
import { keyed } from '../../src/keyed.js';
import { OWNER_TAG_KEY } from '../../src/manifest/index.js';
import { SYNC_TAG_KEY } from '../../src/plan/sync-record.js';
import type { PlanItem } from '../../src/plan/types.js';
import { ssmClient } from '../endpoint/clients.js';
import { jobContext } from '../support/aws.js';
import { destination, manifest, OWNER, replication } from '../support/builders.js';
import { useEndpoint } from '../support/endpoint.js';
import { awsTagKey, tagEntries } from '../support/keys.js';
import { SOURCE } from '../support/seed.js';

/*
 * The applier against the local endpoint through the real SDK, with tag keys that name Object.prototype
 * members and unicode keys in the source, the manifest, the replica and the ownership tag: the plan's tag changes are exactly
 * what the destination ends up holding, and a second plan is empty.
 */

const endpoint = useEndpoint();
const DEST = 'us-east-1';
const NAME = '/prod/app/a';

type Entries = [string, string][];
const tagList = (entries: Entries): Tag[] => entries.map(([Key, Value]) => ({ Key, Value }));

async function put(region: string, value: string, tags: Entries) {
  await ssmClient(endpoint(), region).send(
    new PutParameterCommand({ Name: NAME, Value: value, Type: 'String', Tags: tagList(tags) }),
  );
}

async function tagsIn(region: string): Promise<Map<string, string>> {
  const r = await ssmClient(endpoint(), region).send(
    new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: NAME }),
  );
  // The sync record is apply's bookkeeping, never a planned tag change (test/apply/sync-record.test.ts).
  const tags = (r.TagList ?? []).filter((t) => t.Key !== SYNC_TAG_KEY);
  return new Map(tags.map((t) => [t.Key ?? '', t.Value ?? '']));
}

function afterItem(before: Map<string, string>, item: PlanItem | undefined): Map<string, string> {
  const tags = new Map(item?.action === 'create' ? [] : before);
  for (const [k, v] of Object.entries(item?.tags?.add ?? {})) tags.set(k, v);
  for (const [k, v] of Object.entries(item?.tags?.change ?? {})) tags.set(k, v.to);
  for (const k of item?.tags?.remove ?? []) tags.delete(k);
  return tags;
}

describe('applying tags named like Object.prototype members', () => {
  it('writes exactly the planned tag changes, and a second plan is empty', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          source: tagEntries(awsTagKey),
          manifestTags: tagEntries(awsTagKey),
          replica: fc.option(tagEntries(awsTagKey), { nil: undefined }),
          stale: fc.boolean(),
          owner: fc.constantFrom(OWNER.key, '__proto__', 'constructor'),
        }),
        async (s) => {
          endpoint().state.reset();
          const m = manifest(
            [replication({ destinations: [destination(DEST, { tags: keyed(s.manifestTags) })] })],
            { ownershipTag: { key: s.owner, value: OWNER.value } },
          );
          await put(SOURCE, 'v', s.source);
          if (s.replica)
            await put(DEST, s.stale ? 'old' : 'v', [
              ...s.replica.filter(([k]) => k !== s.owner),
              [s.owner, OWNER.value],
            ]);
          const before = s.replica ? await tagsIn(DEST) : new Map<string, string>();
          const ctx = jobContext(endpoint(), m);

          const { plan } = await planJob(ctx);
          const result = await applyJob(ctx, { expectDigest: plan.digest });

          expect(result.kind).toBe('done');
          if (result.kind !== 'done') return;
          expect(result.report).toMatchObject({ failed: 0, drifted: 0 });
          const held = await tagsIn(DEST);
          expect(held).toEqual(afterItem(before, plan.regions[0]?.items[0]));
          expect(held).toEqual(
            new Map([
              ...s.source,
              ...s.manifestTags,
              [s.owner, OWNER.value],
              [OWNER_TAG_KEY, 'default/prod-app'],
            ]),
          );
          expect((await planJob(ctx)).plan.regions[0]?.items).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });
});
