import { describe, expect, it } from 'vitest';
import { ManifestError, manifestFromSeedEnv } from '../../src/manifest/index.js';

const SEED = {
  DEST_REGIONS: 'us-east-1,eu-west-1',
  PARAM_PATHS: '/prod/app,/prod/api',
  DEST_KMS_KEY_ID: 'alias/prod-key',
  DRY_RUN: 'false',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    manifestFromSeedEnv(env, 'ap-south-1');
  } catch (error) {
    if (error instanceof ManifestError)
      return error.issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the environment to be rejected');
}

describe('manifestFromSeedEnv', () => {
  it("translates the seed blog's example configuration into one replication that adopts and syncs deletes, as the seed overwrote and deleted", () => {
    const { manifest, dryRun, warnings } = manifestFromSeedEnv(SEED, 'ap-south-1');
    const destination = {
      deletes: 'sync',
      maxDeletes: 25,
      maxDeletePercent: 50,
      tags: {},
      ec2Image: { mode: 'skip' },
      adopt: true,
      allowEmptySource: false,
    };
    expect(dryRun).toBe(false);
    expect(warnings).toEqual([]);
    expect(manifest.source).toEqual({ region: 'ap-south-1' });
    expect(manifest.replications).toEqual([
      {
        name: 'env',
        paths: ['/prod/app', '/prod/api'],
        exclude: [],
        allowWholeRegion: false,
        destinations: [
          { ...destination, region: 'us-east-1', kmsKeyId: 'alias/prod-key' },
          { ...destination, region: 'eu-west-1', kmsKeyId: 'alias/prod-key' },
        ],
      },
    ]);
  });

  it('carries DEST_PARAM_TYPE to every destination and reads DRY_RUN in any case', () => {
    const { manifest, dryRun } = manifestFromSeedEnv(
      { ...SEED, DEST_PARAM_TYPE: 'SecureString', DRY_RUN: ' TRUE ' },
      'ap-south-1',
    );
    expect(dryRun).toBe(true);
    expect(manifest.replications[0]?.destinations.map((d) => d.type)).toEqual([
      'SecureString',
      'SecureString',
    ]);
  });

  it('refuses PARAM_PATHS=/ and points to a manifest, the only place that can opt in to a whole region', () => {
    expect(problems({ ...SEED, PARAM_PATHS: '/prod/app,/' })).toEqual([
      "PARAM_PATHS:1:11: PARAM_PATHS includes '/', which replicates every parameter of ap-south-1 and lets deletes reach every replica in each destination; list the paths to replicate, or use a manifest (SSM_REPLICATE_MANIFEST) with allow-whole-region: true",
    ]);
  });

  it('ignores spaces and empty entries in the lists, as the seed did', () => {
    const { manifest } = manifestFromSeedEnv(
      { ...SEED, DEST_REGIONS: ' us-east-1 , ,eu-west-1,' },
      'ap-south-1',
    );
    expect(manifest.replications[0]?.destinations.map((d) => d.region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('skips the source region with a warning, as the seed did at run time', () => {
    const { manifest, warnings } = manifestFromSeedEnv(
      { ...SEED, DEST_REGIONS: 'ap-south-1,us-east-1' },
      'ap-south-1',
    );
    expect(manifest.replications[0]?.destinations.map((d) => d.region)).toEqual(['us-east-1']);
    expect(warnings.map((w) => `${w.file}:${w.column}: ${w.message}`)).toEqual([
      'DEST_REGIONS:1: ap-south-1 is the region this runs in (the source); it is skipped as a destination',
    ]);
  });

  it('names each missing variable with an example value', () => {
    expect(problems({})).toEqual([
      'PARAM_PATHS:1:1: PARAM_PATHS is not set; give a comma-separated list, e.g. /prod/app,/prod/api',
      'DEST_REGIONS:1:1: DEST_REGIONS is not set; give a comma-separated list, e.g. us-east-1,eu-west-1',
    ]);
  });

  it('points into the variable at the entry that is wrong, and reports all of them', () => {
    expect(
      problems({ ...SEED, DEST_REGIONS: 'us-east-1,us-west', PARAM_PATHS: '/prod/app,prod/api' }),
    ).toEqual([
      "DEST_REGIONS:1:11: 'us-west' is not a region name; expected e.g. us-east-1 — did you mean 'us-west-1'?",
      "PARAM_PATHS:1:11: path 'prod/api' must start with '/', e.g. '/prod/api'",
    ]);
  });

  it('accepts GovCloud regions the seed pattern refused', () => {
    const { manifest } = manifestFromSeedEnv({ ...SEED, DEST_REGIONS: 'us-gov-west-1' }, 'us-gov-east-1');
    expect(manifest.replications[0]?.destinations[0]?.region).toBe('us-gov-west-1');
  });

  it('suggests the right spelling of DEST_PARAM_TYPE', () => {
    expect(problems({ ...SEED, DEST_PARAM_TYPE: 'securestring' })).toEqual([
      "DEST_PARAM_TYPE:1:1: DEST_PARAM_TYPE must be one of String, StringList, SecureString; got 'securestring' — did you mean 'SecureString'?",
    ]);
  });

  it('refuses a DRY_RUN value it cannot read rather than writing for real', () => {
    expect(problems({ ...SEED, DRY_RUN: 'yes' })).toEqual([
      "DRY_RUN:1:1: DRY_RUN must be true or false, got 'yes'",
    ]);
  });

  it('refuses a list that names only the source region', () => {
    expect(problems({ ...SEED, DEST_REGIONS: 'ap-south-1' })).toEqual([
      'DEST_REGIONS:1:1: DEST_REGIONS names no region other than the source ap-south-1',
    ]);
  });

  it('refuses a path with a trailing slash, which the seed silently never matched', () => {
    expect(problems({ ...SEED, PARAM_PATHS: '/prod/app/' })).toEqual([
      "PARAM_PATHS:1:1: path '/prod/app/' must not end with '/'; write '/prod/app'",
    ]);
  });

  it('refuses a DEST_KMS_KEY_ID that is not a key reference', () => {
    expect(problems({ ...SEED, DEST_KMS_KEY_ID: 'prod-key' })).toEqual([
      "DEST_KMS_KEY_ID:1:1: 'prod-key' is not a KMS key id, alias or ARN; expected e.g. alias/prod-key, a key id or arn:aws:kms:REGION:ACCOUNT:key/ID — did you mean 'alias/prod-key'?",
    ]);
  });
});
