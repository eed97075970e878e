// The GitHub Action entry (action.yml → dist/index.js). A first version: it validates the manifest and
// reports each problem as an annotation on the file and line.
import * as core from '@actions/core';
import type { Notice, Reporter } from '../io.js';
import { issueNotice, loadManifest, ManifestError, summarize } from '../manifest/index.js';
import { parseActionInputs } from './inputs.js';

const reporter: Reporter = {
  notify(notice: Notice) {
    const { position } = notice;
    const where = position && { file: position.file, startLine: position.line, startColumn: position.column };
    if (notice.level === 'info') core.info(notice.message);
    else if (notice.level === 'warning')
      core.warning(notice.message, { title: 'Manifest warning', ...where });
    else core.error(notice.message, { title: 'Invalid manifest', ...where });
  },
};

try {
  const { manifestPath } = parseActionInputs((name) => core.getInput(name));
  try {
    const { manifest, warnings } = await loadManifest(manifestPath);
    for (const warning of warnings) reporter.notify(issueNotice(warning, 'warning'));
    reporter.notify({ level: 'info', message: `${manifestPath} is valid: ${summarize(manifest)}` });
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    for (const warning of error.warnings) reporter.notify(issueNotice(warning, 'warning'));
    for (const issue of error.issues) reporter.notify(issueNotice(issue, 'error'));
    core.setFailed(`${manifestPath} has ${error.issues.length} error(s); see the annotations`);
  }
} catch (error) {
  core.setFailed(error instanceof Error ? error.message : String(error));
}
