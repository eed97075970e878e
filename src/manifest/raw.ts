import type { ParameterType } from '../model.js';
import type { DeletePolicy, ValueDisplay } from './types.js';

/** The manifest as written (kebab-case keys), once it has passed the schema. Only resolve.ts reads it. */
export interface RawManifest {
  version: 1;
  id?: string;
  'previous-owners'?: string[];
  source: { region: string; 'role-arn'?: string };
  'ownership-tag'?: { key: string; value: string };
  'value-display'?: ValueDisplay;
  throughput?: { put?: number; get?: number; describe?: number };
  defaults?: RawOptions;
  replications: RawReplication[];
}

export interface RawOptions {
  'role-arn'?: string;
  'kms-key-id'?: string;
  deletes?: DeletePolicy;
  'max-deletes'?: number;
  'max-delete-percent'?: number;
  tags?: Record<string, string>;
  type?: ParameterType;
  'ec2-image'?: 'skip' | { amis: Record<string, string> };
  adopt?: boolean;
  'allow-empty-source'?: boolean;
}

export interface RawDestination extends RawOptions {
  region: string;
  'path-rewrite'?: { from: string; to: string };
}

export interface RawReplication {
  name: string;
  paths: string[];
  exclude?: string[];
  'allow-whole-region'?: boolean;
  destinations: RawDestination[];
}
