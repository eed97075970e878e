import { type FileHandle, open } from 'node:fs/promises';
import type { JournalEntry } from '../apply/types.js';
import type { SecretRegistry } from '../render/redact.js';
import { sanitizeDocument } from '../render/sanitize.js';

export interface JournalFile {
  record(entry: JournalEntry): Promise<void>;
  close(): Promise<void>;
}

/** The journal could not be opened (before anything was written) or a record could not be made durable. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
}

/**
 * Opens `--journal` for appending before anything is read or written, so an unwritable path fails the run
 * up front. Each record is appended and fsynced before the promise settles, one at a time, and apply
 * awaits it before the write it announces: after a crash, every write that may have reached AWS has its
 * line on disk. A file is an output channel like any other: each line goes through the sanitizer.
 */
export async function openJournal(path: string, secrets: SecretRegistry): Promise<JournalFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'a');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new JournalError(
      `cannot open the journal ${path} for appending (${e.code ?? e.message}); nothing was written`,
    );
  }
  let queue: Promise<void> = Promise.resolve();
  return {
    record(entry) {
      const run = queue.then(async () => {
        try {
          await handle.appendFile(sanitizeDocument(`${JSON.stringify(entry)}\n`, secrets));
          await handle.sync();
        } catch (error) {
          const e = error as NodeJS.ErrnoException;
          throw new JournalError(`the journal ${path} could not be written (${e.code ?? e.message})`);
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await queue;
      await handle.close();
    },
  };
}
