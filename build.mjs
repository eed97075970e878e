// One esbuild config, an entry per shell. The output is committed (dist/ is the Action's bundle) and CI
// rebuilds it and fails on any difference, so the build must be byte-for-byte reproducible: no
// timestamps, no absolute paths (absWorkingDir makes the path comments relative), licences collected
// at the end of each file in a stable order.
import { chmodSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));

/** @type {import('esbuild').BuildOptions} */
export const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  charset: 'utf8',
  legalComments: 'eof',
  sourcemap: false,
  logLevel: 'warning',
  define: { SSM_REPLICATE_VERSION: JSON.stringify(version) },
  // Bundled CommonJS dependencies may call require() for Node built-ins; ESM output has no require.
  banner: {
    js: "import { createRequire as __ssmCreateRequire } from 'node:module';\nconst require = __ssmCreateRequire(import.meta.url);",
  },
};

export const entries = [
  { entryPoints: ['src/action/index.ts'], outfile: 'dist/index.js' },
  { entryPoints: ['src/cli/index.ts'], outfile: 'dist/cli/index.js', shebang: true },
  // Lambda's Node runtime loads `index.handler` from index.mjs as ESM, whatever package.json says. Minified:
  // the runtime reads and parses the whole file on every cold start, and nobody reviews it as a diff.
  // keepNames keeps the `name` of classes and functions, which error handling and logs read.
  // The S3 client (a manifest from S3, loaded only then) is left to the SDK the Node.js runtime ships
  // (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html): bundled, it would add 200 KB that
  // every cold start parses.
  {
    entryPoints: ['src/lambda/handler.ts'],
    outfile: 'dist/lambda/index.mjs',
    minify: true,
    keepNames: true,
    external: ['@aws-sdk/client-s3'],
  },
];

/** The esbuild options of one entry; tests build the Lambda entry from this into a temporary directory. */
export function buildOptions({ shebang, ...entry }) {
  return {
    ...common,
    ...entry,
    // The version line lets the release check read which version a committed bundle was built as.
    banner: {
      js: `${shebang ? '#!/usr/bin/env node\n' : ''}// ssm-replicate ${version}\n${common.banner.js}`,
    },
  };
}

// Built only when run (`npm run build`), not when a test imports the options above.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.all(entries.map((entry) => build(buildOptions(entry))));
  // Executable like any bin; set here so the file mode git records does not depend on who built it.
  chmodSync(`${root}/dist/cli/index.js`, 0o755);
}
