// Regenerates github-rest-trimmed.json from GitHub's published OpenAPI description:
//   npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz
//   npx tsx test/action/openapi/trim.ts package/generated/api.github.com.json
// Keeps only the operations the Action calls, with their parameters and request bodies dereferenced and
// the response codes GitHub documents; examples and response bodies are dropped (the full file is ~13 MB).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPERATIONS: Record<string, readonly string[]> = {
  '/repos/{owner}/{repo}/issues/{issue_number}/comments': ['get', 'post'],
  '/repos/{owner}/{repo}/issues/comments/{comment_id}': ['patch'],
  '/repos/{owner}/{repo}/commits/{commit_sha}/pulls': ['get'],
  '/repos/{owner}/{repo}/issues': ['get', 'post'],
  '/repos/{owner}/{repo}/issues/{issue_number}': ['patch'],
};

type Json = Record<string, unknown>;

function deref(value: unknown, root: Json, depth = 0): unknown {
  if (depth > 40) throw new Error('reference cycle');
  if (Array.isArray(value)) return value.map((v) => deref(v, root, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const ref = (value as Json).$ref;
  if (typeof ref === 'string') {
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Json)[key], root);
    return deref(target, root, depth + 1);
  }
  return Object.fromEntries(
    Object.entries(value as Json)
      .filter(([k]) => k !== 'examples' && k !== 'example')
      .map(([k, v]) => [k, deref(v, root, depth + 1)]),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  if (!source) throw new Error('usage: trim.ts path/to/api.github.com.json');
  const root = JSON.parse(readFileSync(source, 'utf8')) as Json;
  const info = root.info as Json;
  const paths: Json = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    const item = (root.paths as Json)[path] as Json;
    paths[path] = Object.fromEntries(
      methods.map((method) => {
        const op = item[method] as Json;
        const responses = Object.fromEntries(
          Object.entries(op.responses as Json).map(([code, r]) => [
            code,
            { description: (deref(r, root) as Json).description },
          ]),
        );
        return [
          method,
          {
            operationId: op.operationId,
            parameters: deref(op.parameters ?? [], root),
            ...(op.requestBody ? { requestBody: deref(op.requestBody, root) } : {}),
            responses,
          },
        ];
      }),
    );
  }
  const trimmed = {
    openapi: root.openapi,
    info: {
      title: info.title,
      version: info.version,
      description:
        'Trimmed by test/action/openapi/trim.ts from api.github.com.json of the npm package @octokit/openapi ' +
        "(GitHub's published description, github/rest-api-description): only the operations the Action calls.",
    },
    paths,
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), 'github-rest-trimmed.json');
  writeFileSync(out, `${JSON.stringify(trimmed, null, 2)}\n`);
  console.log(`wrote ${out}`);
}
