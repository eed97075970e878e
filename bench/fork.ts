import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { WorkerJob, WorkerReply, WorkerResult } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** build.mjs is plain JS without types. */
const BUILD = '../build.mjs';

let bundle: Promise<string> | undefined;

/**
 * The worker bundled with the options of the shipped bundles (build.mjs: esbuild, one ESM file), built
 * once per bench run into a temporary folder. Under tsx a process also holds the loader, every source
 * file's transpiled text and its source map: about 20 MB that no user's process has.
 */
function bundledWorker(): Promise<string> {
  bundle ??= (async () => {
    const { buildOptions } = (await import(BUILD)) as {
      buildOptions: (entry: { entryPoints: string[]; outfile: string }) => Record<string, unknown>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'ssm-replicate-bench-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const outfile = join(dir, 'worker.mjs');
    await build({ ...buildOptions({ entryPoints: [WORKER], outfile }), logLevel: 'silent' });
    return outfile;
  })();
  return bundle;
}

/** V8's old space and semi-space sizes, in MB, as Node picks them on a host. */
export interface HostHeap {
  oldSpaceMb: number;
  semiSpaceMb: number;
}

/**
 * Runs one job in a fresh child process. `--no-warnings` drops the SDK's Node-version notice, which would
 * otherwise be printed once per scenario into the table. `exposeGc` lets the worker measure its live heap;
 * the forced GC comes after the peak RSS has been reached, so it does not flatter that number. `heap`
 * sizes V8's heap as a memory-limited host does (see HostHeap). `bundled` runs the
 * worker as built for users (see bundledWorker) rather than from source under tsx.
 */
export async function runWorker(
  job: WorkerJob,
  options: { exposeGc?: boolean; heap?: HostHeap; bundled?: boolean } = {},
): Promise<WorkerResult> {
  const worker = options.bundled ? await bundledWorker() : WORKER;
  const execArgv = [
    ...(options.bundled ? [] : ['--import', 'tsx']),
    '--no-warnings',
    ...(options.exposeGc ? ['--expose-gc'] : []),
    ...(options.heap
      ? [
          `--max-old-space-size=${options.heap.oldSpaceMb}`,
          `--max-semi-space-size=${options.heap.semiSpaceMb}`,
        ]
      : []),
  ];
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], { execArgv, stdio: 'inherit' });
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
