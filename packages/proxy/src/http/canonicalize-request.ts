// The one canonical view of a request, decided before anything reads it: validated method, header names and
// values and authority; the path with the fragment stripped, %00 refused, escaped slashes handled and RFC 3986
// normalization applied. Routing, policy filters and the upstream all see this same :path.
import { firstValue, type HeaderMap } from './headers.ts';

export interface PathOptions {
  /** BASE: decode unreserved escapes once, `\` → `/`, resolve `.` and `..` segments. */
  readonly normalizePath: boolean;
  readonly mergeSlashes: boolean;
  readonly escapedSlashes: 'keep' | 'reject' | 'unescape-and-redirect' | 'unescape-and-forward';
}

export type CanonicalizeResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'reject'; readonly status: number; readonly details: string }
  | { readonly kind: 'redirect'; readonly location: string };

const METHOD = /^[A-Z][A-Z0-9_-]*$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;
const AUTHORITY = /^[A-Za-z0-9.\-_~!$&'()*+,;=:%[\]]+$/;
// Visible ASCII only: parsers already refuse raw spaces and controls on HTTP/1.1, HTTP/2 does not.
const PATH_CHARS = /^[\x21-\x7e]*$/;
const ESCAPED_SLASH = /%(?:2f|5c)/i;
const NUL_CR_LF = /[\0\r\n]/;

const reject = (status: number, details: string): CanonicalizeResult => ({ kind: 'reject', status, details });

function isUnreserved(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e
  );
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** One decoding pass over unreserved escapes (other escapes are upper-cased), and `\` → `/`. */
function decodeUnreserved(path: string): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === '%' && HEX.test(path.slice(i + 1, i + 3))) {
      const code = parseInt(path.slice(i + 1, i + 3), 16);
      out += isUnreserved(code) ? String.fromCharCode(code) : `%${path.slice(i + 1, i + 3).toUpperCase()}`;
      i += 2;
    } else {
      out += c === '\\' ? '/' : c;
    }
  }
  return out;
}

/** RFC 3986 §5.2.4, on a path that starts with `/`. */
export function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    if (segment === '.') {
      if (last) out.push('');
    } else if (segment === '..') {
      out.pop();
      if (last) out.push('');
    } else {
      out.push(segment);
    }
  }
  return `/${out.join('/')}`;
}

/**
 * Whether no normalization step can change the path: no escape, no backslash, no dot segment and no empty
 * segment (the path starts with `/`). Most paths are like this, and skip the decoding and splitting passes.
 */
function alreadyCanonical(path: string): boolean {
  let previous = 0;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    // `%`, `\`, `.`, and `/` right after `/`.
    if (code === 0x25 || code === 0x5c || code === 0x2e || (code === 0x2f && previous === 0x2f)) return false;
    previous = code;
  }
  return true;
}

/** The canonical form of a path without its query. */
export function canonicalPath(path: string, options: PathOptions): string {
  let p = path;
  if (
    options.escapedSlashes === 'unescape-and-forward' ||
    options.escapedSlashes === 'unescape-and-redirect'
  ) {
    p = p.replace(/%2f/gi, '/').replace(/%5c/gi, '\\');
  }
  if (options.normalizePath) p = removeDotSegments(decodeUnreserved(p));
  if (options.mergeSlashes) p = p.replace(/\/{2,}/g, '/');
  return p;
}

/** Absolute-form targets (`GET http://host/path`, sent to a proxy) become origin-form with that authority. */
function originForm(headers: HeaderMap, path: string): string | undefined {
  const m = /^https?:\/\/([^/?#]*)(.*)$/i.exec(path);
  if (!m) return path;
  const authority = m[1] as string;
  if (authority === '' || authority.includes('@')) return undefined;
  headers[':authority'] = authority;
  const rest = m[2] as string;
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/** Validates and rewrites `headers` in place (`:path`, `:authority`). */
export function canonicalizeRequest(headers: HeaderMap, options: PathOptions): CanonicalizeResult {
  const method = headers[':method'];
  if (typeof method !== 'string' || !METHOD.test(method)) return reject(400, 'invalid_method');
  for (const name in headers) {
    if (name.charCodeAt(0) !== 58 && !HEADER_NAME.test(name)) return reject(400, 'invalid_header_name');
    const value = headers[name] as string | string[];
    if (typeof value === 'string') {
      if (NUL_CR_LF.test(value)) return reject(400, 'invalid_header_value');
    } else {
      for (const v of value) if (NUL_CR_LF.test(v)) return reject(400, 'invalid_header_value');
    }
  }
  if (method === 'CONNECT') return reject(400, 'connect_not_supported');
  const rawPath = firstValue(headers, ':path');
  if (rawPath === undefined || rawPath === '') return reject(400, 'missing_path');
  if (!PATH_CHARS.test(rawPath)) return reject(400, 'invalid_path');
  const target = originForm(headers, rawPath);
  if (target === undefined) return reject(400, 'invalid_url');
  const authority = firstValue(headers, ':authority');
  if (authority === undefined || authority === '') return reject(400, 'missing_host_header');
  if (!AUTHORITY.test(authority)) return reject(400, 'invalid_authority');
  if (method === 'OPTIONS' && target === '*') return { kind: 'ok' };
  if (!target.startsWith('/')) return reject(400, 'invalid_path');
  const hash = target.indexOf('#');
  const withoutFragment = hash < 0 ? target : target.slice(0, hash);
  if (withoutFragment.includes('%00')) return reject(400, 'path_contains_nul');
  const q = withoutFragment.indexOf('?');
  const path = q < 0 ? withoutFragment : withoutFragment.slice(0, q);
  const query = q < 0 ? '' : withoutFragment.slice(q);
  if (options.escapedSlashes === 'reject' && ESCAPED_SLASH.test(path))
    return reject(400, 'path_has_escaped_slashes');
  const canonical = alreadyCanonical(path) ? path : canonicalPath(path, options);
  if (options.escapedSlashes === 'unescape-and-redirect' && ESCAPED_SLASH.test(path)) {
    return { kind: 'redirect', location: `${canonical}${query}` };
  }
  headers[':path'] = `${canonical}${query}`;
  return { kind: 'ok' };
}
