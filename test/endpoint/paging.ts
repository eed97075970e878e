import type { CallContext } from './context.js';
import { AwsError, constraintViolation } from './errors.js';
import { type Input, optNumber } from './input.js';

interface TokenBody {
  /** account/region/operation the token was issued for; a token is useless elsewhere, as on AWS. */
  s: string;
  c: string | null;
  p: number;
}

export interface PageStart {
  cursor: string | undefined;
  page: number;
}

function tokenScope(ctx: CallContext): string {
  return `${ctx.account}/${ctx.region}/${ctx.operation}`;
}

/** Tokens are opaque to callers (base64 JSON); they carry a cursor, never a count of items. */
export function encodeToken(ctx: CallContext, cursor: string | undefined, page: number): string {
  const body: TokenBody = { s: tokenScope(ctx), c: cursor ?? null, p: page };
  return Buffer.from(JSON.stringify(body)).toString('base64');
}

export function decodeToken(
  ctx: CallContext,
  token: string | undefined,
  errorCode = 'InvalidNextToken',
  message = 'The token is not valid.',
): PageStart {
  if (token === undefined || token === '') return { cursor: undefined, page: 1 };
  try {
    const body = JSON.parse(Buffer.from(token, 'base64').toString()) as Partial<TokenBody>;
    if (body.s === tokenScope(ctx) && typeof body.p === 'number') {
      return { cursor: typeof body.c === 'string' ? body.c : undefined, page: body.p };
    }
  } catch {
    // fall through: any undecodable token is invalid
  }
  throw new AwsError(errorCode, message);
}

/** A MaxResults-style limit checked the way AWS's request validation does. */
export function readLimit(input: Input, key: string, member: string, max: number, fallback: number): number {
  const value = optNumber(input, key);
  if (value === undefined) return fallback;
  if (value < 1)
    throw constraintViolation(value, member, 'Member must have value greater than or equal to 1');
  if (value > max)
    throw constraintViolation(value, member, `Member must have value less than or equal to ${max}`);
  return value;
}

/** With short pages on, every third page is empty and the others half full; all still carry a token. */
export function pageSize(ctx: CallContext, limit: number, page: number): number {
  if (!ctx.shortPages) return limit;
  return page % 3 === 0 ? 0 : Math.max(1, Math.ceil(limit / 2));
}

export interface Page<T> {
  items: T[];
  /** Cursor for the next page, or undefined when the listing is complete. */
  next: string | undefined;
}

/**
 * Takes up to `size` items from a lazily evaluated, cursor-ordered source, then peeks for one more so
 * the last page carries no token. Cost is proportional to the items walked, never the whole region.
 */
export function takePage<T>(
  source: Iterable<T>,
  size: number,
  cursorOf: (item: T) => string,
  after: string | undefined,
): Page<T> {
  const iterator = source[Symbol.iterator]();
  if (size === 0) return { items: [], next: after ?? '' };
  const items: T[] = [];
  while (items.length < size) {
    const step = iterator.next();
    if (step.done) return { items, next: undefined };
    items.push(step.value);
  }
  const more = !iterator.next().done;
  const last = items[items.length - 1];
  return { items, next: more && last !== undefined ? cursorOf(last) : undefined };
}

/** Runs the page fault hook and builds the NextToken for a finished page. */
export function nextToken(ctx: CallContext, page: Page<unknown>, pageNumber: number): string | undefined {
  return page.next === undefined
    ? undefined
    : encodeToken(ctx, page.next === '' ? undefined : page.next, pageNumber + 1);
}
