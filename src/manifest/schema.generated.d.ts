import type { ErrorObject } from 'ajv';

/** schemas/manifest.schema.json, precompiled by `npm run schemas` (scripts/compile-schemas.ts). */
interface StandaloneValidate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export declare const validate: StandaloneValidate;
export default validate;
