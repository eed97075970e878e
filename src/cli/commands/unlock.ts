import { forceUnlock, type LockContent, readLock } from '../../apply/lock.js';
import { clip } from '../../render/escape.js';
import type { Command } from '../command.js';
import { jobContext, loadOrReport, manifestOption, reportRunError } from '../shared.js';

function describeHolder(content: LockContent | undefined, now: number): string {
  if (!content) return 'something that is not an ssm-replicate lock';
  const state = content.expires > now ? 'a live lease' : 'an expired lease';
  const pending = content.pending.length
    ? `; ${content.pending.length} interrupted replace(s) pending (${content.pending
        .slice(0, 5)
        .map((p) => `${clip(p.target, 64)} ${clip(p.name, 200)}`)
        .join(
          ', ',
        )}${content.pending.length > 5 ? ', …' : ''}): the next full apply re-creates them as creates`
    : '';
  return `${clip(content.owner, 200)} since ${new Date(content.since).toISOString()}, ${state} until ${new Date(content.expires).toISOString()}${pending}`;
}

export const unlockCommand: Command = {
  name: 'unlock',
  summary: "Release the manifest's apply lock by hand",
  description:
    "Deletes the manifest's apply lock (the parameter lock.ssm-replicate.<id> in the source region) after showing who held it. A lease that has not expired is only released with --force: an apply may still be running, and it stops writing at its next renewal. An expired lease needs no unlock: the next apply breaks it by itself.",
  options: {
    manifest: manifestOption,
    force: { type: 'boolean', description: 'Release a lease that has not expired yet' },
  },
  async run(options, ctx) {
    const manifest = await loadOrReport(options, ctx);
    if (!manifest) return 1;
    const job = jobContext(manifest, ctx);
    const { source } = manifest;
    const store = job.storeFor({
      region: source.region,
      ...(source.roleArn ? { roleArn: source.roleArn } : {}),
    });
    try {
      const found = await readLock(store, manifest.id);
      if (!found) {
        ctx.reporter.notify({ level: 'info', message: `No apply lock is held for manifest ${manifest.id}.` });
        return 0;
      }
      const now = job.clock.now();
      const held = describeHolder(found.content, now);
      if (found.content && found.content.expires > now && options.force !== true) {
        ctx.reporter.notify({
          level: 'error',
          code: 'lock-live',
          message: `The lock ${found.name} is held by ${held}. If that apply is gone, run unlock --force.`,
        });
        return 1;
      }
      await forceUnlock(store, manifest.id);
      ctx.reporter.notify({ level: 'info', message: `Released the lock ${found.name}, held by ${held}.` });
      return 0;
    } catch (error) {
      return reportRunError(error, ctx);
    }
  },
};
