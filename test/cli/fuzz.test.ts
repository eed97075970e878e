import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { plain } from '../../src/render/escape.js';
import { masksOf } from '../../src/render/redact.js';
import type { Endpoint } from '../endpoint/index.js';
import { HOSTILE } from '../render/arbitraries.js';
import { type CliRun, runCliCaptured } from '../support/cli.js';
import { useEndpoint } from '../support/endpoint.js';
import { SOURCE } from '../support/seed.js';

/**
 * Issue 12's acceptance: the whole CLI over hostile manifests and hostile source inventories (names,
 * tags, descriptions, values) and hostile AWS answers (error messages that repeat values, bodies the SDK
 * cannot parse), through the real SDK against the local endpoint. Whatever happens: no uncaught error,
 * no raw control character and no known secret on any channel, and only the documented exit codes.
 * Bounded for a 2-core CI: a few dozen runs of a few commands each.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const DEST = 'us-east-1';

/** The documented exit codes of each command (README, Using the CLI). */
const EXIT_CODES: Record<string, readonly number[]> = {
  validate: [0, 1],
  plan: [0, 1, 2],
  apply: [0, 1],
  drift: [0, 1, 2],
  status: [0, 1, 2],
};

const hostileText = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'ключ', '鍵'),
);

/** A SecureString value the run must never show: unique letters and digits, maybe JSON or multi-line. */
const secretArb = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{12}$/), fc.constantFrom('plain', 'json', 'lines', 'hostile'))
  .map(([core, shape]) => {
    const s = `S3cr3t${core}`;
    if (shape === 'json') return `{\n  "user": "admin",\n  "password": "${s}"\n}`;
    if (shape === 'lines') return `-----BEGIN KEY-----\n${s}\n-----END KEY-----`;
    if (shape === 'hostile') return `${s}\u001b]0;x\u0007"\\`;
    return s;
  });

const nameArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/),
  fc.constantFrom('constructor', '__proto__', 'toString', 'a.b-c_d'),
  hostileText,
);

const tagsArb = fc.option(fc.dictionary(hostileText, hostileText, { maxKeys: 3 }), { nil: undefined });

const parameterArb = fc.record({
  name: nameArb,
  type: fc.constantFrom('String', 'StringList', 'SecureString'),
  value: fc.oneof(hostileText, secretArb),
  secret: secretArb,
  description: fc.option(hostileText, { nil: undefined }),
  tags: tagsArb,
});

/** AWS misbehaving: a refusal that repeats what it was sent, hostile listings, unparseable answers. */
const faultArb = fc.constantFrom(
  'none',
  'put-echo',
  'describe-hostile',
  'malformed-get',
  'malformed-describe',
);

const MANIFEST = (path: string, role: string, extra: string) => `version: 1
source:
  region: ${SOURCE}
value-display: non-secret
${extra}replications:
  - name: prod-app
    paths: [${JSON.stringify(path)}]
    destinations:
      - region: ${DEST}${role}
`;

/** Mostly valid manifests (so the AWS side runs), some with hostile paths, role ARNs, tags or bytes. */
const manifestArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(MANIFEST('/prod/app', '', '')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(hostileText, hostileText)

      .map(([k, v]) => MANIFEST('/prod/app', '', `defaults:\n  tags: ${JSON.stringify({ [k]: v })}\n`)),
  },
  { weight: 1, arbitrary: hostileText.map((t) => MANIFEST(`/prod/app${t}`, '', '')) },
  {
    weight: 1,
    arbitrary: hostileText.map((t) =>
      MANIFEST(
        '/prod/app',
        `\n        role-arn: ${JSON.stringify(`arn:aws:iam::123456789012:role/${t}`)}`,
        '',
      ),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

const commandsArb = fc
  .subarray(
    [
      ['validate'],
      ['plan'],
      ['plan', '--format', 'markdown', '--detailed-exitcode'],
      ['plan', '--format', 'json'],
      ['apply'],
      ['drift'],
      ['status', '--format', 'json'],
    ],
    { minLength: 1, maxLength: 3 },
  )
  .chain((commands) =>
    // Apply is where AWS messages meet secrets: in most runs.
    fc.boolean().map((apply) => (apply ? [...commands, ['apply']] : commands)),
  );

const endpoint = useEndpoint();
let ep: Endpoint;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssm-replicate-fuzz-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

/**
 * `echo` is what AWS repeats back: a value we sent (so one the run has read) for a refused write, and
 * hostile text for a refused listing, which is sent no value at all.
 */
function arm(fault: string, echo: string, hostile: string): void {
  if (fault === 'put-echo') {
    const message = `1 validation error detected: Value '${echo}' at 'value' failed to satisfy constraint\n::error::x\u001b[2J`;
    // In the destination: the apply lock's own write in the source sends no value AWS could repeat.
    ep.faults.failNext({
      operation: 'PutParameter',
      region: DEST,
      error: 'ValidationException',
      message,
      count: 100,
    });
  } else if (fault === 'describe-hostile') {
    ep.faults.failNext({
      operation: 'DescribeParameters',
      error: 'ValidationException',
      message: `bad filter ${hostile} \u001b]0;t\u0007\u009b\u202e`,
      count: 100,
    });
  } else if (fault === 'malformed-get') {
    ep.faults.malformNext({
      operation: 'GetParameters',
      count: 100,
      body: (real) => real.replace(/"Value":"/g, '"Value":#"'),
    });
  } else if (fault === 'malformed-describe') {
    ep.faults.malformNext({ operation: 'DescribeParameters', count: 100, body: (real) => `<${real}` });
  }
}

/** The forms of a secret that would reveal it: each mask as is, JSON-escaped and escaped as shown. */
function revealingForms(secret: string): string[] {
  return masksOf(secret)
    .filter((m) => /[A-Za-z0-9]{6}/.test(m))
    .flatMap((m) => [m, JSON.stringify(m).slice(1, -1), plain(m)]);
}

function check(command: string, r: CliRun, extra: string, secrets: readonly string[]): void {
  expect(EXIT_CODES[command], `${command} exit ${r.code}: ${r.err}`).toContain(r.code);
  const notices = `${r.out}\n${r.err}`.split('\n');
  for (const line of notices) expect(line).not.toMatch(RAW_CONTROL);
  for (const doc of [r.stdout, r.stderr, extra]) expect(doc.replace(/\n/g, ' ')).not.toMatch(RAW_CONTROL);
  const all = [r.out, r.err, r.stdout, r.stderr, extra].join('\n');
  for (const secret of secrets) {
    for (const form of revealingForms(secret)) expect(all, `${command} shows a secret`).not.toContain(form);
    // A prefix cut by a cap reveals too: the secret's unique core, eight characters at a time.
    const core = /S3cr3t[A-Za-z0-9]{12}/.exec(secret)?.[0] ?? '';
    for (let i = 0; i + 8 <= core.length; i++) expect(all).not.toContain(core.slice(i, i + 8));
  }
}

describe('the CLI under hostile input', () => {
  it('never crashes, never prints a raw control character or a secret, and exits as documented', async () => {
    ep = endpoint();
    env = {
      AWS_ENDPOINT_URL: ep.url,
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_MAX_ATTEMPTS: '1',
    };
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        manifestArb,
        secretArb,
        fc.array(parameterArb, { maxLength: 4 }),
        faultArb,
        commandsArb,
        async (manifest, secret, hostile, fault, commands) => {
          ep.state.reset();
          ep.faults.clear();
          const secrets: string[] = [];
          // One well-formed SecureString in every run, so every run has a secret to keep.
          const parameters = [
            {
              name: 'DB_PASSWORD',
              type: 'SecureString',
              value: secret,
              secret,
              description: undefined,
              tags: undefined,
            },
            ...hostile,
          ];
          for (const p of parameters) {
            const value = p.type === 'SecureString' ? p.secret : p.value;
            try {
              ep.state.putParameter({
                region: SOURCE,
                name: `/prod/app/${p.name}`,
                value,
                type: p.type as 'String' | 'StringList' | 'SecureString',
                ...(p.description !== undefined ? { description: p.description } : {}),
                ...(p.tags ? { tags: Object.fromEntries(Object.entries(p.tags)) } : {}),
              });
              if (p.type === 'SecureString') secrets.push(value);
            } catch {
              // AWS would refuse this parameter too (a name or tag it does not allow): not in the inventory.
            }
          }
          arm(fault, secret, hostile[0]?.value ?? '\u001b[2J');
          const path = join(dir, `replication-${run}.yaml`);
          const journal = join(dir, `journal-${run}.jsonl`);
          run++;
          await writeFile(path, manifest);
          for (const argv of commands) {
            const [command = ''] = argv;
            const extraArgs = command === 'apply' ? ['--journal', journal] : [];
            const r = await runCliCaptured([...argv, '--manifest', path, ...extraArgs], env);
            const written = command === 'apply' ? await readFile(journal, 'utf8').catch(() => '') : '';
            check(command, r, written, secrets);
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);
});
