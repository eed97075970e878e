import type { Inventories } from '../inventory/index.js';
import type { SecretRegistry } from '../render/redact.js';

/**
 * Adds every decrypted SecureString value of a read (a `--verify values` read; plans read none) to the
 * run's secrets, before anything from that
 * read is planned, rendered or logged. The AWS adapter has added them already as each response was
 * decoded; this covers any store. Which strings become masks (the whole value, its revealing lines)
 * is the registry's rule, `masksOf`.
 */
export function registerSecrets(inventories: Inventories, secrets: SecretRegistry): void {
  for (const region of [inventories.source, ...inventories.destinations.values()]) {
    for (const parameter of region.parameters.values()) {
      if (parameter.value?.secret) secrets.add(parameter.value.reveal());
    }
  }
}
