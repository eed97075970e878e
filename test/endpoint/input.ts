import { constraintViolation, validation } from './errors.js';

/** A decoded JSON 1.1 request body; readers below narrow fields without trusting the caller. */
export type Input = Record<string, unknown>;

export function optString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`Expected a string for ${key}.`);
  return value;
}

/** `member` is the camelCase name AWS uses in validation messages (e.g. 'name'). */
export function reqString(input: Input, key: string, member: string): string {
  const value = optString(input, key);
  if (value === undefined) throw constraintViolation(null, member, 'Member must not be null');
  return value;
}

export function optNumber(input: Input, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw validation(`Expected a number for ${key}.`);
  return value;
}

export function optBool(input: Input, key: string): boolean | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validation(`Expected a boolean for ${key}.`);
  return value;
}

export function optArray(input: Input, key: string): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw validation(`Expected a list for ${key}.`);
  return value;
}

export function optStringArray(input: Input, key: string): string[] | undefined {
  const list = optArray(input, key);
  if (list === undefined) return undefined;
  if (!list.every((item) => typeof item === 'string'))
    throw validation(`Expected a list of strings for ${key}.`);
  return list as string[];
}

export function asInput(value: unknown, what: string): Input {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw validation(`Expected an object for ${what}.`);
  }
  return value as Input;
}

export function optRecordOfStrings(input: Input, key: string): Record<string, string> | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  const record = asInput(value, key);
  for (const item of Object.values(record)) {
    if (typeof item !== 'string') throw validation(`Expected string values in ${key}.`);
  }
  return record as Record<string, string>;
}
