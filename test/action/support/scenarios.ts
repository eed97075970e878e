import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's own GitHub scenarios (test/action/scenarios/*.json): the requests an Action run must make,
 * in order, each with the response GitHub would give. A string `{"$file": "x.md"}` anywhere stands for
 * the text of that file beside the scenario, so expected comment and issue bodies are reviewable Markdown, byte for byte what the Action sends (kept
 * as .md.txt: the formatter would realign their tables and add final newlines).
 */

export const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios');

export interface ScenarioRequest {
  method: 'get' | 'post' | 'patch';
  /** Path and query as sent, e.g. /repos/acme/params/issues/7/comments?per_page=100 */
  path: string;
  body?: unknown;
  status: number;
  response: unknown;
}

export interface Scenario {
  name: string;
  description: string;
  /** The token every request must carry. */
  token: string;
  requests: ScenarioRequest[];
}

function inline(value: unknown, dir: string): unknown {
  if (Array.isArray(value)) return value.map((v) => inline(v, dir));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const [first] = entries;
    if (entries.length === 1 && first?.[0] === '$file')
      return readFileSync(join(dir, String(first[1])), 'utf8');
    return Object.fromEntries(entries.map(([k, v]) => [k, inline(v, dir)]));
  }
  return value;
}

export function loadScenario(name: string): Scenario {
  const raw = JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8')) as Omit<Scenario, 'name'>;
  return { name, ...(inline(raw, SCENARIO_DIR) as Omit<Scenario, 'name'>) };
}

/** The nock fixture format @octokit/fixtures records and @octokit/fixtures-server replays. */
export interface NockFixture {
  scope: string;
  method: string;
  path: string;
  body?: unknown;
  status: number;
  reqheaders: Record<string, string>;
  response: unknown;
  headers: Record<string, string>;
}

export function toFixtures(scenario: Scenario): NockFixture[] {
  return scenario.requests.map((r) => ({
    scope: 'https://api.github.com:443',
    method: r.method,
    path: r.path,
    ...(r.body !== undefined ? { body: r.body } : {}),
    status: r.status,
    reqheaders: {
      accept: 'application/vnd.github.v3+json',
      authorization: `token ${scenario.token}`,
      ...(r.body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    },
    response: r.response,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  }));
}
