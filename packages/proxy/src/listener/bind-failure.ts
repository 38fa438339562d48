// How a listener socket that could not be bound is described: in the NACK's error_detail, the log and the
// admin page — the address and the errno, the way Envoy words it.
import type { ListenAddress } from './listener-address.ts';

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EAFNOSUPPORT: 'address family not supported',
};

/** `cannot bind 127.0.0.1:8080: EADDRINUSE (address already in use)`. */
export function describeBindFailure(address: ListenAddress, error: unknown): string {
  const where = address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `cannot bind ${where}: ${code} (${REASONS[code] ?? reasonOf(error)})`;
  return `cannot bind ${where}: ${reasonOf(error)}`;
}

/** Node's `listen EACCES: permission denied 0.0.0.0:80` → `permission denied`. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^\w+ [A-Z]+: (.*?)(?: \S+:\d+)?$/.exec(message);
  return match?.[1] ?? message;
}
