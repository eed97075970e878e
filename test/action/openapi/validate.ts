import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

/**
 * Checks one request against GitHub's published OpenAPI description (the trimmed copy beside this file):
 * a documented path and method, path and query parameters of the documented names and types, a JSON body
 * that matches the request schema and names no property GitHub does not document (GitHub ignores unknown
 * fields silently, so a typo would otherwise pass), and a documented response status.
 */

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Json;
}

interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, unknown>;
}

const SPEC = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'github-rest-trimmed.json'), 'utf8'),
) as { paths: Record<string, Record<string, Operation>> };

/** OpenAPI 3.0's `nullable` as JSON Schema: the schema, or null. */
function jsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Json;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, jsonSchema(v)]));
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: false });

function check(schema: Json, value: unknown, what: string, problems: string[]): void {
  const validate = ajv.compile(jsonSchema(schema) as Json);
  if (!validate(value)) {
    for (const e of validate.errors ?? []) problems.push(`${what}${e.instancePath} ${e.message}`);
  }
}

/** Query and path values arrive as text: read them as the schema's type before validating. */
function typed(schema: Json, raw: string): unknown {
  if (schema.type === 'integer' || schema.type === 'number')
    return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function match(path: string): { template: string; params: Record<string, string> } | undefined {
  for (const template of Object.keys(SPEC.paths)) {
    const names: string[] = [];
    const pattern = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const found = new RegExp(`^${pattern}$`).exec(path);
    if (found) {
      return {
        template,
        params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1] ?? '')])),
      };
    }
  }
  return undefined;
}

export interface RequestToCheck {
  method: string;
  /** Path and query, as sent. */
  path: string;
  body?: unknown;
  status: number;
}

/** Every way the request departs from GitHub's description; empty when it conforms. */
export function contractProblems(request: RequestToCheck): string[] {
  const url = new URL(request.path, 'https://api.github.com');
  const found = match(url.pathname);
  if (!found) return [`${url.pathname} is not a documented path (or not one the trimmed description keeps)`];
  const op = SPEC.paths[found.template]?.[request.method.toLowerCase()];
  if (!op) return [`${request.method.toUpperCase()} ${found.template} is not a documented operation`];
  const problems: string[] = [];
  const byName = new Map(op.parameters.map((p) => [`${p.in}:${p.name}`, p]));

  for (const p of op.parameters) {
    if (p.in === 'path')
      check(p.schema, typed(p.schema, found.params[p.name] ?? ''), `path ${p.name}`, problems);
    if (p.in === 'query' && p.required && !url.searchParams.has(p.name))
      problems.push(`query ${p.name} is required`);
  }
  for (const [name, value] of url.searchParams) {
    const p = byName.get(`query:${name}`);
    if (!p) problems.push(`query ${name} is not a parameter of ${op.operationId}`);
    else check(p.schema, typed(p.schema, value), `query ${name}`, problems);
  }

  const schema = op.requestBody?.content['application/json']?.schema;
  if (request.body === undefined) {
    if (op.requestBody?.required) problems.push(`${op.operationId} requires a body`);
  } else if (!schema) {
    problems.push(`${op.operationId} takes no JSON body`);
  } else {
    check(schema, request.body, 'body', problems);
    const known = Object.keys((schema.properties as Json | undefined) ?? {});
    for (const key of Object.keys(request.body as Json)) {
      if (!known.includes(key)) problems.push(`body property ${key} is not documented for ${op.operationId}`);
    }
  }
  if (!(String(request.status) in op.responses)) {
    problems.push(`status ${request.status} is not a documented response of ${op.operationId}`);
  }
  return problems;
}
