import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bundleVersion,
  latestChangelogVersion,
  majorTag,
  releaseNotes,
  versionOfTag,
  versionProblems,
} from '../../scripts/release/versions.js';

const semver = fc
  .tuple(fc.nat({ max: 30 }), fc.nat({ max: 30 }), fc.nat({ max: 30 }))
  .map(([a, b, c]) => `${a}.${b}.${c}`);

/** A CHANGELOG.md as `changeset version` writes it, newest entry first. */
function changelog(versions: string[]): string {
  return `# ssm-replicate\n\n${versions.map((v) => `## ${v}\n\n### Patch Changes\n\n- abc1234: Fixes in ${v}.\n`).join('\n')}`;
}
const bundle = (v: string, shebang = false) =>
  `${shebang ? '#!/usr/bin/env node\n' : ''}// ssm-replicate ${v}\nconst x = 1;\n`;
const agreeing = (v: string) => ({
  tag: `v${v}`,
  packageVersion: v,
  changelog: changelog([v, '0.0.1']),
  bundles: new Map([
    ['dist/index.js', bundle(v)],
    ['dist/cli/index.js', bundle(v, true)],
  ]),
});

describe('versionProblems', () => {
  it('finds nothing when the tag, package.json, the newest CHANGELOG entry and every bundle agree', () => {
    fc.assert(
      fc.property(semver, (v) => {
        expect(versionProblems(agreeing(v))).toEqual([]);
      }),
    );
  });

  it('names each source that disagrees with package.json', () => {
    fc.assert(
      fc.property(semver, semver, fc.constantFrom('tag', 'changelog', 'bundle'), (v, other, which) => {
        fc.pre(v !== other);
        const inputs = agreeing(v);
        if (which === 'tag') inputs.tag = `v${other}`;
        if (which === 'changelog') inputs.changelog = changelog([other, v]);
        if (which === 'bundle') inputs.bundles.set('dist/cli/index.js', bundle(other, true));
        const problems = versionProblems(inputs);
        expect(problems).toHaveLength(1);
        expect(problems[0]).toContain(other);
      }),
    );
  });

  it('refuses tags that are not v and a semantic version, and bundles without a version line', () => {
    expect(versionProblems({ ...agreeing('1.0.0'), tag: '1.0.0' })[0]).toContain("tag '1.0.0' is not v");
    expect(versionProblems({ ...agreeing('1.0.0'), tag: 'v1' })[0]).toContain("tag 'v1' is not v");
    const unversioned = { ...agreeing('1.0.0'), bundles: new Map([['dist/index.js', 'const x = 1;\n']]) };
    expect(versionProblems(unversioned)).toEqual([
      'dist/index.js was built as an unknown version, not 1.0.0: run `npm run build`',
    ]);
  });
});

describe('the changelog', () => {
  it('gives the newest entry and, for any version, exactly its own notes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(semver, { minLength: 1, maxLength: 5 }), (versions) => {
        const text = changelog(versions);
        expect(latestChangelogVersion(text)).toBe(versions[0]);
        for (const v of versions)
          expect(releaseNotes(text, v)).toBe(`### Patch Changes\n\n- abc1234: Fixes in ${v}.\n`);
      }),
    );
  });

  it('has no notes for a version it does not describe', () => {
    expect(releaseNotes(changelog(['1.0.0']), '1.0.1')).toBeUndefined();
  });
});

describe('tags', () => {
  it('reads the version of a v-tag and the major tag a release moves', () => {
    expect(versionOfTag('v1.2.3')).toBe('1.2.3');
    expect(versionOfTag('release-1.2.3')).toBeUndefined();
    expect(majorTag('1.2.3')).toBe('v1');
    expect(majorTag('12.0.0')).toBe('v12');
  });

  it('moves no major tag for pre-releases and 0.x versions', () => {
    expect(majorTag('2.0.0-rc.1')).toBeUndefined();
    expect(majorTag('0.3.0')).toBeUndefined();
  });

  it('reads the version line after a shebang or at the top, nowhere else', () => {
    expect(bundleVersion(bundle('1.2.3', true))).toBe('1.2.3');
    expect(bundleVersion(bundle('1.2.3'))).toBe('1.2.3');
    expect(bundleVersion('const a = 1;\n// ssm-replicate 1.2.3\n')).toBeUndefined();
  });
});
