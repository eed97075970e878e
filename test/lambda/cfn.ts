import { parse, type Tags } from 'yaml';

/** CloudFormation's short-form intrinsic functions, as `yaml` custom tags producing the long form. */
const FUNCTIONS = [
  'Ref',
  'Sub',
  'GetAtt',
  'If',
  'Equals',
  'Join',
  'Split',
  'Select',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Condition',
  'GetAZs',
  'Base64',
  'Cidr',
];

function cfnTags(): Tags {
  const tags: Tags = [];
  for (const name of FUNCTIONS) {
    const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    tags.push({
      tag: `!${name}`,
      resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }),
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag: `!${name}`,
        collection,
        resolve: (node: { toJSON(): unknown }) => ({ [key]: node.toJSON() }),
      } as Tags[number]);
    }
  }
  return tags;
}

export function parseTemplate(text: string): Record<string, unknown> {
  return parse(text, { customTags: cfnTags(), uniqueKeys: true }) as Record<string, unknown>;
}

type Json = unknown;
const NO_VALUE = Symbol('AWS::NoValue');

export interface Deployment {
  parameters: Record<string, string | string[]>;
  pseudo?: Record<string, string>;
}

/**
 * A small evaluator for what this template uses: parameters, pseudo parameters, conditions, Fn::ForEach
 * over a list parameter (the AWS::LanguageExtensions transform), Sub/Join/Split/If/Equals/Not/And/Or. Enough
 * to see the concrete IAM policies a deployment would get; GetAtt becomes `Resource.Attribute`.
 */
export function evaluate(template: Record<string, unknown>, deployment: Deployment): Record<string, Json> {
  const pseudo = {
    'AWS::Partition': 'aws',
    'AWS::AccountId': '123456789012',
    'AWS::Region': 'ap-south-1',
    'AWS::URLSuffix': 'amazonaws.com',
    ...deployment.pseudo,
  };
  const params: Record<string, string | string[]> = {};
  const declared = (template.Parameters ?? {}) as Record<string, { Default?: unknown; Type: string }>;
  for (const [name, spec] of Object.entries(declared)) {
    const given =
      deployment.parameters[name] ?? (spec.Default === undefined ? undefined : String(spec.Default));
    if (given === undefined) throw new Error(`parameter ${name} has no value`);
    params[name] = spec.Type === 'CommaDelimitedList' && typeof given === 'string' ? given.split(',') : given;
  }
  const conditions: Record<string, boolean> = {};
  const resolve = (node: Json, scope: Record<string, string>): Json => {
    if (Array.isArray(node)) return node.map((n) => resolve(n, scope)).filter((n) => n !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, Json>);
    const [key, arg] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined) {
      if (key === 'Ref') {
        const name = arg as string;
        if (name === 'AWS::NoValue') return NO_VALUE;
        const value = scope[name] ?? params[name] ?? pseudo[name as keyof typeof pseudo];
        if (value === undefined) return `{Ref ${name}}`;
        return value;
      }
      if (key === 'Condition') return conditions[arg as string];
      if (key === 'Fn::GetAtt') return (arg as string[]).join('.');
      if (key === 'Fn::If') {
        const [cond, yes, no] = arg as [string, Json, Json];
        return resolve(conditions[cond] ? yes : no, scope);
      }
      const args = resolve(arg, scope) as Json[];
      switch (key) {
        case 'Fn::Equals':
          return JSON.stringify(args[0]) === JSON.stringify(args[1]);
        case 'Fn::Not':
          return !args[0];
        case 'Fn::And':
          return args.every(Boolean);
        case 'Fn::Or':
          return args.some(Boolean);
        case 'Fn::Join':
          return (args[1] as string[]).join(args[0] as string);
        case 'Fn::Split':
          return (args[1] as string).split(args[0] as string);
        case 'Fn::Sub': {
          const [text, vars]: [string, Record<string, string>] =
            typeof args === 'string' ? [args, {}] : (args as [string, Record<string, string>]);
          return text.replace(/\$\{([\w:]+)\}/g, (_, name: string) => {
            const value = vars[name] ?? scope[name] ?? params[name] ?? pseudo[name as keyof typeof pseudo];
            if (typeof value !== 'string') throw new Error(`Sub: no string for ${name}`);
            return value;
          });
        }
      }
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of entries) {
      const r = resolve(v, scope);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  };
  for (const [name, expr] of Object.entries((template.Conditions ?? {}) as Record<string, Json>)) {
    conditions[name] = resolve(expr, {}) as boolean;
  }
  const resources: Record<string, Json> = {};
  for (const [id, body] of Object.entries(template.Resources as Record<string, Json>)) {
    if (id.startsWith('Fn::ForEach::')) {
      const [identifier, collection, fragment] = body as [string, Json, Record<string, Json>];
      for (const item of resolve(collection, {}) as string[]) {
        for (const [key, value] of Object.entries(fragment)) {
          const logicalId = key.replace(`&{${identifier}}`, item.replace(/[^A-Za-z0-9]/g, ''));
          resources[logicalId] = resolve(value, { [identifier]: item });
        }
      }
      continue;
    }
    const condition = (body as { Condition?: string }).Condition;
    if (condition !== undefined && !conditions[condition]) continue;
    resources[id] = resolve(body, {});
  }
  return resources;
}
