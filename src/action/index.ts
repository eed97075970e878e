// The GitHub Action entry (action.yml → dist/index.js): builds the real adapters and calls run(). Nothing
// else happens here; run.ts and routes/ hold the behaviour, tested with fakes and end to end.
import * as core from '@actions/core';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { awsSettings, sdkStoreFactory } from '../aws/factory.js';
import { systemClock } from '../rate/limiter.js';
import { VERSION } from '../version.js';
import { createOctokitPort } from './github/index.js';
import type { ActionHost } from './host.js';
import { run } from './run.js';

const host: ActionHost = {
  getInput: (name) => core.getInput(name),
  setOutput: (name, value) => core.setOutput(name, value),
  setSecret: (value) => core.setSecret(value),
  info: (message) => core.info(message),
  notice: (message, properties) => core.notice(message, properties),
  warning: (message, properties) => core.warning(message, properties),
  error: (message, properties) => core.error(message, properties),
  setFailed: (message) => core.setFailed(message),
  async writeSummary(markdown) {
    // Outside a runner (a local `node dist/index.js`) there is no summary file to write.
    if (!process.env.GITHUB_STEP_SUMMARY) return core.info(markdown);
    await core.summary.addRaw(markdown).write();
  },
  onCancel(listener) {
    // A listener replaces Node's default exit on these signals: the apply ends itself, reporting what it did.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => listener(signal));
  },
};

async function hasAwsCredentials(): Promise<boolean> {
  try {
    await fromNodeProviderChain()();
    return true;
  } catch {
    return false;
  }
}

await run({
  host,
  env: process.env,
  cwd: process.cwd(),
  github: ({ token, baseUrl }) =>
    createOctokitPort({ token, baseUrl, userAgent: `ssm-replicate-action/${VERSION}` }),
  storeFor: (manifest, secrets) =>
    sdkStoreFactory({ ...awsSettings(process.env, manifest.throughput), secrets }),
  hasAwsCredentials,
  clock: systemClock,
});
