// Value formats inside AuthorizationPolicy rules: path templates, wildcard placement and service accounts.
import { isDns1123Label, isDns1123Subdomain } from '../common/values.ts';

export const MATCH_ONE_SEGMENT = '{*}';
export const MATCH_ANY_SEGMENTS = '{**}';

// Characters RFC 3986 allows in a path segment (pchar): unreserved, percent-encoded, sub-delims, ':' and '@'.
const PATH_LITERAL = /^[A-Za-z0-9\-._~%!$&'()+,;=:@]+$/;

export function isPathTemplate(path: string): boolean {
  return path.includes(MATCH_ONE_SEGMENT) || path.includes(MATCH_ANY_SEGMENTS);
}

/**
 * Returns why a path that uses `{*}` / `{**}` is not a template Envoy can compile, or undefined.
 * Paths without templates are plain exact/prefix/suffix matches and are not judged here.
 */
export function pathTemplateProblem(path: string): string | undefined {
  const usesTemplate = isPathTemplate(path);
  if (!usesTemplate) {
    return /[{}]/.test(path)
      ? `"${path}" has "{" or "}" but no "{*}" or "{**}" template; only those two operators are supported, each as a whole path segment`
      : undefined;
  }
  let sawMatchAny = false;
  const segments = path.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  for (const segment of segments) {
    if (segment === MATCH_ONE_SEGMENT || segment === MATCH_ANY_SEGMENTS) {
      if (sawMatchAny) {
        return `in "${path}", "{**}" must be the last template operator; nothing templated may follow it`;
      }
      sawMatchAny = segment === MATCH_ANY_SEGMENTS;
      continue;
    }
    if (/[{}]/.test(segment)) {
      return `in "${path}", the segment "${segment}" mixes text with a template; "{*}" and "{**}" must each be a whole path segment, and named variables like "{id}" are not supported`;
    }
    if (segment.includes('*')) {
      return `in "${path}", the segment "${segment}" uses a "*" glob; in a templated path write "{*}" for one segment or "{**}" for the rest`;
    }
    if (segment === '') {
      return `"${path}" has an empty segment ("//"); remove the extra "/"`;
    }
    if (!PATH_LITERAL.test(segment)) {
      return `in "${path}", the segment "${segment}" has characters that are not allowed in a URL path; percent-encode them`;
    }
  }
  return undefined;
}

/** A `*` that is neither the whole value nor a single leading/trailing wildcard is matched literally. */
export function hasMisplacedWildcard(value: string): boolean {
  if (value === '*') return false;
  return value.replace(/^\*/, '').replace(/\*$/, '').includes('*');
}

/** Checks a service account as `serviceAccounts` and `source.serviceAccount` take it: `[namespace/]name`. */
export function serviceAccountProblem(value: string): string | undefined {
  if (value.includes('*')) {
    return `"${value}" has a wildcard; service accounts match exactly (use "namespaces" to match a whole namespace)`;
  }
  const parts = value.split('/');
  if (parts.length > 2) {
    return `"${value}" is not a service account; write "<namespace>/<service-account>" or just "<service-account>" (for a full identity use "principals")`;
  }
  const name = parts[parts.length - 1] ?? '';
  const namespace = parts.length === 2 ? (parts[0] ?? '') : undefined;
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    return `"${value}" has an invalid namespace "${namespace}"; write "<namespace>/<service-account>"`;
  }
  if (!isDns1123Subdomain(name)) {
    return `"${value}" has an invalid service account name "${name}"; use lower-case letters, digits, "-" and "."`;
  }
  return undefined;
}
