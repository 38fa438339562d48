// Unix domain socket addresses (`unix:///path/to/socket` or the abstract `unix://@name`).

export const UNIX_PREFIX = 'unix://';

export function isUnixAddress(address: string): boolean {
  return address.startsWith(UNIX_PREFIX);
}

/** Why the socket path after `unix://` is unusable, or undefined. */
export function unixAddressProblem(address: string): string | undefined {
  const path = address.slice(UNIX_PREFIX.length);
  if (path.length === 0) return `"${address}" names no socket; write unix:///path/to/socket`;
  if (path.startsWith('@')) return undefined; // abstract socket namespace (Linux)
  if (!path.startsWith('/') || path.endsWith('/'))
    return `"${address}" must be an absolute path to a socket file, e.g. unix:///var/run/app.sock`;
  return undefined;
}
