import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import schema from '../../schemas/plan.schema.json' with { type: 'json' };
import { parseJson } from '../keyed.js';
import { clip } from '../render/escape.js';
import { PLAN_FORMAT_VERSION, type Plan } from './types.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);
const validDigest = ajv.compile(schema.properties.digest);

/** Far above the plan of 300,000 creates the memory bench holds; a larger file is not one of our plans. */
export const PLAN_FILE_MAX_BYTES = 256 * 2 ** 20;
/** Places listed in one message; the first few say enough to see that this is not one of our plans. */
const SHOWN = 3;

/** A saved plan that is not one ssm-replicate wrote: which file, where in it, and what was expected there. */
export class PlanFileError extends Error {
  override readonly name = 'PlanFileError';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    what = 'is not an ssm-replicate plan (schemas/plan.schema.json)',
  ) {
    super(`${file} ${what}: ${problems.join('; ')}`);
  }
}

/**
 * The plan in a saved plan file (`plan --out`, the Action's plan file), checked against the plan schema
 * before anything reads it: a crafted file cannot reach the comparison or a renderer with a shape they do
 * not expect. Objects come back without a prototype (keyed.ts), since tag keys are the user's. Nothing of the file is
 * quoted back but JSON pointers and short escaped snippets.
 */
export function parsePlanFile(text: string, file: string): Plan {
  let data: unknown;
  try {
    data = parseJson(text);
  } catch (error) {
    // V8's message quotes the text around the error, which may be anything: only its position is kept.
    throw new PlanFileError(file, [`not valid JSON${jsonPlace(text, error)}`]);
  }
  // A plan of another format is ours, but its digest covers something else than a live plan's would: it
  // could only ever read as changed.
  const format = (data as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof format === 'number' && format !== PLAN_FORMAT_VERSION) {
    throw new PlanFileError(
      file,
      [`this version writes and applies format ${PLAN_FORMAT_VERSION}; run plan again and review it`],
      `has plan format ${format}`,
    );
  }
  if (!validate(data)) throw new PlanFileError(file, problems(validate.errors ?? []));
  return data as unknown as Plan;
}

function jsonPlace(text: string, error: unknown): string {
  const position = /at position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${Number(position) - before.lastIndexOf('\n')})`;
}

/** One line per place, in the order found: `/regions/0: missing 'target', 'items'; /regions/1/items: expected a list`. */
function problems(errors: readonly ErrorObject[]): string[] {
  const byPlace = new Map<string, { missing: string[]; other: string[] }>();
  for (const error of errors) {
    const place = byPlace.get(error.instancePath) ?? { missing: [], other: [] };
    byPlace.set(error.instancePath, place);
    if (error.keyword === 'required') place.missing.push(`'${String(error.params.missingProperty)}'`);
    else place.other.push(expectation(error));
  }
  const lines = [...byPlace].slice(0, SHOWN).map(([pointer, { missing, other }]) => {
    const at = pointer === '' ? 'the top level' : clip(pointer, 120);
    const what = [...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []), ...new Set(other)];
    return `${at}: ${what.join(', ')}`;
  });
  if (byPlace.size > SHOWN) lines.push(`and problems at ${byPlace.size - SHOWN} more places`);
  return lines;
}

function expectation(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unexpected key '${clip(String(params.additionalProperty), 60)}'`;
    case 'type':
      return `expected ${TYPES[String(params.type)] ?? String(params.type)}`;
    case 'enum':
      return `expected one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `expected ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return `expected text matching ${String(params.pattern)}`;
    case 'minimum':
      return `expected a number ${String(params.comparison)} ${String(params.limit)}`;
    default:
      // The schema's own rules (e.g. no from/to on a SecureString value change) in ajv's words.
      return error.message ?? 'does not match the schema';
  }
}

const TYPES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

/** Whether `value` has the form of a plan digest, by the plan schema (a digest read back from a PR comment). */
export function isPlanDigest(value: unknown): value is string {
  return validDigest(value);
}
