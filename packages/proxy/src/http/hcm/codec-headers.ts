// Request headers from each codec into the one header map: HTTP/1.1 `Host` becomes `:authority`, HTTP/2
// cookie crumbs are joined; the header count is taken before anything is dropped.
import type { IncomingMessage } from 'node:http';
import { headerMapFromRaw, type HeaderMap } from '../headers.ts';

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
  const host = headers['host'];
  if (host !== undefined) delete headers['host'];
  headers[':method'] = req.method ?? '';
  headers[':path'] = req.url ?? '';
  headers[':scheme'] = tls ? 'https' : 'http';
  if (host !== undefined && typeof host !== 'string')
    return { headers, count, error: 'multiple_host_headers' };
  // Only `chunked` framing is accepted: other codings are where front and back ends disagree (smuggling).
  const codings = headers['transfer-encoding'];
  if (codings !== undefined) {
    if (typeof codings !== 'string' || codings.trim().toLowerCase() !== 'chunked') {
      return { headers, count, error: 'unsupported_transfer_encoding' };
    }
    // HTTP/1.0 has no chunked framing: a Transfer-Encoding there is a framing fault (RFC 9112 §6.1).
    if (req.httpVersion === '1.0') return { headers, count, error: 'transfer_encoding_on_http10' };
  }
  if (host !== undefined) headers[':authority'] = host;
  return { headers, count };
}

const REQUEST_PSEUDO_HEADERS = [':method', ':path', ':authority', ':scheme'] as const;

export function http2RequestHeaders(rawHeaders: readonly string[], tls: boolean): CodecHeaders {
  const headers = headerMapFromRaw(rawHeaders);
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if ((rawHeaders[i] as string).charCodeAt(0) !== 58) count++;
  const cookies = headers['cookie'];
  if (cookies !== undefined && typeof cookies !== 'string') headers['cookie'] = cookies.join('; ');
  const host = headers['host'];
  delete headers['host'];
  if (headers[':authority'] === undefined && typeof host === 'string') headers[':authority'] = host;
  if (headers[':scheme'] === undefined) headers[':scheme'] = tls ? 'https' : 'http';
  for (const pseudo of REQUEST_PSEUDO_HEADERS) {
    if (Array.isArray(headers[pseudo])) return { headers, count, error: 'repeated_pseudo_header' };
  }
  return { headers, count };
}
