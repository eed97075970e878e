import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type ParsedNode,
  parseAllDocuments,
  type YAMLError,
} from 'yaml';
import type { SourcePosition } from '../io.js';
import { keyed } from '../keyed.js';
import { clip } from '../render/escape.js';
import type { ManifestIssue } from './errors.js';
import { dottedLabel, escapePointer, type Locator, parentPointer } from './locator.js';
import { q } from './quote.js';

export interface YamlSource {
  data: unknown;
  locator: Locator;
  /** Syntax errors and YAML features the manifest refuses (duplicate keys, anchors, aliases, merge keys). */
  errors: ManifestIssue[];
  /** True after a syntax error: `data` is then not to be checked further. */
  broken: boolean;
}

interface Place {
  key?: SourcePosition;
  value: SourcePosition;
}

/**
 * Parses one YAML document into plain data, remembering where every value and key was written. Aliases,
 * anchors and merge keys are refused rather than expanded: a `<<: *base` silently hides a misspelt key
 * from the schema and makes "where is this value from" unanswerable; the `defaults` block does that job.
 * Duplicate keys are errors too, where YAML tools disagree on which one wins.
 */
export function readYaml(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const places = new Map<string, Place>();
  const errors: ManifestIssue[] = [];
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const fail = (offset: number, message: string) => errors.push({ ...at(offset), message });
  const locator: Locator = {
    position(pointer, part = 'value') {
      for (let p = pointer; ; p = parentPointer(p)) {
        const place = places.get(p);
        if (place) return (part === 'key' && p === pointer && place.key) || place.value;
        if (p === '') return { file, line: 1, column: 1 };
      }
    },
    label: dottedLabel,
  };

  const list = Array.isArray(documents) ? documents : [];
  const [document, second] = list;
  if (!document || document.contents === null) {
    fail(0, 'the manifest is empty; expected a mapping with version, source and replications');
    return { data: undefined, locator, errors, broken: true };
  }
  if (second) fail(second.range[0], 'the manifest must be a single YAML document; remove this second one');
  for (const problem of [...document.errors, ...document.warnings]) {
    fail(problem.pos[0], `invalid YAML: ${yamlMessage(problem)}`);
  }
  if (errors.length > 0) return { data: undefined, locator, errors, broken: true };

  // The node's range starts at its content; the `&name` written before it is what the user should see.
  const anchorOffset = (anchor: string, start: number) => Math.max(0, text.lastIndexOf(`&${anchor}`, start));
  const walk = (
    node: ParsedNode | Node | null | undefined,
    pointer: string,
    fallback: SourcePosition,
  ): unknown => {
    const start = node?.range ? at(node.range[0]) : fallback;
    // Not a spread of the entry: V8 gives spread objects a slow shape, and there is one per value.
    const key = places.get(pointer)?.key;
    places.set(pointer, key ? { key, value: start } : { value: start });
    if (!node) return null;
    if (isAlias(node)) {
      fail(
        node.range?.[0] ?? 0,
        `YAML alias ${q(`*${node.source}`)} is not allowed; write the value out, or use 'defaults'`,
      );
      return OMITTED;
    }
    if (node.anchor) fail(anchorOffset(node.anchor, node.range?.[0] ?? 0), anchorMessage(node.anchor));
    if (isMap(node)) {
      const entries: [string, unknown][] = [];
      const seen = new Map<string, SourcePosition>();
      for (const pair of node.items) {
        const keyNode = pair.key as ParsedNode | null;
        const keyAt = keyNode?.range ? at(keyNode.range[0]) : start;
        if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
          errors.push({ ...keyAt, message: 'mapping keys must be plain text' });
          continue;
        }
        if (keyNode.anchor)
          fail(anchorOffset(keyNode.anchor, keyNode.range?.[0] ?? 0), anchorMessage(keyNode.anchor));
        const key = String(keyNode.value);
        if (key === '<<') {
          errors.push({
            ...keyAt,
            message: "YAML merge key '<<' is not allowed; write the keys out, or use 'defaults'",
          });
          continue;
        }
        const first = seen.get(key);
        if (first) {
          errors.push({ ...keyAt, message: `duplicate key ${q(key)} (first set at line ${first.line})` });
          continue;
        }
        seen.set(key, keyAt);
        const child = `${pointer}/${escapePointer(key)}`;
        places.set(child, { key: keyAt, value: keyAt });
        const value = walk(pair.value as ParsedNode | null, child, keyAt);
        if (value !== OMITTED) entries.push([key, value]);
      }
      return keyed(entries);
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => walk(item as ParsedNode | null, `${pointer}/${index}`, start));
    }
    if (isScalar(node)) {
      if (node.value !== null && typeof node.value === 'object') {
        fail(
          node.range?.[0] ?? 0,
          `unsupported YAML value of tag ${q(node.tag ?? '')}; expected text, a number or true/false`,
        );
        return null;
      }
      return node.value;
    }
    return null;
  };

  const data = walk(document.contents, '', { file, line: 1, column: 1 });
  return { data, locator, errors, broken: false };
}

/** An alias's key is left out of the data: its error is reported; a second about the missing value would repeat it. */
const OMITTED = Symbol('omitted');

function anchorMessage(anchor: string): string {
  return `YAML anchor ${q(`&${anchor}`)} is not allowed; write the value out, or use 'defaults'`;
}

/**
 * The yaml package's messages are good but end with a position we report separately, and some repeat
 * the source (an unknown tag, a reserved character), so they are cut and escaped like any quote.
 */
function yamlMessage(error: YAMLError): string {
  return clip(error.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''), 200);
}
