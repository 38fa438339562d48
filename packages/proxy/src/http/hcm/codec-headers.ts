// Request headers from each codec into the one header map: HTTP/1.1 `Host` becomes `:authority`, HTTP/2
// cookie crumbs are joined; the header count is taken before anything is dropped.
import type { IncomingMessage } from 'node:http';
import { allValues, headerMapFromRaw, type HeaderMap } from '../headers.ts';

export interface CodecHeaders {
  readonly headers: HeaderMap;
  /** Regular (non-pseudo) header fields received. */
  readonly count: number;
  /** Set when the request is malformed in a way only this codec can see. */
  readonly error?: string;
}

export function http1RequestHeaders(req: IncomingMessage, tls: boolean): CodecHeaders {
  const headers = headerMapFromRaw(req.rawHeaders);
  const count = req.rawHeaders.length / 2;
  const hosts = allValues(headers, 'host');
  delete headers['host'];
  headers[':method'] = req.method ?? '';
  headers[':path'] = req.url ?? '';
  headers[':scheme'] = tls ? 'https' : 'http';
  if (hosts.length > 1) return { headers, count, error: 'multiple_host_headers' };
  // Only `chunked` framing is accepted: other codings are where front and back ends disagree (smuggling).
  const codings = allValues(headers, 'transfer-encoding');
  if (codings.length > 1 || (codings[0] !== undefined && codings[0].trim().toLowerCase() !== 'chunked')) {
    return { headers, count, error: 'unsupported_transfer_encoding' };
  }
  // HTTP/1.0 has no chunked framing: a Transfer-Encoding there is a framing fault (RFC 9112 §6.1).
  if (codings.length > 0 && req.httpVersion === '1.0') {
    return { headers, count, error: 'transfer_encoding_on_http10' };
  }
  if (hosts[0] !== undefined) headers[':authority'] = hosts[0];
  return { headers, count };
}

export function http2RequestHeaders(rawHeaders: readonly string[], tls: boolean): CodecHeaders {
  const headers = headerMapFromRaw(rawHeaders);
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (!(rawHeaders[i] as string).startsWith(':')) count++;
  const cookies = allValues(headers, 'cookie');
  if (cookies.length > 1) headers['cookie'] = cookies.join('; ');
  const host = headers['host'];
  delete headers['host'];
  if (headers[':authority'] === undefined && typeof host === 'string') headers[':authority'] = host;
  if (headers[':scheme'] === undefined) headers[':scheme'] = tls ? 'https' : 'http';
  for (const pseudo of [':method', ':path', ':authority', ':scheme']) {
    if (Array.isArray(headers[pseudo])) return { headers, count, error: 'repeated_pseudo_header' };
  }
  return { headers, count };
}
