import { readFileSync } from 'node:fs';

/** Inlined by build.mjs (esbuild `define`), so bundles need no package.json beside them. */
declare const SSM_REPLICATE_VERSION: string | undefined;

/** The package version; read from package.json when running from source (tsx, vitest). */
export const VERSION: string =
  typeof SSM_REPLICATE_VERSION === 'string'
    ? SSM_REPLICATE_VERSION
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
        .version;
