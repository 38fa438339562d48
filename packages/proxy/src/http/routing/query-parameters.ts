// The query string of a request as decoded parameters (parsed lazily, once per request) and the compiled
// QueryParameterMatcher that reads them; a repeated parameter matches when any of its values matches.
import type { QueryParameterMatcher } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { compileStringMatcher, type CompileResult } from './string-matcher.ts';

export type QueryParameters = ReadonlyMap<string, readonly string[]>;
export type QueryPredicate = (params: QueryParameters) => boolean;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseQuery(pathWithQuery: string): QueryParameters {
  const params = new Map<string, string[]>();
  const start = pathWithQuery.indexOf('?');
  if (start < 0) return params;
  for (const part of pathWithQuery.slice(start + 1).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? '' : decode(part.slice(eq + 1));
    const list = params.get(name);
    if (list) list.push(value);
    else params.set(name, [value]);
  }
  return params;
}

export function compileQueryMatcher(matcher: QueryParameterMatcher): CompileResult<QueryPredicate> {
  const name = matcher.name;
  const spec = matcher.queryParameterMatchSpecifier;
  if (spec.case === 'stringMatch') {
    const compiled = compileStringMatcher(spec.value);
    if ('error' in compiled) return { error: `query parameter ${name}: ${compiled.error}` };
    const test = compiled.value;
    return { value: (params) => params.get(name)?.some(test) ?? false };
  }
  // present_match, or nothing set: the parameter must be present.
  return { value: (params) => params.has(name) };
}
