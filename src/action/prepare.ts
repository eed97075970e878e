import type { Notice, Reporter } from '../io.js';
import type { JobContext } from '../jobs/context.js';
import { registerSecrets } from '../jobs/secrets.js';
import { issueNotice, loadManifest, type Manifest, ManifestError } from '../manifest/index.js';
import { RunStatus } from './constants.js';
import type { RunContext } from './context.js';
import type { AnnotationProperties } from './host.js';
import type { Outcome } from './outcome.js';

/** Core notices become log lines or annotations; a notice about a manifest line points at that line. */
export function actionReporter(ctx: RunContext): Reporter {
  const { host } = ctx;
  return {
    notify(notice: Notice) {
      const { position } = notice;
      const where: AnnotationProperties = position
        ? {
            file: position.file === ctx.manifestFile ? ctx.manifestKey : position.file,
            startLine: position.line,
            startColumn: position.column,
          }
        : {};
      if (notice.level === 'info') host.info(notice.message);
      else if (notice.level === 'warning') host.warning(notice.message, { title: 'ssm-replicate', ...where });
      else host.error(notice.message, { title: 'ssm-replicate', ...where });
    },
  };
}

async function loadOrAnnotate(ctx: RunContext, reporter: Reporter): Promise<Manifest | Outcome> {
  try {
    // A PR can replace the manifest with a link to /proc/self/environ or a runner file: only the checkout counts.
    const { manifest, warnings } = await loadManifest(ctx.manifestFile, {
      within: ctx.env.workspace,
      withinName: 'the workspace',
    });
    for (const w of warnings) reporter.notify(issueNotice(w, 'warning'));
    return manifest;
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    for (const w of error.warnings) reporter.notify(issueNotice(w, 'warning'));
    for (const issue of error.issues) reporter.notify(issueNotice(issue, 'error'));
    return {
      status: RunStatus.Invalid,
      failure: `${ctx.manifestKey} has ${error.issues.length} error(s); see the annotations on the file.`,
    };
  }
}

/**
 * What every route does first: the manifest (problems annotated on their lines), then AWS credentials.
 * A plan without credentials ends cleanly, since PRs from Dependabot and similar get no secrets and a red
 * X there would teach people to ignore it; an apply or drift check without them is a broken setup and fails.
 */
export async function prepare(
  ctx: RunContext,
  kind: 'plan' | 'apply' | 'drift',
): Promise<JobContext | Outcome> {
  const reporter = actionReporter(ctx);
  const loaded = await loadOrAnnotate(ctx, reporter);
  if ('status' in loaded) return loaded;
  const manifest = loaded;
  if (!(await ctx.deps.hasAwsCredentials())) {
    const why =
      'No AWS credentials in this job (e.g. aws-actions/configure-aws-credentials did not run, or secrets ' +
      'are withheld from this event)';
    if (kind === 'plan') {
      ctx.host.notice(`${why}: skipping the plan.`);
      return { status: RunStatus.Skipped };
    }
    return {
      status: RunStatus.Error,
      failure: `${why}: cannot ${kind === 'apply' ? 'apply' : 'check drift'}.`,
    };
  }
  return {
    manifest,
    storeFor: ctx.deps.storeFor(manifest, ctx.secrets),
    clock: ctx.deps.clock,
    reporter,
    onInventory: (inventories) => registerSecrets(inventories, ctx.secrets),
    onSecret: (value) => ctx.secrets.add(value),
  };
}
