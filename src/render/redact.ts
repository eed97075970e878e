import type { AttributeChange, PlanItem } from '../plan/types.js';
import { plain } from './escape.js';

/**
 * Whether an item's value is a secret: it is or becomes a SecureString. The planner already omits such
 * values; renderers check again so a planner bug cannot print a secret (defence in depth).
 */
export function isSecretItem(item: PlanItem): boolean {
  if (item.type === 'SecureString') return true;
  return item.changes.some(
    (c) => c.attribute === 'type' && (c.from === 'SecureString' || c.to === 'SecureString'),
  );
}

/** The item's changes with `value` from/to dropped when the item is secret. */
export function visibleChanges(item: PlanItem): AttributeChange[] {
  if (!isSecretItem(item)) return item.changes;
  return item.changes.map((c) =>
    c.attribute === 'value' ? { attribute: c.attribute, reason: c.reason } : c,
  );
}

/** What every known secret is replaced by, in every channel. */
export const MASK = '***';

/**
 * A whole value shorter than this is not masked: masking every `on` or `42` in the output would garble
 * every message while hiding nothing a guess would not find. From three characters on, the mask is no
 * longer than what it hides, which keeps redaction (and so capping after it) stable.
 */
export const MIN_SECRET_CHARS = 3;

/**
 * A line of a multi-line value is masked on its own only when it could reveal something by itself: at
 * least this long after trimming and holding a letter or digit. So a PEM key's base64 lines and a JSON
 * secret's `"password": "…"` line are masked, while `{`, `}`, `],` or `-----` are not: masking those
 * would hide every brace in every later log line and protect nothing.
 */
export const MIN_LINE_CHARS = 4;

const REVEALING = /[\p{L}\p{N}]/u;
const ONLY_STARS = /^\*+$/;

/**
 * The strings to mask for one secret value: the whole value (trimmed) and each revealing line. A
 * string of nothing but `*` is never a mask: it cannot be told apart from the mask itself.
 */
export function masksOf(value: string): string[] {
  const out = new Set<string>();
  const whole = value.trim();
  if (whole.length >= MIN_SECRET_CHARS && !ONLY_STARS.test(whole)) out.add(whole);
  const lines = value.split(/\r\n|\r|\n/);
  if (lines.length > 1) {
    for (const line of lines) {
      const t = line.trim();
      if (t.length >= MIN_LINE_CHARS && REVEALING.test(t)) out.add(t);
    }
  }
  return [...out];
}

/** A mask as it appears inside a JSON string (an SDK message, the journal), without the quotes. */
function jsonForm(mask: string): string {
  return JSON.stringify(mask).slice(1, -1);
}

const PREFIX = MIN_SECRET_CHARS;

/**
 * Every secret value the run has seen, as soon as it has seen it (the AWS adapter adds each decrypted
 * SecureString the moment its response is decoded), and the one place that replaces them with `***`.
 * Each mask is matched as written, as JSON-escaped and as the sanitizer escapes it, so a secret that
 * went through either on its way (an SDK message quoting a JSON body, an escaped control character)
 * is still found.
 */
export class SecretRegistry {
  readonly #masks = new Set<string>();
  /**
   * Every form of every mask, by its first three characters, with the lengths found there (longest
   * first): a position is checked with one lookup per length, however many secrets share a prefix.
   */
  readonly #forms = new Map<string, { lengths: number[]; forms: Set<string> }>();
  readonly #listeners: Array<(mask: string) => void> = [];

  /** Learns a secret value; returns the masks that were new. */
  add(value: string): string[] {
    const fresh = masksOf(value).filter((m) => !this.#masks.has(m));
    for (const mask of fresh) {
      this.#masks.add(mask);
      for (const form of new Set([mask, jsonForm(mask), plain(mask)])) this.#index(form);
      for (const listener of this.#listeners) listener(mask);
    }
    return fresh;
  }

  /** Called with every mask, the ones known so far at once and each new one as it is learnt. */
  onMask(listener: (mask: string) => void): void {
    for (const mask of this.#masks) listener(mask);
    this.#listeners.push(listener);
  }

  get size(): number {
    return this.#masks.size;
  }

  #index(form: string): void {
    const key = form.slice(0, PREFIX);
    let bucket = this.#forms.get(key);
    if (!bucket) {
      bucket = { lengths: [], forms: new Set() };
      this.#forms.set(key, bucket);
    }
    bucket.forms.add(form);
    if (!bucket.lengths.includes(form.length)) {
      bucket.lengths.push(form.length);
      bucket.lengths.sort((a, b) => b - a);
    }
  }

  /**
   * `text` with every known secret replaced by `***`, leftmost-longest, repeated until none is left
   * (a replacement can join text around it into another secret). Ends: every pass removes characters
   * or, for three-character masks, a character other than `*`.
   */
  redact(text: string): string {
    if (this.#forms.size === 0) return text;
    let current = text;
    for (;;) {
      const next = this.#pass(current);
      if (next === current) return current;
      current = next;
    }
  }

  #pass(text: string): string {
    let out = '';
    let from = 0;
    for (let i = 0; i + PREFIX <= text.length; ) {
      const bucket = this.#forms.get(text.slice(i, i + PREFIX));
      const length = bucket?.lengths.find(
        (n) => i + n <= text.length && bucket.forms.has(text.slice(i, i + n)),
      );
      if (length === undefined) {
        i++;
        continue;
      }
      out += text.slice(from, i) + MASK;
      i += length;
      from = i;
    }
    return from === 0 ? text : out + text.slice(from);
  }
}

/**
 * `value` (a plan, an apply report) with every string in it, keys included, redacted. Renderers cap
 * what they show (a description at 80 characters, a message at 300), and a cap that cuts a secret
 * leaves a prefix no mask matches; redacting the data before it is rendered means no cap ever sees
 * one. Arrays, Maps, Sets and plain or null-prototype objects are rebuilt; anything else is kept.
 */
export function redactDeep<T>(value: T, secrets: SecretRegistry): T {
  if (secrets.size === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [walk(k), walk(x)]));
    if (v instanceof Set) return new Set([...v].map(walk));
    if (v === null || typeof v !== 'object') return v;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out = Object.create(proto) as Record<string, unknown>;
    for (const [k, x] of Object.entries(v)) {
      Object.defineProperty(out, secrets.redact(k), {
        value: walk(x),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(value) as T;
}
