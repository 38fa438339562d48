// Header names and values in VirtualService matches and header operations, as Envoy will accept them.
import { COMMON_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { isRecord, listAt, recordAt, stringAt, type Obj } from '../value-checks.ts';

// RFC 7230 token characters: what may appear in a header name on the wire.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// Pseudo-headers people try to match, and the match field that does it.
const PSEUDO_MATCH_FIELD: Readonly<Record<string, string>> = {
  ':authority': 'authority',
  ':method': 'method',
  ':path': 'uri',
  ':scheme': 'scheme',
};

export function headerNameProblem(name: string): string | undefined {
  if (name === '') return 'header name must not be empty';
  if (!TOKEN.test(name))
    return `"${name}" is not a valid header name; use letters, digits and "-" (for example x-request-id)`;
  return undefined;
}

/** Header names in `match.headers` / `withoutHeaders` (JWT claim keys are handled by the caller). */
export function matchHeaderNameProblem(name: string): string | undefined {
  if (name.startsWith(':')) {
    const field = PSEUDO_MATCH_FIELD[name.toLowerCase()];
    return field
      ? `pseudo-header "${name}" cannot be matched as a header; use the "${field}" field of the match instead`
      : `"${name}" is not a header that can be matched; pseudo-headers are matched with the uri, scheme, method and authority fields`;
  }
  return headerNameProblem(name);
}

export function isAuthorityHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'host' || lower === ':authority';
}

// Names for removal and for response headers: Host and pseudo-headers are managed by the proxy there.
function operationNameProblem(name: string): string | undefined {
  if (name === '') return 'header name must not be empty';
  if (isAuthorityHeader(name))
    return `"${name}" can only be changed on requests with set or add (or with rewrite.authority)`;
  if (name.startsWith(':')) return `pseudo-header "${name}" cannot be changed by header operations`;
  return headerNameProblem(name);
}

// Envoy reads `%NAME%` / `%NAME(args)%` as a variable and `%%` as a literal percent sign.
const VARIABLE = /^%[A-Z][A-Z0-9_]*(?:\([^)]*\))?(?::\d+)?%/;

export function headerValueProblem(value: string): string | undefined {
  if (/[\0\r\n]/.test(value)) return 'header values cannot contain line breaks or NUL characters';
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '%') continue;
    if (value[i + 1] === '%') {
      i++;
      continue;
    }
    const variable = VARIABLE.exec(value.slice(i));
    if (!variable) {
      return `"${value}" has a lone "%"; write "%%" for a literal percent sign, or %VARIABLE% for a proxy variable such as %DOWNSTREAM_REMOTE_ADDRESS%`;
    }
    i += variable[0].length - 1;
  }
  return undefined;
}

/** Checks `headers: {request|response: {set, add, remove}}` of a rule or a route destination. */
export function checkHeaderOperations(ctx: RuleContext, headers: unknown, path: FieldPath): void {
  if (!isRecord(headers)) return;
  for (const side of ['request', 'response'] as const) {
    const ops = recordAt(headers, side);
    if (!ops) continue;
    for (const op of ['set', 'add'] as const) {
      const map = recordAt(ops, op);
      if (!map) continue;
      for (const [name, value] of Object.entries(map)) {
        const at = [...path, side, op, name];
        const nameProblem =
          side === 'request' && isAuthorityHeader(name) ? undefined : operationNameProblem(name);
        if (nameProblem) ctx.error(COMMON_CODES.HEADER_NAME_INVALID, at, nameProblem);
        const valueProblem = typeof value === 'string' ? headerValueProblem(value) : undefined;
        if (valueProblem) ctx.error(COMMON_CODES.HEADER_VALUE_INVALID, at, valueProblem);
      }
    }
    listAt(ops, 'remove').forEach((name, index) => {
      const problem = typeof name === 'string' ? operationNameProblem(name) : undefined;
      if (problem) ctx.error(COMMON_CODES.HEADER_NAME_INVALID, [...path, side, 'remove', index], problem);
    });
  }
}

/** The authority (Host) may be rewritten in one place only: rewrite.authority or one request header op. */
export function checkAuthoritySetOnce(ctx: RuleContext, route: Obj, path: FieldPath): void {
  const sources: Array<{ readonly at: FieldPath; readonly label: string }> = [];
  const rewrite = recordAt(route, 'rewrite');
  if (rewrite && stringAt(rewrite, 'authority')) {
    sources.push({ at: [...path, 'rewrite', 'authority'], label: 'rewrite.authority' });
  }
  const request = recordAt(recordAt(route, 'headers') ?? {}, 'request');
  for (const op of ['set', 'add'] as const) {
    const map = request ? recordAt(request, op) : undefined;
    for (const name of Object.keys(map ?? {})) {
      if (isAuthorityHeader(name))
        sources.push({
          at: [...path, 'headers', 'request', op, name],
          label: `headers.request.${op}["${name}"]`,
        });
    }
  }
  const first = sources[0];
  for (const source of sources.slice(1)) {
    ctx.error(
      COMMON_CODES.CONFLICTING_FIELDS,
      source.at,
      `the authority (Host) is already set by ${first?.label ?? 'another field'}; set it in one place only`,
    );
  }
}
