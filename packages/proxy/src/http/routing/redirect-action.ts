// Envoy RedirectAction and DirectResponseAction compiled, and the Location a redirect answers with.
import {
  DirectResponseActionSchema,
  RedirectAction_RedirectResponseCode as Code,
  type DirectResponseAction as DirectResponseProto,
  type RedirectAction as RedirectProto,
} from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { DirectResponseAction, RedirectAction } from './compiled-route.ts';
import { compileSafeRewriteRegex } from './safe-regex.ts';
import type { CompileResult } from './string-matcher.ts';
import { firstUnsupportedField } from './unsupported-fields.ts';

const STATUS: Readonly<Record<number, number>> = {
  [Code.MOVED_PERMANENTLY]: 301,
  [Code.FOUND]: 302,
  [Code.SEE_OTHER]: 303,
  [Code.TEMPORARY_REDIRECT]: 307,
  [Code.PERMANENT_REDIRECT]: 308,
};

/** Envoy's default `max_direct_response_body_size_bytes`. */
export const DEFAULT_MAX_DIRECT_RESPONSE_BODY = 4096;

export function compileRedirect(redirect: RedirectProto): CompileResult<RedirectAction> {
  const status = STATUS[redirect.responseCode];
  if (status === undefined)
    return { error: `redirect.response_code ${redirect.responseCode} is not supported` };
  const scheme =
    redirect.schemeRewriteSpecifier.case === 'httpsRedirect'
      ? redirect.schemeRewriteSpecifier.value
        ? 'https'
        : undefined
      : redirect.schemeRewriteSpecifier.case === 'schemeRedirect'
        ? redirect.schemeRewriteSpecifier.value.toLowerCase()
        : undefined;
  const path = redirect.pathRewriteSpecifier;
  let regexRewrite: RedirectAction['regexRewrite'];
  if (path.case === 'regexRewrite') {
    const compiled = compileSafeRewriteRegex(path.value.pattern?.regex ?? '');
    if ('error' in compiled) return { error: `redirect.regex_rewrite: ${compiled.error}` };
    regexRewrite = { regex: compiled.regex, substitution: toJsSubstitution(path.value.substitution) };
  }
  return {
    value: {
      kind: 'redirect',
      status,
      ...(scheme !== undefined ? { scheme } : {}),
      ...(redirect.hostRedirect !== '' ? { host: redirect.hostRedirect } : {}),
      ...(redirect.portRedirect !== 0 ? { port: redirect.portRedirect } : {}),
      ...(path.case === 'pathRedirect' ? { path: path.value } : {}),
      ...(path.case === 'prefixRewrite' ? { prefixRewrite: path.value } : {}),
      ...(regexRewrite ? { regexRewrite } : {}),
      stripQuery: redirect.stripQuery,
    },
  };
}

/** RE2 substitutions write groups as `\1`; JavaScript as `$1`. */
export function toJsSubstitution(substitution: string): string {
  return substitution.replaceAll('$', '$$$$').replace(/\\(\d)/g, '$$$1');
}

export function compileDirectResponse(
  response: DirectResponseProto,
  maxBody: number,
): CompileResult<DirectResponseAction> {
  const unsupported = firstUnsupportedField(
    DirectResponseActionSchema,
    response,
    new Set(['status', 'body']),
  );
  if (unsupported) return { error: `field direct_response.${unsupported} is not supported` };
  if (response.status < 200 || response.status > 599) {
    return { error: `direct_response.status ${response.status} is outside 200-599` };
  }
  const spec = response.body?.specifier;
  let body: Uint8Array | undefined;
  if (spec?.case === 'inlineString') body = new TextEncoder().encode(spec.value);
  else if (spec?.case === 'inlineBytes') body = spec.value;
  else if (spec?.case !== undefined) return { error: `direct_response.body.${spec.case} is not supported` };
  if (body && body.length > maxBody) {
    return {
      error: `direct_response body is larger than ${maxBody} bytes (max_direct_response_body_size_bytes)`,
    };
  }
  return { value: { kind: 'direct-response', status: response.status, ...(body ? { body } : {}) } };
}

export interface RedirectRequest {
  readonly scheme: string;
  readonly authority: string;
  /** Path with query. */
  readonly path: string;
  readonly matchedPrefix?: string;
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

function splitAuthority(authority: string): { host: string; port?: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(authority);
  if (!m) return { host: authority };
  return { host: m[1] ?? authority, ...(m[2] !== undefined ? { port: m[2] } : {}) };
}

export function redirectLocation(action: RedirectAction, request: RedirectRequest): string {
  const scheme = action.scheme ?? request.scheme;
  const original = splitAuthority(request.authority);
  const host = action.host !== undefined ? splitAuthority(action.host) : original;
  let port = action.port !== undefined ? String(action.port) : (host.port ?? original.port);
  // A scheme change drops the old scheme's default port; the new scheme's default port is never written.
  if (action.port === undefined && action.scheme !== undefined && port === DEFAULT_PORTS[request.scheme]) {
    port = undefined;
  }
  if (port === DEFAULT_PORTS[scheme]) port = undefined;
  const q = request.path.indexOf('?');
  const pathOnly = q < 0 ? request.path : request.path.slice(0, q);
  let query = q < 0 ? '' : request.path.slice(q);
  let path = pathOnly;
  if (action.path !== undefined) {
    const rq = action.path.indexOf('?');
    path = rq < 0 ? action.path : action.path.slice(0, rq);
    if (rq >= 0) query = action.path.slice(rq);
  } else if (action.prefixRewrite !== undefined && request.matchedPrefix !== undefined) {
    path = action.prefixRewrite + pathOnly.slice(request.matchedPrefix.length);
  } else if (action.regexRewrite) {
    path = pathOnly.replace(action.regexRewrite.regex, action.regexRewrite.substitution);
  }
  if (action.stripQuery) query = '';
  return `${scheme}://${host.host}${port !== undefined ? `:${port}` : ''}${path}${query}`;
}
