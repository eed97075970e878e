/**
 * What must agree before anything is released: the tag, package.json, the newest CHANGELOG.md entry and the
 * version line build.mjs writes at the top of every bundle. Pure functions of file texts, so tests can feed
 * them any disagreement.
 */

/** Semantic version without a build suffix (`1.2.3`, `1.2.3-rc.1`), as changesets writes it. */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$/;

export function isSemver(version: string): boolean {
  return SEMVER.test(version);
}

/** `v1.2.3` → `1.2.3`; undefined for any other tag. */
export function versionOfTag(tag: string): string | undefined {
  return tag.startsWith('v') && isSemver(tag.slice(1)) ? tag.slice(1) : undefined;
}

/** The major tag a release moves: `v1` for every 1.x.y; none for a pre-release or a 0.x version. */
export function majorTag(version: string): string | undefined {
  const match = SEMVER.exec(version);
  if (!match || version.includes('-') || match[1] === '0') return undefined;
  return `v${match[1]}`;
}

/** Each `## x.y.z` heading of a changesets CHANGELOG.md, newest first. */
function sections(changelog: string): { version: string; body: string }[] {
  const lines = changelog.split('\n');
  const found: { version: string; body: string }[] = [];
  let current: { version: string; lines: string[] } | undefined;
  const close = () => {
    if (current) found.push({ version: current.version, body: current.lines.join('\n').trim() });
  };
  for (const line of lines) {
    const heading = /^## (\S+)\s*$/.exec(line);
    if (heading) {
      close();
      current = { version: heading[1] as string, lines: [] };
    } else current?.lines.push(line);
  }
  close();
  return found;
}

/** The newest version CHANGELOG.md describes. */
export function latestChangelogVersion(changelog: string): string | undefined {
  return sections(changelog)[0]?.version;
}

/** The release notes: the CHANGELOG.md entry of `version`, without its heading. */
export function releaseNotes(changelog: string, version: string): string | undefined {
  const body = sections(changelog).find((s) => s.version === version)?.body;
  return body === undefined || body === '' ? undefined : `${body}\n`;
}

/** The version a bundle was built as, from the `// ssm-replicate x.y.z` line build.mjs puts at its top. */
export function bundleVersion(bundle: string): string | undefined {
  const head = bundle.slice(0, 200).split('\n');
  const line = head[0]?.startsWith('#!') ? head[1] : head[0];
  return /^\/\/ ssm-replicate (\S+)$/.exec(line ?? '')?.[1];
}

export interface ReleaseInputs {
  tag: string;
  packageVersion: string;
  changelog: string;
  /** Bundle path → its text. */
  bundles: ReadonlyMap<string, string>;
}

/** Every disagreement as a sentence that says what to fix; empty when the release may go ahead. */
export function versionProblems(inputs: ReleaseInputs): string[] {
  const { tag, packageVersion, changelog, bundles } = inputs;
  const problems: string[] = [];
  const tagged = versionOfTag(tag);
  if (!isSemver(packageVersion))
    problems.push(`package.json version '${packageVersion}' is not a semantic version`);
  if (tagged === undefined)
    problems.push(`tag '${tag}' is not v followed by a semantic version (e.g. v1.2.3)`);
  else if (tagged !== packageVersion)
    problems.push(
      `tag ${tag} but package.json says ${packageVersion}: tag the commit that \`npm run release:version\` made`,
    );
  const logged = latestChangelogVersion(changelog);
  if (logged !== packageVersion)
    problems.push(
      `CHANGELOG.md's newest entry is ${logged ?? 'missing'} but package.json says ${packageVersion}: run \`npm run release:version\``,
    );
  else if (releaseNotes(changelog, packageVersion) === undefined)
    problems.push(`CHANGELOG.md's entry for ${packageVersion} is empty`);
  for (const [path, text] of bundles) {
    const built = bundleVersion(text);
    if (built !== packageVersion)
      problems.push(
        `${path} was built as ${built ?? 'an unknown version'}, not ${packageVersion}: run \`npm run build\``,
      );
  }
  return problems;
}
