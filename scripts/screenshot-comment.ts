// `npx tsx scripts/screenshot-comment.ts [dir]`: renders the PR comments the Action would post for two
// realistic plans (the real planner against the local endpoint, the real comment builder), a short one
// (`dir/pr-comment.png`) and a long one (`dir/pr-comment-long.png`), turns them into
// HTML with a GitHub-flavoured Markdown renderer and GitHub-like CSS, and screenshots it with headless
// Chromium (Debian's `chromium`, plus `fonts-noto-color-emoji` for the status icon), so a person can see
// what reviewers see when the page loads: sections open or collapsed as the comment says, nothing
// expanded by hand. Not part of `npm test`.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import {
  buildPlanComment,
  commentVerdict,
  PLAN_ARTIFACT,
  planCommentBody,
} from '../src/action/github/index.js';
import { awsSettings, sdkStoreFactory } from '../src/aws/factory.js';
import { planJob } from '../src/jobs/plan-job.js';
import { parseManifest } from '../src/manifest/index.js';
import { systemClock } from '../src/rate/limiter.js';
import { briefSummary } from '../src/render/summary.js';
import { startEndpoint } from '../test/endpoint/index.js';

const OUT_DIR = resolve(process.argv[2] ?? 'docs');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const WIDTH = 960;
const SOURCE = 'ap-south-1';
const MANIFEST = `version: 1
source:
  region: ap-south-1
value-display: non-secret
replications:
  - name: prod-app
    paths: [/prod/app, /prod/api]
    destinations:
      - region: us-east-1
        kms-key-id: alias/prod-key
      - region: eu-west-1
        path-rewrite: { from: /prod/, to: /dr/ }
        deletes: keep
`;
// A plan of well over MARKDOWN_OPEN_LINES diff lines: a new service rolled out to three regions. Its
// sections load collapsed, which is what a reviewer sees first.
const LONG_MANIFEST = `version: 1
source:
  region: ap-south-1
value-display: non-secret
replications:
  - name: checkout
    paths: [/prod/checkout]
    destinations:
      - region: us-east-1
        kms-key-id: alias/prod-key
      - region: eu-west-1
      - region: ap-northeast-1
`;
const LONG_SETTINGS = [
  'API_URL',
  'CACHE_TTL',
  'CURRENCY',
  'DB_HOST',
  'DB_POOL',
  'LOG_LEVEL',
  'QUEUE_URL',
  'REGION_HINT',
  'RETRIES',
  'TIMEOUT_MS',
];
const OWNER = { 'ssm-replicate:managed-by': 'ssm-replicate' };

const endpoint = await startEndpoint();
Object.assign(process.env, {
  AWS_ENDPOINT_URL: endpoint.url,
  AWS_ACCESS_KEY_ID: 'AKIADEMODEMODEMO',
  AWS_SECRET_ACCESS_KEY: 'demo',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});
const { state } = endpoint;
state.createKey({ region: 'us-east-1', alias: 'alias/prod-key' });
const put = (
  region: string,
  name: string,
  value: string,
  type: 'String' | 'StringList' | 'SecureString',
  tags = {},
) => state.putParameter({ region, name, value, type, tags });
// Short plan. Source: a mix of types; us-east-1 is partly replicated already (one stale value, one
// hand-made copy without the ownership tag, one replica whose source is gone); eu-west-1 is new. A plan
// of this size (under MARKDOWN_OPEN_LINES diff lines) opens its sections.
put(SOURCE, '/prod/app/DB_PASSWORD', 'correct-horse-battery', 'SecureString', { team: 'payments' });
put(SOURCE, '/prod/app/DB_HOST', 'db.internal.example.com', 'String');
put(SOURCE, '/prod/app/FEATURE_FLAGS', 'checkout-v2,dark-mode', 'StringList');
put('us-east-1', '/prod/app/DB_HOST', 'db-old.internal.example.com', 'String', OWNER);
put('us-east-1', '/prod/app/FEATURE_FLAGS', 'checkout-v2,dark-mode', 'StringList', {});
put('us-east-1', '/prod/app/LEGACY_URL', 'https://legacy.example.com', 'String', OWNER);
put('us-east-1', '/prod/api/OPS_NOTE', 'hand-made, not ours', 'String');
// Long plan: ten settings of a new service, new in two regions; in us-east-1 one was replicated before
// as a String and is a StringList now, which AWS cannot change in place (a replace).
for (const [i, key] of LONG_SETTINGS.entries()) {
  put(SOURCE, `/prod/checkout/${key}`, `value-${i + 1}`, key === 'CURRENCY' ? 'StringList' : 'String');
}
put('us-east-1', '/prod/checkout/CURRENCY', 'value-3', 'String', OWNER);

try {
  await shoot(MANIFEST, join(OUT_DIR, 'pr-comment.png'));
  await shoot(LONG_MANIFEST, join(OUT_DIR, 'pr-comment-long.png'));
} finally {
  await endpoint.stop();
}

/** Plans `manifestText` against the endpoint and screenshots the comment the Action would post for it. */
async function shoot(manifestText: string, out: string): Promise<void> {
  const { manifest } = parseManifest(manifestText, 'config/replication.yaml');
  const settings = awsSettings(process.env, manifest.throughput);
  const { plan } = await planJob({
    manifest,
    storeFor: sdkStoreFactory(settings),
    clock: systemClock,
    reporter: { notify: () => undefined },
  });
  const run = { runUrl: 'https://github.com/acme/params/actions/runs/4242', artifact: PLAN_ARTIFACT };
  const { text } = buildPlanComment({
    manifestPath: 'config/replication.yaml',
    digest: plan.digest,
    summary: briefSummary(plan),
    body: planCommentBody(plan, { ...run, ownershipTag: manifest.ownershipTag }),
    verdict: commentVerdict(plan),
    ...run,
  });
  const html = page(commentHtml(text));
  const dir = mkdtempSync(join(tmpdir(), 'ssm-replicate-shot-'));
  try {
    const file = join(dir, 'comment.html');
    writeFileSync(file, html);
    const chromium = (...args: string[]) =>
      execFileSync(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--hide-scrollbars',
          `--user-data-dir=${join(dir, 'profile')}`,
          `--window-size=${WIDTH},${args[0] ?? 1000}`,
          ...args.slice(1),
          pathToFileURL(file).href,
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
    // First pass: lay the page out and read its height, so the image is the comment and no empty canvas.
    const dom = chromium('1000', '--dump-dom', '--virtual-time-budget=2000');
    const height = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? 1250);
    chromium(String(height), `--screenshot=${out}`);
    console.log(`wrote ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** GFM as GitHub renders it, with diff blocks coloured line by line the way GitHub colours them. */
function commentHtml(markdown: string): string {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      code({ text, lang }) {
        const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        if (lang !== 'diff') return `<pre><code>${esc(text)}</code></pre>`;
        // GitHub colours a diff line by its first character: `+` green, `-` red, anything else plain.
        const cls = (line: string) => (line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '');
        const lines = text.split('\n').map((l) => `<span class="${cls(l)}">${esc(l)}</span>`);
        return `<pre><code>${lines.join('\n')}</code></pre>`;
      },
    },
  });
  // Sections stay as the comment has them (`<details open>` or collapsed); GitHub shows `> [!WARNING]` as
  // an alert titled by its kind.
  return (marked.parse(markdown) as string).replace(
    /<blockquote>\s*<p>\[!(NOTE|WARNING|CAUTION)\]\s*/g,
    (_m, kind: string) => {
      const title = kind.charAt(0) + kind.slice(1).toLowerCase();
      return `<blockquote class="${kind.toLowerCase()}"><p><b class="alert">${title}</b><br>`;
    },
  );
}

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 24px; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; }
  .comment { max-width: 900px; background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; }
  .head { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
  .head b { color: #1f2328; }
  .body { padding: 16px; }
  h3 { font-size: 1.25em; margin: 16px 0 8px; }
  code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: rgba(129,139,152,.12); padding: .2em .4em; border-radius: 6px; }
  pre { background: #f6f8fa; padding: 12px 16px; border-radius: 6px; overflow: auto; }
  pre code { background: none; padding: 0; line-height: 1.45; }
  .add { color: #116329; background: #dafbe1; display: inline-block; width: 100%; }
  .del { color: #82071e; background: #ffebe9; display: inline-block; width: 100%; }
  details summary { cursor: pointer; margin: 8px 0; }
  blockquote { margin: 0 0 16px; padding: 8px 16px; border-left: .25em solid #d1d9e0; color: #1f2328; }
  blockquote.warning { border-color: #9a6700; } blockquote.warning .alert { color: #9a6700; }
  blockquote.caution { border-color: #cf222e; } blockquote.caution .alert { color: #cf222e; }
  blockquote.note { border-color: #0969da; } blockquote.note .alert { color: #0969da; }
  sub { color: #59636e; }
  a { color: #0969da; text-decoration: none; }
  </style></head><body><div class="comment"><div class="head"><b>github-actions</b> <span>bot</span> commented</div>
  <div class="body">${body}</div></div>
  <script>
  const bottom = Math.ceil(document.querySelector('.comment').getBoundingClientRect().bottom) + 24;
  document.documentElement.dataset.height = String(bottom);
  </script>
  </body></html>`;
}
