// The request headers sent upstream: connection-specific headers never cross a hop (they belong to the
// downstream connection), pseudo-headers are rebuilt per protocol, and Host/:authority come from the request.
import type { UpstreamHttpRequest } from '../cluster-view.ts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'host',
  'expect',
]);

function skip(name: string, value: string | readonly string[]): boolean {
  if (name.charCodeAt(0) === 58 /* : */ || HOP_BY_HOP.has(name)) return true;
  // TE may only say "trailers" past a hop (RFC 9110 and HTTP/2's rules).
  return name === 'te' && value !== 'trailers';
}

/** undici's flat `[name, value, …]` form, Host first. */
export function http1Headers(request: UpstreamHttpRequest): (string | string[])[] {
  const out: (string | string[])[] = ['host', request.authority];
  const headers = request.headers;
  for (const name in headers) {
    const value = headers[name] as string | readonly string[];
    if (skip(name, value)) continue;
    out.push(name, typeof value === 'string' ? value : [...value]);
  }
  return out;
}

/** node:http2's header object with the request pseudo-headers. */
export function http2Headers(
  request: UpstreamHttpRequest,
  scheme: string,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {
    ':method': request.method,
    ':path': request.path,
    ':authority': request.authority,
    ':scheme': scheme,
  };
  const headers = request.headers;
  for (const name in headers) {
    const value = headers[name] as string | readonly string[];
    if (skip(name, value)) continue;
    out[name] = typeof value === 'string' ? value : [...value];
  }
  return out;
}
