import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerJob, WorkerReply, WorkerResult } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * Runs one job in a fresh child process. `--no-warnings` drops the SDK's Node-version notice, which would
 * otherwise be printed once per scenario into the table. `exposeGc` lets the worker measure its live heap;
 * the forced GC comes after the peak RSS has been reached, so it does not flatter that number. `heapMb`
 * caps V8's old space, as a memory-limited host (a 512 MB container or Lambda) does.
 */
export function runWorker(
  job: WorkerJob,
  options: { exposeGc?: boolean; heapMb?: number } = {},
): Promise<WorkerResult> {
  const execArgv = [
    '--import',
    'tsx',
    '--no-warnings',
    ...(options.exposeGc ? ['--expose-gc'] : []),
    ...(options.heapMb ? [`--max-old-space-size=${options.heapMb}`] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { execArgv, stdio: 'inherit' });
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
