import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  version: string;
  engines: { node: string };
  bin: Record<string, string>;
  files: string[];
  dependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageJson;
const { common } = (await import('../../build.mjs' as string)) as { common: { target: string } };

describe('package.json', () => {
  it('depends on nothing at run time: the CLI bundle carries its libraries', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('ships the CLI bundle, the schemas, LICENSE, README and CHANGELOG, and the bin is that bundle', () => {
    expect(pkg.files).toEqual(['dist/cli/index.js', 'schemas', 'LICENSE', 'README.md', 'CHANGELOG.md']);
    expect(pkg.bin).toEqual({ 'ssm-replicate': 'dist/cli/index.js' });
  });

  it('supports Node 22 and later everywhere: engines, types and the bundles’ target', () => {
    expect(pkg.engines.node).toBe('>=22');
    expect(pkg.devDependencies['@types/node']).toMatch(/^\^22\./);
    expect(common.target).toBe('node22');
  });

  it('runs its own scripts on the registry’s Node 22, pinned exactly, whose install step is approved', () => {
    expect(pkg.devDependencies.node).toMatch(/^22\.\d+\.\d+$/);
    expect(pkg.allowScripts?.node).toBe(true);
  });

  it('is being tested on a supported Node (npm test and npx put the pinned one first on PATH)', () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(22);
  });
});
