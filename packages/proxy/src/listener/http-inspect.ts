// A pure reader of a plaintext connection's first bytes, as Envoy's http_inspector: the HTTP/2 prior-knowledge
// preface (`h2c`), an HTTP/1.x request line (`http/1.0`, `http/1.1`), or neither.

export const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
/** Envoy's http_inspector reads at most this much. */
export const MAX_HTTP_INSPECT_BYTES = 8192;

export type HttpInspection =
  | { readonly kind: 'need-more'; readonly needBytes: number }
  | { readonly kind: 'h2c' | 'http/1.0' | 'http/1.1' | 'not-http' };

const NOT_HTTP = { kind: 'not-http' } as const;
const H2C = { kind: 'h2c' } as const;

const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TOKEN[c.charCodeAt(0)] = 1;

/** `scannedTo`: bytes already known to hold no line end, so a trickling client costs linear work. */
export function inspectHttp(
  data: Uint8Array,
  scannedTo = 0,
  maxBytes = MAX_HTTP_INSPECT_BYTES,
): HttpInspection {
  const prefaceBytes = Math.min(data.length, HTTP2_PREFACE.length);
  if (prefaceBytes > 0 && HTTP2_PREFACE.subarray(0, prefaceBytes).equals(data.subarray(0, prefaceBytes)))
    return data.length >= HTTP2_PREFACE.length ? H2C : { kind: 'need-more', needBytes: HTTP2_PREFACE.length };
  let method = 0;
  while (method < data.length && TOKEN[data[method] ?? 0] === 1) method++;
  if (method < data.length && (method === 0 || data[method] !== 0x20)) return NOT_HTTP;
  const lineEnd = data.indexOf(0x0a, Math.max(scannedTo, method));
  if (lineEnd === -1)
    return data.length >= maxBytes ? NOT_HTTP : { kind: 'need-more', needBytes: data.length + 1 };
  const end = lineEnd > 0 && data[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
  const line = Buffer.from(data.subarray(0, end)).toString('latin1');
  const parts = line.split(' ');
  if (parts.length !== 3 || parts[1] === '') return NOT_HTTP;
  if (parts[2] === 'HTTP/1.1') return { kind: 'http/1.1' };
  if (parts[2] === 'HTTP/1.0') return { kind: 'http/1.0' };
  return NOT_HTTP;
}
