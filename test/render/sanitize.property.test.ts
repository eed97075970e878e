import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plain } from '../../src/render/escape.js';
import { MASK, masksOf, SecretRegistry } from '../../src/render/redact.js';
import { sanitizeDocument, sanitizeLine } from '../../src/render/sanitize.js';
import { HOSTILE } from './arbitraries.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const RAW_CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the sequences a terminal writer may add.
const OWN_SEQUENCES = /\u001b\[[0-9;]*m|\r\u001b\[2K/g;

/** A secret: random letters and digits, with the characters that change under escaping in between. */
const secretArb = fc
  .array(
    fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9]{4,8}$/),
      fc.constantFrom('"', '\\', '\n', '\t', '\u001b', '\u202e', ' ', '{', '}', ':'),
    ),
    { minLength: 2, maxLength: 6 },
  )
  .map((parts) => `K${parts.join('')}9z`)
  .filter((s) => masksOf(s).length > 0);

/** How a secret can turn up in a message: as is, inside a JSON body the SDK quotes, or already escaped. */
const encodings: Array<(s: string) => string> = [
  (s) => s,
  (s) => JSON.stringify(s).slice(1, -1),
  (s) => JSON.stringify({ Value: s }),
  plain,
];

const fillerArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(...HOSTILE),
  fc.constant(MASK),
);

/** A text with secrets at random places, in random encodings, among hostile filler. */
const textArb = (secrets: string[]) =>
  fc
    .array(
      fc.oneof(
        fillerArb,
        fc
          .tuple(fc.constantFrom(...secrets), fc.integer({ min: 0, max: encodings.length - 1 }))
          .map(([s, e]) => (encodings[e] as (s: string) => string)(s)),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(''));

const scenario = fc.array(secretArb, { minLength: 1, maxLength: 3 }).chain((secrets) =>
  fc.record({
    secrets: fc.constant(secrets),
    text: textArb(secrets),
    max: fc.integer({ min: 1, max: 300 }),
  }),
);

function registryOf(secrets: readonly string[]): SecretRegistry {
  const registry = new SecretRegistry();
  for (const s of secrets) registry.add(s);
  return registry;
}

/**
 * What "contains a secret" means here: any run of eight characters, six of them letters or digits, of
 * any mask of the secret in any encoding. Runs rather than the whole string, so that a secret cut by the
 * cap, or half-masked by an overlapping one, still counts as revealed; letters and digits, so that
 * escapes the filler produces too (`\n\t\x1b`) do not.
 */
function revealed(output: string, secrets: readonly string[]): string | undefined {
  for (const secret of secrets) {
    for (const mask of masksOf(secret)) {
      for (const form of [mask, JSON.stringify(mask).slice(1, -1), plain(mask)]) {
        for (let i = 0; i + 8 <= form.length; i++) {
          const run = form.slice(i, i + 8);
          if ((run.match(/[A-Za-z0-9]/g) ?? []).length >= 6 && output.includes(run)) return run;
        }
      }
    }
  }
  return undefined;
}

describe('sanitizeLine', () => {
  it('never writes a raw control, bidi or newline character', () => {
    fc.assert(
      fc.property(scenario, ({ secrets, text, max }) => {
        expect(sanitizeLine(text, registryOf(secrets), max)).not.toMatch(RAW_CONTROL);
      }),
    );
  });

  it('never writes a known secret, in any encoding, even cut by the cap', () => {
    fc.assert(
      fc.property(scenario, ({ secrets, text, max }) => {
        expect(revealed(sanitizeLine(text, registryOf(secrets), max), secrets)).toBeUndefined();
      }),
    );
  });

  it('stays within the cap, and a second pass changes nothing', () => {
    fc.assert(
      fc.property(scenario, fc.array(fc.string(), { maxLength: 3 }), ({ secrets, text, max }, more) => {
        const registry = registryOf([...secrets, ...more]);
        const once = sanitizeLine(text, registry, max);
        expect(once.length).toBeLessThanOrEqual(Math.max(max, 40));
        expect(sanitizeLine(once, registry, max)).toBe(once);
      }),
    );
  });

  it('keeps a message without secrets or controls as it was', () => {
    const message = "ParameterNotFound: /prod/app/X does not exist; check the manifest's paths";
    expect(sanitizeLine(message, registryOf(['hunter2-secret']))).toBe(message);
  });
});

describe('sanitizeDocument', () => {
  it('keeps its line breaks but no other raw control character, and no secret', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), ({ secrets, text }, terminal) => {
        const out = sanitizeDocument(text, registryOf(secrets), { terminal });
        const withoutOwn = out.replace(OWN_SEQUENCES, '');
        expect(terminal ? withoutOwn : out).not.toMatch(RAW_CONTROL_BUT_NEWLINE);
        expect(revealed(out, secrets)).toBeUndefined();
        expect(sanitizeDocument(out, registryOf(secrets), { terminal })).toBe(out);
      }),
    );
  });

  it('lets a terminal keep colours and the progress line but not a title or a clear-screen', () => {
    const out = sanitizeDocument(
      '\u001b[1mbold\u001b[0m\r\u001b[2K\u001b]0;pwned\u0007\u001b[2J',
      registryOf([]),
      {
        terminal: true,
      },
    );
    expect(out).toBe('\u001b[1mbold\u001b[0m\r\u001b[2K\\u001b]0;pwned\\u0007\\u001b[2J');
  });

  it('keeps a JSON document valid while escaping what JSON leaves raw', () => {
    const doc = `${JSON.stringify({ name: '/a\u009b\u202eb', tags: { k: '\u0085' } }, null, 2)}\n`;
    const out = sanitizeDocument(doc, registryOf([]));
    expect(JSON.parse(out)).toEqual(JSON.parse(doc));
    expect(out).not.toMatch(RAW_CONTROL_BUT_NEWLINE);
  });
});

describe('masksOf', () => {
  it('masks a JSON secret whole and by its revealing lines, never its braces', () => {
    const secret = '{\n  "user": "admin",\n  "password": "hunter2-x"\n}';
    expect(masksOf(secret)).toEqual([secret, '"user": "admin",', '"password": "hunter2-x"']);
  });

  it('masks every base64 line of a PEM key but not its dashes', () => {
    const pem =
      '-----BEGIN KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASC\nAT8wggE7AgEAAkEA\n-----END KEY-----\n';
    expect(masksOf(pem)).toEqual(
      expect.arrayContaining(['MIIBVwIBADANBgkqhkiG9w0BAQEFAASC', 'AT8wggE7AgEAAkEA']),
    );
    expect(masksOf(pem)).not.toContain('-----');
  });

  it('leaves out values too short to be worth hiding and strings of stars', () => {
    expect(masksOf('on')).toEqual([]);
    expect(masksOf('***')).toEqual([]);
    expect(masksOf('a\n}\n],\nb')).toEqual(['a\n}\n],\nb']);
  });
});

describe('SecretRegistry', () => {
  it('tells a listener every mask, those known before it listened included, each once', () => {
    const registry = registryOf(['first-secret']);
    const heard: string[] = [];
    registry.onMask((m) => heard.push(m));
    registry.add('second-secret');
    registry.add('first-secret');
    expect(heard).toEqual(['first-secret', 'second-secret']);
  });

  it('masks a secret that only appears once another one around it is masked', () => {
    const registry = registryOf(['abc***', 'XYZW']);
    expect(registry.redact('abcXYZW')).toBe(MASK);
  });
});
