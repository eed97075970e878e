import type { Manifest } from './types.js';

/** "2 replications, 3 paths, 2 destination regions": what a manifest covers, in one line. */
export function summarize(manifest: Manifest): string {
  const paths = new Set(manifest.replications.flatMap((r) => r.paths));
  const regions = new Set(manifest.replications.flatMap((r) => r.destinations.map((d) => d.region)));
  return [
    count(manifest.replications.length, 'replication'),
    count(paths.size, 'path'),
    count(regions.size, 'destination region'),
  ].join(', ');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
