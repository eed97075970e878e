import {
  DEFAULT_MANIFEST_PATH,
  issueNotice,
  loadManifest,
  ManifestError,
  summarize,
} from '../../manifest/index.js';
import type { Command } from '../command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check the manifest and report every problem',
  description:
    'Reads the manifest, checks it against the schema and the naming and replication rules, and reports every problem as file:line:column. Exits 0 when the manifest is valid, 1 otherwise. Makes no AWS calls.',
  options: {
    manifest: {
      type: 'string',
      valueName: 'PATH',
      description: 'Manifest file to check',
      default: DEFAULT_MANIFEST_PATH,
    },
  },
  async run(options, { reporter }) {
    const path = typeof options.manifest === 'string' ? options.manifest : DEFAULT_MANIFEST_PATH;
    try {
      const { manifest, warnings } = await loadManifest(path);
      for (const warning of warnings) reporter.notify(issueNotice(warning, 'warning'));
      reporter.notify({ level: 'info', message: `valid: ${summarize(manifest)}` });
      return 0;
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      for (const warning of error.warnings) reporter.notify(issueNotice(warning, 'warning'));
      for (const issue of error.issues) reporter.notify(issueNotice(issue, 'error'));
      const count = error.issues.length;
      reporter.notify({
        level: 'error',
        message: `invalid: ${count} error${count === 1 ? '' : 's'} in ${path}`,
      });
      return 1;
    }
  },
};
