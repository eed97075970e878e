import { summarizeRegions } from '../../src/plan/plan.js';
import type { Plan, PlanItem, RegionPlan } from '../../src/plan/types.js';

export const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

export function region(overrides: Partial<RegionPlan> & Pick<RegionPlan, 'region'>): RegionPlan {
  return {
    target: overrides.region,
    items: [],
    unchanged: 0,
    inSync: {},
    unmanaged: [],
    ...overrides,
  };
}

export function item(overrides: Partial<PlanItem> & Pick<PlanItem, 'action' | 'name'>): PlanItem {
  return { replication: 'prod-app', type: 'String', tier: 'Standard', changes: [], ...overrides };
}

/** A replica that must be replaced: String at AWS, StringList at the source; its changes are the new replica's. */
export function replaceItem(name: string): PlanItem {
  return item({
    action: 'replace',
    name,
    type: 'StringList',
    changes: [
      { attribute: 'value', reason: 'new replica', to: 'a,b' },
      { attribute: 'type', reason: 'type differs', from: 'String', to: 'StringList' },
      { attribute: 'tier', reason: 'new replica', to: 'Standard' },
    ],
  });
}

/** Builds a plan whose summary agrees with its items, as the planner's does. */
export function planOf(regions: RegionPlan[], overrides: Partial<Plan> = {}): Plan {
  const summary = summarizeRegions(regions);
  return {
    formatVersion: 2,
    sourceRegion: 'ap-south-1',
    scope: 'full',
    digest: DIGEST,
    summary,
    blockers: [],
    warnings: [],
    regions,
    ...overrides,
  };
}

/** Every action, a rewrite, a shown and a hidden value, tags, unmanaged names, a quiet and a failed region. */
export function representativePlan(): Plan {
  const usEast = region({
    region: 'us-east-1',
    account: '123456789012',
    unchanged: 10,
    inSync: { 'prod-app': 10 },
    unmanaged: ['/dr/app/HAND_MADE'],
    unmanagedConflicts: ['/dr/app/HAND_MADE'],
    items: [
      item({
        action: 'create',
        name: '/dr/app/API_KEY',
        sourceName: '/prod/app/API_KEY',
        type: 'SecureString',
        sourceVersion: 3,
        changes: [
          { attribute: 'value', reason: 'new replica' },
          { attribute: 'type', reason: 'new replica', to: 'SecureString' },
          { attribute: 'tier', reason: 'new replica', to: 'Standard' },
          { attribute: 'keyId', reason: 'new replica', to: 'alias/dr' },
        ],
        tags: { add: { 'ssm-replicate:managed-by': 'ssm-replicate', team: 'core' }, change: {}, remove: [] },
      }),
      item({
        action: 'update',
        name: '/dr/app/DB_URL',
        sourceName: '/prod/app/DB_URL',
        sourceVersion: 7,
        destinationVersion: 4,
        changes: [
          {
            attribute: 'value',
            reason: 'value differs',
            from: 'postgres://db.internal:5432/app',
            to: 'postgres://db-2.internal:5432/app',
          },
          { attribute: 'description', reason: 'description differs', from: 'old', to: 'Primary database' },
        ],
      }),
      item({
        action: 'tag',
        name: '/dr/app/FEATURE_FLAGS',
        sourceName: '/prod/app/FEATURE_FLAGS',
        type: 'StringList',
        sourceVersion: 2,
        destinationVersion: 2,
        tags: { add: { owner: 'web' }, change: { env: { from: 'staging', to: 'prod' } }, remove: ['legacy'] },
      }),
    ],
  });
  const euWest = region({
    region: 'eu-west-1',
    items: [
      item({
        action: 'replace',
        name: '/prod/app/BIG',
        sourceName: '/prod/app/BIG',
        reason: 'tier changes from Advanced to Standard, which AWS cannot do in place',
        sourceVersion: 5,
        destinationVersion: 9,
        changes: [
          { attribute: 'value', reason: 'new replica' },
          { attribute: 'tier', reason: 'tier differs', from: 'Advanced', to: 'Standard' },
        ],
      }),
      item({
        action: 'delete',
        name: '/prod/app/OLD_TOKEN',
        type: 'SecureString',
        destinationVersion: 1,
        reason: 'source /prod/app/OLD_TOKEN no longer exists in ap-south-1',
      }),
    ],
    unchanged: 3,
    inSync: { 'prod-app': 3 },
  });
  return planOf(
    [
      usEast,
      euWest,
      region({ region: 'ap-northeast-1', unchanged: 13, inSync: { 'prod-app': 13 } }),
      region({
        region: 'sa-east-1',
        error: 'AccessDeniedException: not authorized to perform ssm:DescribeParameters',
      }),
    ],
    {
      warnings: [
        {
          code: 'unmanaged-conflict',
          message:
            '/dr/app/HAND_MADE already exists in us-east-1 without the ownership tag ssm-replicate:managed-by=ssm-replicate; it is left alone. Set adopt: true for this destination to take it over, or delete it by hand.',
          region: 'us-east-1',
          name: '/dr/app/HAND_MADE',
        },
      ],
    },
  );
}

export function blockedPlan(): Plan {
  const plan = representativePlan();
  plan.blockers.push({
    code: 'max-deletes-exceeded',
    message:
      "40 deletes planned in eu-west-1 for 'prod-app', over its max-deletes of 25. If this is intended, raise max-deletes for this destination and re-run.",
    region: 'eu-west-1',
    replication: 'prod-app',
  });
  return plan;
}

/** `count` creates spread over `regions` regions, plus as many unmanaged names and warnings: for size bounds. */
export function hugePlan(count: number, regions = 1, nameLength = 40): Plan {
  const per = Math.ceil(count / regions);
  const pad = 'x'.repeat(Math.max(0, nameLength - 20));
  const regionPlans = Array.from({ length: regions }, (_, r) =>
    region({
      region: `region-${r}`,
      items: Array.from({ length: per }, (_, i) =>
        item({
          action: i % 2 ? 'create' : 'update',
          name: `/p/${pad}/${r}/${i}`,
          changes: [{ attribute: 'value', reason: 'value differs', from: 'a', to: 'b' }],
        }),
      ),
      unmanaged: Array.from({ length: per }, (_, i) => `/u/${r}/${i}`),
    }),
  );
  const warnings = Array.from({ length: count }, (_, i) => ({
    code: 'unmanaged-conflict',
    message: `w${i}`,
  }));
  const blockers = Array.from({ length: count }, (_, i) => ({
    code: 'max-deletes-exceeded',
    message: `b${i}`,
  }));
  return planOf(regionPlans, { warnings, blockers });
}
