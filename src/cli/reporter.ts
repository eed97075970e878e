import { formatNotice, type Notice, type Reporter } from '../io.js';

interface Sink {
  write(text: string): unknown;
}

/** Results on stdout, problems on stderr, so `ssm-replicate validate > summary.txt` keeps them apart. */
export function streamReporter(stdout: Sink, stderr: Sink): Reporter {
  return {
    notify(notice: Notice) {
      (notice.level === 'info' ? stdout : stderr).write(`${formatNotice(notice)}\n`);
    },
  };
}
