import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerJob, WorkerReply, WorkerResult } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * Runs one job in a fresh child process. `--no-warnings` drops the SDK's Node-version notice, which would
 * otherwise be printed once per scenario into the table.
 */
export function runWorker(job: WorkerJob): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv: ['--import', 'tsx', '--no-warnings'], stdio: 'inherit' });
    let answered = false;
    child.once('message', (reply: WorkerReply) => {
      answered = true;
      if (reply.ok) resolve(reply.result);
      else reject(new Error(`bench worker failed: ${reply.error}`));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`bench worker exited with code ${code} before answering`));
    });
    child.send(job);
  });
}
