import type { ErrorObject } from 'ajv';
import type { ManifestIssue } from './errors.js';
import { escapePointer, type Locator } from './locator.js';
import { q } from './quote.js';
// Precompiled from schemas/manifest.schema.json by `npm run schemas`: compiling at start-up was most of the
// Lambda's cold start.
import validate from './schema.generated.js';
import { didYouMean } from './suggest.js';

/**
 * `pattern` and `propertyNames` failures are left to the field checks (checks.ts), which can say which rule a
 * value breaks ("contains ' '", "starts with 'aws'") where a regular expression can only say it did not match.
 * The patterns stay in the schema for editors that validate as you type.
 */
const SUPERSEDED = new Set(['pattern', 'propertyNames']);
/** Failures that mean "the value is not of this branch's kind at all". */
const SHAPE = new Set(['type', 'const', 'enum']);

/** Every schema violation as a sentence at the place the user has to edit. */
export function schemaIssues(data: unknown, locator: Locator): ManifestIssue[] {
  if (validate(data)) return [];
  const errors = pickBranches(validate.errors ?? []);
  const issues: ManifestIssue[] = [];
  for (const error of errors) {
    if (SUPERSEDED.has(error.keyword) || error.schemaPath.includes('/propertyNames/')) continue;
    const issue = toIssue(error, locator);
    if (issue) issues.push(issue);
  }
  return issues;
}

/**
 * An `anyOf` reports every branch's failures, most of them about branches the user never meant. Keep the
 * failures of the branch whose shape the value has (no error on the value itself), or else one sentence
 * listing the alternatives by their schema `title`.
 */
function pickBranches(errors: ErrorObject[]): ErrorObject[] {
  let result = errors;
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const prefix = `${anyOf.schemaPath}/`;
    const here = anyOf.instancePath;
    const inBranch = (e: ErrorObject) =>
      e.schemaPath.startsWith(prefix) && (e.instancePath === here || e.instancePath.startsWith(`${here}/`));
    const branchOf = (e: ErrorObject) => Number(e.schemaPath.slice(prefix.length).split('/')[0]);
    const branches = (anyOf.schema as { title?: string }[]).map((_, index) => index);
    const misfit = (e: ErrorObject, index: number) =>
      inBranch(e) && branchOf(e) === index && e.instancePath === here && SHAPE.has(e.keyword);
    const fitting = branches.find((index) => !errors.some((e) => misfit(e, index)));
    result = result.filter((e) =>
      inBranch(e) ? branchOf(e) === fitting : fitting === undefined || e !== anyOf,
    );
  }
  return result;
}

function toIssue(error: ErrorObject, locator: Locator): ManifestIssue | undefined {
  const path = error.instancePath;
  const label = locator.label(path);
  const params = error.params as Record<string, unknown>;
  const got = describe(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      const where = path === '' ? '' : ` in ${label}`;
      const hint = didYouMean(key, known) || `; expected one of: ${known.join(', ')}`;
      return at(locator, `${path}/${escapePointer(key)}`, 'key', `unknown key ${q(key)}${where}${hint}`);
    }
    case 'required': {
      const where = path === '' ? '' : ` in ${label}`;
      return at(locator, path, 'value', `missing required key ${q(String(params.missingProperty))}${where}`);
    }
    case 'type': {
      const quote =
        params.type === 'string' && typeof error.data !== 'object'
          ? ` (quote it: ${q(String(error.data))})`
          : '';
      return at(
        locator,
        path,
        'value',
        `${label} must be ${TYPE_NAMES[String(params.type)]}, got ${got}${quote}`,
      );
    }
    case 'const':
      return at(locator, path, 'value', `${label} must be ${describe(params.allowedValue)}, got ${got}`);
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed.map(String)) : '';
      return at(locator, path, 'value', `${label} must be one of ${allowed.join(', ')}; got ${got}${hint}`);
    }
    case 'anyOf': {
      const titles = (error.schema as { title?: string }[]).map((b) => b.title ?? 'another form');
      const consts = (error.schema as { const?: unknown }[]).flatMap((b) =>
        typeof b.const === 'string' ? [b.const] : [],
      );
      const hint = typeof error.data === 'string' ? didYouMean(error.data, consts) : '';
      return at(locator, path, 'value', `${label} must be ${titles.join(' or ')}; got ${got}${hint}`);
    }
    case 'minItems':
      return at(locator, path, 'value', `${label} must list at least ${String(params.limit)} item(s)`);
    case 'uniqueItems': {
      // Point at the later of the two, the one to delete.
      const later = Math.max(Number(params.i), Number(params.j));
      const item = (error.data as unknown[])[later];
      return at(locator, `${path}/${later}`, 'value', `${label} lists ${describe(item)} twice`);
    }
    case 'minLength':
      return at(locator, path, 'value', `${label} must not be empty`);
    case 'maxLength':
      return at(
        locator,
        path,
        'value',
        `${label} is too long; at most ${String(params.limit)} characters are allowed`,
      );
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(
        locator,
        path,
        'value',
        `${label} must be ${String(params.comparison)} ${String(params.limit)}, got ${got}`,
      );
    default:
      return at(locator, path, 'value', `${label} ${error.message ?? 'is invalid'}`);
  }
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

/** How a value reads in a message. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `${q(value)}`;
  return String(value);
}

function at(locator: Locator, pointer: string, part: 'key' | 'value', message: string): ManifestIssue {
  return { ...locator.position(pointer, part), message };
}
