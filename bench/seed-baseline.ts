import {
  AddTagsToResourceCommand,
  GetParameterCommand,
  ListTagsForResourceCommand,
  type ParameterType,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { TEST_CREDENTIALS } from '../test/endpoint/clients.js';

/**
 * The seed blog post's replicator, re-implemented for comparison only (nothing in src/ uses it): for each
 * parameter and each destination, sequentially, GetParameter (decrypted) and ListTagsForResource on the
 * source, then PutParameter with Overwrite and AddTagsToResource when there are tags. Faithful to the
 * post where it matters for cost and outcome: it forces Tier Standard and its own description, writes
 * whether or not anything changed, reads the source again for every destination, logs and goes on when a
 * pair fails, and has no rate limiter of its own. Retries are the SDK's (boto3's default is 5 attempts).
 * One client per region is reused, which is kinder than the post's client per destination and call.
 */
export interface SeedRunOptions {
  endpoint: string;
  sourceRegion: string;
  destinations: readonly string[];
  names: readonly string[];
  /** The post's DRY_RUN: read everything, write nothing — the seed's planning-equivalent. */
  dryRun: boolean;
  maxAttempts?: number;
}

export interface SeedRunResult {
  pairs: number;
  replicated: number;
  /** Pairs that failed, by error name (ThrottlingException once the SDK's retries are spent, …). */
  failures: Record<string, number>;
  /** Tag reads that failed and were swallowed: those replicas were written without their tags. */
  tagReadFailures: number;
  wallMs: number;
}

const SEED_DESCRIPTION = 'Replicated by SSM cross-region replicator Lambda';

export async function runSeed(options: SeedRunOptions): Promise<SeedRunResult> {
  const client = (region: string) =>
    new SSMClient({
      region,
      endpoint: options.endpoint,
      credentials: TEST_CREDENTIALS,
      maxAttempts: options.maxAttempts ?? 5,
    });
  const source = client(options.sourceRegion);
  const destinations = options.destinations.map((region) => ({ region, ssm: client(region) }));
  const failures: Record<string, number> = {};
  let replicated = 0;
  let pairs = 0;
  let tagReadFailures = 0;
  const started = performance.now();
  for (const name of options.names) {
    for (const dest of destinations) {
      pairs++;
      try {
        const got = await source.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        const param = got.Parameter;
        if (!param) continue;
        // The post swallows tag read errors and replicates without tags.
        let tags: { Key: string; Value: string }[] = [];
        try {
          const listed = await source.send(
            new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
          );
          tags = (listed.TagList ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
        } catch {
          tagReadFailures++;
        }
        if (options.dryRun) continue;
        await dest.ssm.send(
          new PutParameterCommand({
            Name: name,
            Value: param.Value ?? '',
            Type: (param.Type ?? 'SecureString') as ParameterType,
            Description: SEED_DESCRIPTION,
            Overwrite: true,
            Tier: 'Standard',
          }),
        );
        if (tags.length > 0)
          await dest.ssm.send(
            new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: name, Tags: tags }),
          );
        replicated++;
      } catch (error) {
        const code = (error as { name?: string }).name ?? 'Error';
        failures[code] = (failures[code] ?? 0) + 1;
      }
    }
  }
  const wallMs = performance.now() - started;
  for (const c of [source, ...destinations.map((d) => d.ssm)]) c.destroy();
  return { pairs, replicated, failures, tagReadFailures, wallMs };
}
