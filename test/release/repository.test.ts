import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The one name every example, link and schema `$id` uses; the Action is `uses: ssm-replicate/ssm-replicate@v1`. */
const REPO = 'ssm-replicate/ssm-replicate';
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  repository: { url: string };
  homepage: string;
  bugs: { url: string };
};
const schemaFiles = readdirSync(new URL('../../schemas/', import.meta.url)).filter((f) =>
  f.endsWith('.json'),
);
/** What users read and copy: README, the example manifest and workflows, the Lambda template, action.yml. */
const examples = [
  'README.md',
  'action.yml',
  'config/replication.yaml',
  'config/lambda/template.yaml',
  ...readdirSync(new URL('../../config/workflows/', import.meta.url)).map((f) => `config/workflows/${f}`),
];
/** Where the schemas resolve once released: the raw file at the moving major tag, so editors follow 1.x. */
const schemaUrl = (file: string) => `https://raw.githubusercontent.com/${REPO}/v1/schemas/${file}`;

describe('the canonical repository name', () => {
  it('is in package.json: repository, homepage and bugs', () => {
    expect(pkg.repository.url).toBe(`git+https://github.com/${REPO}.git`);
    expect(pkg.homepage).toBe(`https://github.com/${REPO}#readme`);
    expect(pkg.bugs.url).toBe(`https://github.com/${REPO}/issues`);
  });

  it('is the only owner any example uses the Action from, always at @v1', () => {
    for (const file of examples) {
      const text = read(file);
      expect(text, file).not.toMatch(/<owner>/);
      for (const [, uses] of text.matchAll(/uses:\s*(\S*ssm-replicate@\S*)/g))
        expect(uses, file).toBe(`${REPO}@v1`);
    }
  });

  it('gives every schema an $id that resolves once a release has moved the v1 tag', () => {
    expect(schemaFiles).toContain('manifest.schema.json');
    for (const file of schemaFiles)
      expect((JSON.parse(read(`schemas/${file}`)) as { $id: string }).$id).toBe(schemaUrl(file));
  });

  it('is the schema the example manifest and the README point editors at', () => {
    const comment = `# yaml-language-server: $schema=${schemaUrl('manifest.schema.json')}`;
    expect(read('config/replication.yaml').split('\n')[0]).toBe(comment);
    expect(read('README.md')).toContain(comment);
  });
});
