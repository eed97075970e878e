/**
 * Ctrl-C, as terraform takes it: the first interrupt asks whoever listens (an apply) to stop after the
 * writes in flight; with nobody listening, or on the second interrupt, the process exits 130 at once.
 * An apply's journal line is on disk before each write starts, so even then every write is journaled.
 */
export function interruptHub(exit: (code: number) => void, say: (text: string) => void) {
  const listeners = new Set<() => void>();
  let received = 0;
  return {
    onInterrupt(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    interrupt(): void {
      received++;
      if (received > 1) say('\nInterrupted again: stopping now, without waiting for the writes in flight.\n');
      else if (listeners.size === 0) say('\nInterrupted.\n');
      if (received > 1 || listeners.size === 0) exit(130);
      else for (const listener of listeners) listener();
    },
  };
}
