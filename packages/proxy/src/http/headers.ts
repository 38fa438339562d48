// The header map the HTTP layer passes between codecs, filters and the router: lower-case names, pseudo-headers
// (`:method`, `:path`, `:authority`, `:scheme`) included, repeated headers kept as arrays of their values.

export type HeaderValue = string | string[];
export type HeaderMap = Record<string, HeaderValue>;
/** What upstream responses carry: the same shape, read-only. */
export type ReadonlyHeaderMap = Readonly<Record<string, string | readonly string[]>>;

export function createHeaderMap(): HeaderMap {
  return Object.create(null) as HeaderMap;
}

/** The first value, for headers that are single by nature (`:path`, `content-type`). */
export function firstValue(headers: ReadonlyHeaderMap, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : value?.[0];
}

/** Every value of a repeated header, one by one (policy checks must never see a joined string). */
export function allValues(headers: ReadonlyHeaderMap, name: string): readonly string[] {
  const value = headers[name];
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

export function appendValue(headers: HeaderMap, name: string, value: string): void {
  const existing = headers[name];
  if (existing === undefined) headers[name] = value;
  else if (typeof existing === 'string') headers[name] = [existing, value];
  else existing.push(value);
}

/** Node's raw `[name, value, name, value…]` list as a header map; the count is for the header-count limit. */
export function headerMapFromRaw(raw: readonly string[]): HeaderMap {
  const headers = createHeaderMap();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (typeof existing === 'string') headers[name] = [existing, value];
    else existing.push(value);
  }
  return headers;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus the ones HTTP/2 forbids; never forwarded in either direction. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

/** Drops hop-by-hop headers and every header the `connection` header names; pseudo-headers are kept. */
export function stripHopByHop(headers: HeaderMap, keepTrailersTe: boolean): void {
  const connection = headers['connection'];
  if (connection !== undefined) {
    if (typeof connection === 'string') dropConnectionTokens(headers, connection);
    else for (const value of connection) dropConnectionTokens(headers, value);
  }
  const te = firstValue(headers, 'te');
  // One pass over the (few) header names rather than a lookup per hop-by-hop name.
  for (const name in headers) if (HOP_BY_HOP.has(name)) delete headers[name];
  // gRPC needs `te: trailers` end to end; it is the only TE value HTTP/2 allows.
  if (
    keepTrailersTe &&
    te !== undefined &&
    te
      .toLowerCase()
      .split(',')
      .some((t) => t.trim() === 'trailers')
  ) {
    headers['te'] = 'trailers';
  }
}

/** Deletes the headers one `connection` value names (comma-separated tokens). */
function dropConnectionTokens(headers: HeaderMap, value: string): void {
  if (value.indexOf(',') < 0) {
    dropNamed(headers, value);
    return;
  }
  for (const token of value.split(',')) dropNamed(headers, token);
}

function dropNamed(headers: HeaderMap, token: string): void {
  const name = token.trim().toLowerCase();
  if (name !== '' && name.charCodeAt(0) !== 58 && headers[name] !== undefined) delete headers[name];
}
