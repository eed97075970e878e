import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { median } from './report.js';

/** build.mjs is plain JS, imported by a path TypeScript does not resolve. */
const BUILD = '../build.mjs';
interface Entry {
  entryPoints: string[];
  outfile: string;
}

export interface ColdStartResult {
  node: string;
  runs: number;
  bundleKb: number;
  importMsMedian: number;
  importMsMin: number;
  /** CPU time (user + system) of the import: on a busy machine the wall time mostly measures the neighbours. */
  importCpuMsMedian: number;
}

/**
 * The Lambda's init phase as far as our code decides it: the time `import()` of the bundle takes in a fresh
 * Node process (module evaluation, which compiled the manifest schema before the validators were
 * precompiled), each run in its own process so no run profits from another's caches. The bundle is built
 * from build.mjs's own options, exactly as `npm run build` writes dist/lambda/index.mjs.
 */
export async function measureColdStart(runs: number): Promise<ColdStartResult> {
  const { entries, buildOptions } = (await import(BUILD)) as {
    entries: Entry[];
    buildOptions: (entry: Entry) => Record<string, unknown>;
  };
  const entry = entries.find((e) => e.outfile === 'dist/lambda/index.mjs');
  if (!entry) throw new Error('no Lambda entry (dist/lambda/index.mjs) in build.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'ssm-replicate-cold-'));
  try {
    const outfile = join(dir, 'index.mjs');
    await build({ ...buildOptions(entry), outfile, logLevel: 'silent' });
    const probe = [
      'const t = performance.now(), c = process.cpuUsage();',
      `await import(${JSON.stringify(pathToFileURL(outfile).href)});`,
      'const { user, system } = process.cpuUsage(c);',
      'console.log(performance.now() - t, (user + system) / 1000);',
    ].join(' ');
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', probe], {
        encoding: 'utf8',
        // The handler reads its configuration at the first invocation, not at import; a region keeps the
        // SDK's module-level code on the path it takes in Lambda.
        env: { ...process.env, AWS_REGION: 'ap-south-1' },
      });
      const [wallMs, cpuMs] = stdout.trim().split(' ').map(Number);
      times.push(wallMs as number);
      cpu.push(cpuMs as number);
    }
    return {
      node: process.version,
      runs,
      bundleKb: statSync(outfile).size / 1024,
      importMsMedian: median(times),
      importMsMin: Math.min(...times),
      importCpuMsMedian: median(cpu),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx bench/cold-start.ts [runs]`: this measurement alone, without the rest of the bench.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await measureColdStart(Number(process.argv[2] ?? 21));
  console.log(
    `Lambda bundle: ${r.bundleKb.toFixed(0)} KB; import ${r.importMsMedian.toFixed(1)} ms median, ${r.importMsMin.toFixed(1)} ms min, ${r.importCpuMsMedian.toFixed(1)} ms CPU median over ${r.runs} fresh processes (Node ${r.node})`,
  );
}
