import type { Inventories } from '../inventory/index.js';

/**
 * Registers every decrypted SecureString value of a read with the runner's masking, before anything from
 * that read is planned, rendered or logged. Each line of a multi-line value is registered too: the runner
 * matches masks line by line, so a whole-value mask alone would not hide a printed line of it.
 */
export function registerSecrets(inventories: Inventories, setSecret: (value: string) => void): number {
  const seen = new Set<string>();
  for (const region of [inventories.source, ...inventories.destinations.values()]) {
    for (const parameter of region.parameters.values()) {
      if (!parameter.value.secret) continue;
      const value = parameter.value.reveal();
      for (const part of [value, ...value.split(/\r?\n/)]) {
        const trimmed = part.trim();
        if (trimmed === '' || seen.has(trimmed)) continue;
        seen.add(trimmed);
        setSecret(trimmed);
      }
    }
  }
  return seen.size;
}
