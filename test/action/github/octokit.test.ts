import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOctokitPort } from '../../../src/action/github/octokit.js';
import type { GitHubPort } from '../../../src/action/github/port.js';
import { REPO } from './fake-port.js';

/** A loopback stand-in for the REST API: paged listings with Link headers, and a log of every request. */
interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

const seen: Seen[] = [];
let server: Server;
let baseUrl: string;
let port: GitHubPort;

const comment = (id: number) => ({ id, body: `c${id}`, user: { login: 'someone' }, html_url: `h${id}` });

function page(req: IncomingMessage, all: unknown[], size: number): { items: unknown[]; link?: string } {
  const url = new URL(req.url ?? '/', baseUrl);
  const n = Number(url.searchParams.get('page') ?? '1');
  const items = all.slice((n - 1) * size, n * size);
  if (n * size >= all.length) return { items };
  url.searchParams.set('page', String(n + 1));
  return { items, link: `<${url.toString()}>; rel="next"` };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  const comments = Array.from({ length: 201 }, (_, i) => comment(i + 1));
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
    const path = new URL(req.url ?? '/', baseUrl).pathname;
    const send = (status: number, data: unknown, link?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(link ? { link } : {}) });
      res.end(JSON.stringify(data));
    };
    if (path === '/repos/acme/params/issues/42/comments' && req.method === 'GET') {
      // The server pages by 100 whatever is asked, as GitHub caps per_page.
      const { items, link } = page(req, comments, 100);
      return send(200, items, link);
    }
    if (path === '/repos/acme/params/commits/abc/pulls') {
      return send(200, [
        {
          number: 7,
          state: 'closed',
          merged_at: '2025-01-01T00:00:00Z',
          merge_commit_sha: 'abc',
          base: { ref: 'main' },
          html_url: 'u',
        },
      ]);
    }
    if (path === '/repos/acme/params/issues' && req.method === 'GET') {
      return send(200, [
        { number: 1, state: 'open', title: 'issue', body: 'b', user: { login: 'bot' }, html_url: 'i' },
        {
          number: 2,
          state: 'open',
          title: 'pr',
          body: 'b',
          user: { login: 'bot' },
          html_url: 'p',
          pull_request: {},
        },
      ]);
    }
    if (path === '/repos/acme/params/issues/comments/5' && req.method === 'PATCH') {
      return send(200, { ...comment(5), body: (body as { body: string }).body });
    }
    if (path === '/repos/acme/params/issues/9' && req.method === 'PATCH') {
      return send(200, { number: 9, state: 'closed', title: 't', body: null, user: null, html_url: 'i' });
    }
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  port = createOctokitPort({ token: 'test-token', baseUrl });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

describe('the Octokit adapter', () => {
  it('pages through every page of comments, 100 at a time, against the given base URL with the token', async () => {
    const comments = await port.listIssueComments(REPO, 42);

    expect(comments).toHaveLength(201);
    expect(comments.at(-1)).toEqual({ id: 201, body: 'c201', author: 'someone', htmlUrl: 'h201' });
    expect(seen.map((s) => new URL(s.url, baseUrl).searchParams.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(seen.every((s) => s.url.includes('per_page=100'))).toBe(true);
    expect(seen[0]?.auth).toBe('token test-token');
  });

  it('maps the PRs associated with a commit to the fields the selection reads', async () => {
    const prs = await port.listPullRequestsForCommit(REPO, 'abc');

    expect(prs).toEqual([
      {
        number: 7,
        state: 'closed',
        mergedAt: '2025-01-01T00:00:00Z',
        mergeCommitSha: 'abc',
        baseRef: 'main',
        htmlUrl: 'u',
      },
    ]);
  });

  it('leaves pull requests out of the issue list and passes the creator filter on', async () => {
    const issues = await port.listIssues(REPO, { state: 'all', creator: 'github-actions[bot]' });

    expect(issues.map((i) => i.number)).toEqual([1]);
    const query = new URL(seen[0]?.url ?? '', baseUrl).searchParams;
    expect(query.get('creator')).toBe('github-actions[bot]');
    expect(query.get('state')).toBe('all');
  });

  it('updates a comment by id with the new body', async () => {
    const updated = await port.updateIssueComment(REPO, 5, 'new body');

    expect(updated.body).toBe('new body');
    expect(seen[0]).toMatchObject({ method: 'PATCH', body: { body: 'new body' } });
  });

  it('closes an issue with a reason, sending only the fields given', async () => {
    const issue = await port.updateIssue(REPO, 9, { state: 'closed', stateReason: 'completed' });

    expect(issue).toMatchObject({ number: 9, state: 'closed', body: '', author: undefined });
    expect(seen[0]?.body).toEqual({ state: 'closed', state_reason: 'completed' });
  });
});
