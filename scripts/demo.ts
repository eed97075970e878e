// `npm run demo`: the main job end to end against the local multi-region endpoint — plan, apply,
// status, a hand edit in a destination, drift detected, apply fixes it. Nothing leaves this machine.

import { streamReporter } from '../src/cli/reporter.js';
import { runCli } from '../src/cli/run.js';
import { SecretRegistry } from '../src/render/redact.js';
import { startEndpoint } from '../test/endpoint/index.js';

const SOURCE = 'ap-south-1';
const MANIFEST = 'config/replication.yaml';

const endpoint = await startEndpoint();
const env = {
  ...process.env,
  AWS_ENDPOINT_URL: endpoint.url,
  AWS_ACCESS_KEY_ID: 'AKIADEMODEMODEMO',
  AWS_SECRET_ACCESS_KEY: 'demo',
  AWS_REGION: SOURCE,
};
// The SDK's credential chain reads the process environment.
Object.assign(process.env, env);

// The seed's parameters and a realistic neighbourhood: SecureStrings, a StringList, an Advanced
// parameter, tagged and untagged ones, a parameter the manifest excludes, a KMS key per region.
const { state } = endpoint;
for (const region of ['us-east-1', 'eu-west-1']) state.createKey({ region, alias: 'alias/prod-key' });
state.putParameter({
  region: SOURCE,
  name: '/prod/app/DB_PASSWORD',
  type: 'SecureString',
  value: 'correct-horse-battery',
  tags: { team: 'payments' },
});
state.putParameter({
  region: SOURCE,
  name: '/prod/app/API_KEY',
  type: 'SecureString',
  value: 'sk_live_51Hdemo',
});
state.putParameter({
  region: SOURCE,
  name: '/prod/api/JWT_SECRET',
  type: 'SecureString',
  value: 'jwt-signing-key',
  tags: { rotation: '90d' },
});
state.putParameter({
  region: SOURCE,
  name: '/prod/app/DB_HOST',
  type: 'String',
  value: 'db.prod.internal',
  description: 'Primary database host',
});
state.putParameter({
  region: SOURCE,
  name: '/prod/app/ALLOWED_ORIGINS',
  type: 'StringList',
  value: 'https://example.com,https://app.example.com',
});
state.putParameter({
  region: SOURCE,
  name: '/prod/app/FEATURE_FLAGS',
  type: 'String',
  tier: 'Advanced',
  value: JSON.stringify({ checkout: true, banner: 'x'.repeat(4200) }),
});
state.putParameter({ region: SOURCE, name: '/prod/app/local/DEBUG', type: 'String', value: 'true' });
state.putParameter({
  region: SOURCE,
  name: '/staging/app/DB_HOST',
  type: 'String',
  value: 'db.staging.internal',
});

const reporter = streamReporter(process.stdout, process.stderr);
const cli = async (title: string, ...argv: string[]) => {
  process.stdout.write(`\n━━ ${title}\n$ ssm-replicate ${argv.join(' ')}\n\n`);
  const code = await runCli(argv, {
    reporter,
    env,
    stdout: process.stdout,
    stderr: process.stderr,
    secrets: new SecretRegistry(),
  });
  process.stdout.write(`(exit ${code})\n`);
  return code;
};

let failed = false;
const expect = (code: number, wanted: number, what: string) => {
  if (code !== wanted) {
    process.stderr.write(`demo: ${what} exited ${code}, expected ${wanted}\n`);
    failed = true;
  }
};

try {
  process.stdout.write(`Local endpoint ${endpoint.url}; source ${SOURCE}; manifest ${MANIFEST}\n`);
  expect(
    await cli('1. Plan: what would change', 'plan', '--manifest', MANIFEST, '--detailed-exitcode'),
    2,
    'plan',
  );
  expect(await cli('2. Apply it', 'apply', '--manifest', MANIFEST), 0, 'apply');
  expect(await cli('3. Status: every replica in sync', 'status', '--manifest', MANIFEST), 0, 'status');

  process.stdout.write('\n━━ 4. Someone edits a replica by hand in us-east-1\n');
  state.putParameter({
    region: 'us-east-1',
    name: '/prod/app/DB_HOST',
    type: 'String',
    value: 'db.hand-edited.internal',
    tags: { 'ssm-replicate:managed-by': 'ssm-replicate', 'replicated-by': 'ssm-replicate' },
  });
  expect(await cli('5. Drift detected (exit 2)', 'drift', '--manifest', MANIFEST), 2, 'drift');
  expect(await cli('6. Apply fixes it', 'apply', '--manifest', MANIFEST), 0, 'second apply');
  expect(await cli('7. No drift left', 'drift', '--manifest', MANIFEST), 0, 'final drift');
} finally {
  await endpoint.stop();
}
process.stdout.write(
  failed
    ? '\nDemo FAILED (see above).\n'
    : '\nDemo complete: plan → apply → status → drift → apply → in sync.\n',
);
process.exitCode = failed ? 1 : 0;
