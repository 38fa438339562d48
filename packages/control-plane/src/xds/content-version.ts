// Versions derived from content: equal resources give equal versions, on every replica and after restarts.
import { createHash } from 'node:crypto';

/** Hex digits kept: 64 bits make a collision between two configs of one proxy practically impossible. */
export const VERSION_LENGTH = 16;

export function resourceVersion(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, VERSION_LENGTH);
}

/**
 * sha256 over the names (sorted) and per-resource versions of a set of resources. The per-resource versions
 * are content hashes already, so the set's version follows its content without hashing every byte again.
 */
export function contentVersion(
  resources: Iterable<{ readonly name: string; readonly version: string }>,
): string {
  const sorted = [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash('sha256');
  // The name's length keeps ("ab", version) and ("a", "b" + version) apart; versions have a fixed length.
  for (const resource of sorted) hash.update(`${resource.name.length}:${resource.name}${resource.version}`);
  return hash.digest('hex').slice(0, VERSION_LENGTH);
}
