import type { Manifest } from '../manifest/types.js';
import { replicates } from '../plan/names.js';
import { type Change, parseEvent } from './events.js';

export type Decision =
  | { kind: 'run'; region: string; names: string[]; trigger: string; change: Change; outside: number }
  | { kind: 'ignore'; reason: string; region?: string; names?: string[]; trigger?: string };

/**
 * Which names, if any, an event asks us to look at. Loop safety lives here: replicas are written in the
 * destination regions, so an event from any region other than the source is never acted on, whatever
 * its names — even when a destination path also matches a source path.
 */
export function route(event: unknown, manifest: Manifest): Decision {
  const intent = parseEvent(event);
  if (intent.kind === 'ignore') return intent;
  const { region, trigger } = intent;
  const source = manifest.source.region;
  if (region !== source) {
    return {
      kind: 'ignore',
      reason: `event from ${region}, not the source region ${source}`,
      region,
      names: intent.names,
      trigger,
    };
  }
  const names = intent.names.filter((n) => manifest.replications.some((r) => replicates(r, n)));
  if (names.length === 0) {
    return {
      kind: 'ignore',
      reason: 'no name is under a replicated path',
      region,
      names: intent.names,
      trigger,
    };
  }
  return {
    kind: 'run',
    region,
    names,
    trigger,
    change: intent.change,
    outside: intent.names.length - names.length,
  };
}
