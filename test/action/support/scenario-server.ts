import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { type Scenario, toFixtures } from './scenarios.js';

/*
 * @octokit/fixtures-server, in process: it replays nock fixtures behind an HTTP proxy and answers only the
 * next pending request of a loaded scenario (method and path), while nock checks query, body and headers
 * (the token among them). Its own dependencies (express, cachimo) are resolved from its folder, so this
 * does not lean on how npm hoisted them.
 */
const fromServer = createRequire(createRequire(import.meta.url).resolve('@octokit/fixtures-server'));
const load = async <T>(name: string): Promise<T> =>
  ((await import(pathToFileURL(fromServer.resolve(name)).href)) as { default: T }).default;

type Handler = (req: unknown, res: unknown, next: () => void) => void;
interface ExpressApp extends Handler {
  use(handler: Handler): void;
}
interface PendingMocks {
  pending(): string[];
}

export interface LoadedScenario {
  /** GITHUB_API_URL for the run. */
  apiUrl: string;
  /** GITHUB_SERVER_URL for the run: links come back rewritten the way the server rewrites fixture URLs. */
  serverUrl: string;
  /** Requests of the scenario not made yet (none once the run made them all). */
  pending(): string[];
}

export interface ScenarioServer {
  url: string;
  /** Every request that reached the server, `METHOD path`, loaded scenario or not. */
  seen: string[];
  /** What the server answered to requests that matched no fixture (the run sent something unexpected). */
  rejections: string[];
  load(scenario: Scenario): Promise<LoadedScenario>;
  stop(): Promise<void>;
}

export async function startScenarioServer(): Promise<ScenarioServer> {
  const express = await load<() => ExpressApp>('express');
  const fixturesServer = await load<(options: object) => Handler>('@octokit/fixtures-server');
  const cachimo = await load<{ get(id: string): PendingMocks | undefined }>('cachimo');
  const { createServer } = await import('node:http');

  const seen: string[] = [];
  const rejections: string[] = [];
  // The client closes idle connections, not the server: with the default 5 s keep-alive timeout, a request
  // sent just as that timer fires meets a closing socket (ECONNRESET), which a busy machine makes likely.
  const server: Server = createServer({ keepAliveTimeout: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Scenarios are looked up by name on each load, so they can be added after the server started; the
  // seed entry is there because the server sets up its proxy per fixture host when it is created.
  const fixtures: Record<string, ReturnType<typeof toFixtures>> = {
    seed: toFixtures({
      name: 'seed',
      description: '',
      token: 'x',
      requests: [{ method: 'get', path: '/', status: 200, response: {} }],
    }),
  };
  let loaded = 0;

  const app = express();
  app.use((req, res, next) => {
    const r = req as { method: string; url: string };
    if (!r.url.startsWith('/fixtures')) seen.push(`${r.method} ${r.url}`);
    // Keep what the server says to a request it cannot match: the test prints it.
    const out = res as { statusCode: number; end: (chunk?: unknown, ...rest: unknown[]) => unknown };
    const end = out.end.bind(out);
    out.end = (chunk?: unknown, ...rest: unknown[]) => {
      if (out.statusCode >= 400 && chunk !== undefined)
        rejections.push(`${r.method} ${r.url}: ${String(chunk)}`);
      return end(chunk, ...rest);
    };
    next();
  });
  app.use(fixturesServer({ fixturesUrl: url, logLevel: 'silent', ttl: 120_000, fixtures }));
  server.on('request', app);

  return {
    url,
    seen,
    rejections,
    async load(scenario) {
      const key = `${scenario.name}-${loaded++}`;
      fixtures[key] = toFixtures(scenario);
      const response = await fetch(`${url}/fixtures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario: key }),
      });
      if (response.status !== 201) throw new Error(`loading ${scenario.name}: ${await response.text()}`);
      const { id, url: apiUrl } = (await response.json()) as { id: string; url: string };
      return {
        apiUrl,
        serverUrl: `${url}/github.com/${id}`,
        pending: () => cachimo.get(id)?.pending() ?? [],
      };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
