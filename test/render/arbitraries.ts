import fc from 'fast-check';
import type {
  AttributeChange,
  Plan,
  PlanItem,
  PlanMessage,
  PlanSummary,
  RegionPlan,
  TagChanges,
} from '../../src/plan/types.js';
import { PROTOTYPE_KEYS } from '../support/keys.js';

/** Strings a parameter, tag or message could hold, hostile ones included (controls, Markdown, HTML). */
export const HOSTILE = [
  '</details><img src=x onerror=alert(1)>',
  '@someone please look',
  'fixes #123 and GH-42 and owner/repo#7',
  'a `tick` and a ``` fence ```` longer',
  '````diff\n+ /forged/create',
  'a | b | c',
  '<!-- hide everything below',
  'close the marker -->',
  'line one\nline two\r\n+ /forged',
  '\u001b[31mred\u001b[0m\u0007 bell',
  '\u009b31m C1 CSI and \u0085 NEL',
  'https://evil.example/x and www.evil.example and me@evil.example',
  '**bold** _em_ ~~strike~~ [link](http://x) ![img](x)',
  '$x^2$ and $$math$$',
  '# heading',
  '- list item',
  '1. ordered',
  '> quote',
  'Trojan \u202eevil\u202c source \u2066isolate\u2069',
  'zero\u200bwidth\u200djoin\ufeffbom',
  '&lt; entity &amp; <script>alert(1)</script>',
  ' leading space and trailing backtick`',
  'back\\slash \\n not a newline',
  '\ud800 lone surrogate',
  '',
] as const;

const hostile = fc.constantFrom(...HOSTILE);

/** Any string, biased towards hostile ones; never the canary's prefix, so finding it proves a leak. */
export const text = fc
  .oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), hostile)
  .filter((s) => !s.includes('CANARY'));

const count = fc.nat({ max: 1000 });
const version = fc.integer({ min: 1, max: 100 });
const type = fc.constantFrom('String' as const, 'StringList' as const, 'SecureString' as const);
const tier = fc.constantFrom('Standard' as const, 'Advanced' as const);
const attribute = fc.constantFrom(
  'value' as const,
  'type' as const,
  'description' as const,
  'allowedPattern' as const,
  'tier' as const,
  'policies' as const,
  'dataType' as const,
  'keyId' as const,
);

const change: fc.Arbitrary<AttributeChange> = fc.record(
  { attribute, reason: text, from: fc.oneof(text, type), to: fc.oneof(text, type) },
  { requiredKeys: ['attribute', 'reason'] },
);

/** Tag keys: any text, or a name of an Object.prototype member (`__proto__`, `constructor`, …). */
const tagKey = fc.oneof(text, fc.constantFrom(...PROTOTYPE_KEYS));

const tags: fc.Arbitrary<TagChanges> = fc.record({
  add: fc.dictionary(tagKey, text, { maxKeys: 3 }),
  change: fc.dictionary(tagKey, fc.record({ from: text, to: text }), { maxKeys: 3 }),
  remove: fc.array(tagKey, { maxLength: 3 }),
});

/** The planner's contract: a value that is or becomes a SecureString has no from/to. */
export function isSecret(item: PlanItem): boolean {
  return (
    item.type === 'SecureString' ||
    item.changes.some((c) => c.attribute === 'type' && (c.from === 'SecureString' || c.to === 'SecureString'))
  );
}

function withoutSecretValues(item: PlanItem): PlanItem {
  if (!isSecret(item)) return item;
  const changes = item.changes.map((c) =>
    c.attribute === 'value' ? { attribute: c.attribute, reason: c.reason } : c,
  );
  return { ...item, changes };
}

/** Items with value from/to anywhere, secret ones included: what a buggy planner could produce. */
export const rawItem: fc.Arbitrary<PlanItem> = fc.record(
  {
    action: fc.constantFrom(
      'create' as const,
      'update' as const,
      'tag' as const,
      'replace' as const,
      'delete' as const,
    ),
    name: text,
    sourceName: text,
    replication: text,
    type,
    tier,
    sourceVersion: version,
    destinationVersion: version,
    changes: fc.array(change, { maxLength: 4 }),
    target: fc.record(
      {
        type,
        tier,
        dataType: text,
        keyId: text,
        description: text,
        allowedPattern: text,
        policies: fc.array(text, { maxLength: 2 }),
        ami: text,
      },
      { requiredKeys: ['type', 'tier', 'dataType', 'policies'] },
    ),
    tags,
    reason: text,
  },
  { requiredKeys: ['action', 'name', 'replication', 'type', 'changes'] },
);

const message: fc.Arbitrary<PlanMessage> = fc.record(
  { code: text, message: text, region: text, replication: text, name: text },
  { requiredKeys: ['code', 'message'] },
);

function regionOf(items: fc.Arbitrary<PlanItem>): fc.Arbitrary<RegionPlan> {
  return fc.record(
    {
      target: text,
      region: text,
      account: text,
      items: fc.array(items, { maxLength: 5 }),
      unchanged: count,
      inSync: fc.dictionary(text, count, { maxKeys: 2 }),
      unmanaged: fc.array(text, { maxLength: 3 }),
      error: text,
    },
    { requiredKeys: ['target', 'region', 'items', 'unchanged', 'inSync', 'unmanaged'] },
  );
}

const summary: fc.Arbitrary<PlanSummary> = fc.record({
  creates: count,
  updates: count,
  tagChanges: count,
  replaces: count,
  deletes: count,
  unchanged: count,
  regions: count,
});

const digest = fc
  .array(fc.constantFrom(...'0123456789abcdef'), { minLength: 64, maxLength: 64 })
  .map((hex) => `sha256:${hex.join('')}`);

function planOf(items: fc.Arbitrary<PlanItem>): fc.Arbitrary<Plan> {
  return fc.record({
    formatVersion: fc.constant(2 as const),
    sourceRegion: text,
    scope: fc.constantFrom('full' as const, 'names' as const),
    digest,
    summary,
    blockers: fc.array(message, { maxLength: 3 }),
    warnings: fc.array(message, { maxLength: 3 }),
    regions: fc.array(regionOf(items), { maxLength: 4 }),
  });
}

/** Plans as the planner may produce them: any shape the type allows, no SecureString value shown. */
export const arbitraryPlan: fc.Arbitrary<Plan> = planOf(rawItem.map(withoutSecretValues));

/** Plans whose secret items carry their value in from/to anyway, as a unique canary per position. */
export const leakyPlan: fc.Arbitrary<{ plan: Plan; canaries: string[] }> = planOf(rawItem).map(
  (generated) => {
    // A copy: fast-check replays generated values while shrinking, so they must not be mutated.
    const plan = structuredClone(generated);
    const canaries: string[] = [];
    for (const region of plan.regions) {
      for (const item of region.items) {
        if (!isSecret(item)) continue;
        const secret = (side: string) => {
          const marker = `CANARY-SECRET-${canaries.length}-${side}`;
          canaries.push(marker);
          return marker;
        };
        const values = item.changes.filter((c) => c.attribute === 'value');
        if (values.length === 0) item.changes.push({ attribute: 'value', reason: 'value differs' });
        for (const c of item.changes) {
          if (c.attribute !== 'value') continue;
          c.from = secret('from');
          c.to = secret('to');
        }
      }
    }
    return { plan, canaries };
  },
);
