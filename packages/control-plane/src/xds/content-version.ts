// Versions derived from content: equal resources give equal versions, on every replica and after restarts.
import { createHash } from 'node:crypto';

/** Hex digits kept: 64 bits make a collision between two configs of one proxy practically impossible. */
const VERSION_LENGTH = 16;

export function resourceVersion(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, VERSION_LENGTH);
}

/** sha256 over the names (sorted) and serialized bytes of a set of resources. */
export function contentVersion(
  resources: Iterable<{ readonly name: string; readonly bytes: Uint8Array }>,
): string {
  const sorted = [...resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const hash = createHash('sha256');
  const length = Buffer.alloc(4);
  for (const resource of sorted) {
    // Length prefixes keep ("ab","c") and ("a","bc") apart.
    length.writeUInt32BE(Buffer.byteLength(resource.name));
    hash.update(length).update(resource.name);
    length.writeUInt32BE(resource.bytes.byteLength);
    hash.update(length).update(resource.bytes);
  }
  return hash.digest('hex').slice(0, VERSION_LENGTH);
}
