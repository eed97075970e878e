import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excludeReach } from '../../src/manifest/exclude-reach.js';

/** The definition, path by path. */
function mayMatchUnder(glob: string, path: string): boolean {
  const literal = glob.split('*')[0] ?? '';
  const dir = path === '/' ? '/' : `${path}/`;
  return literal.startsWith(dir) || dir.startsWith(literal) || literal === path;
}

// Short texts over '/', '*' and two letters, so globs and paths often share starts, and the root, empty
// paths and trailing slashes (which field checks refuse, but this check still sees) turn up.
const text = fc.array(fc.constantFrom('/', '*', 'a', 'b'), { maxLength: 6 }).map((chars) => chars.join(''));

describe('excludeReach', () => {
  it('agrees with trying the glob against every path', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 8 }), fc.array(text, { maxLength: 8 }), (paths, globs) => {
        const reaches = excludeReach(paths);
        for (const glob of globs) expect(reaches(glob)).toBe(paths.some((p) => mayMatchUnder(glob, p)));
      }),
      { numRuns: 1000 },
    );
  });

  it('sees a glob below a path, above it, or on it, and not one beside it', () => {
    const reaches = excludeReach(['/prod/app']);
    expect(reaches('/prod/app/tmp/**')).toBe(true);
    expect(reaches('/prod/*')).toBe(true);
    expect(reaches('/prod/app')).toBe(true);
    expect(reaches('/prod/app-old/*')).toBe(false);
    expect(reaches('/dev/**')).toBe(false);
  });
});
