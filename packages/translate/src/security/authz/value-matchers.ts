// Istio's value forms in AuthorizationPolicy (`*`, `prefix*`, `*suffix`, exact) as Envoy string matchers.
import { create } from '@bufbuild/protobuf';
import { StringMatcherSchema, type StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';

/** `*` means "present with any value": a regex, since Envoy's prefix and suffix need at least one byte. */
export const ANY_VALUE_REGEX = '.+';

export type ValueForm =
  { readonly kind: 'any' } | { readonly kind: 'exact' | 'prefix' | 'suffix'; readonly value: string };

/** Reads one rule value: `*` is any value, a leading `*` a suffix, a trailing `*` a prefix. */
export function valueForm(value: string): ValueForm {
  if (value === '*') return { kind: 'any' };
  if (value.startsWith('*')) return { kind: 'suffix', value: value.slice(1) };
  if (value.endsWith('*')) return { kind: 'prefix', value: value.slice(0, -1) };
  return { kind: 'exact', value };
}

export function formMatcher(form: ValueForm, ignoreCase = false): StringMatcher {
  switch (form.kind) {
    case 'any':
      return create(StringMatcherSchema, {
        matchPattern: { case: 'safeRegex', value: { regex: ANY_VALUE_REGEX } },
      });
    case 'exact':
    case 'prefix':
    case 'suffix':
      return create(StringMatcherSchema, {
        matchPattern: { case: form.kind, value: form.value },
        ...(ignoreCase ? { ignoreCase } : {}),
      });
  }
}

/** The string matcher for one rule value, e.g. a request principal `https://issuer/*`. */
export function valueMatcher(value: string, ignoreCase = false): StringMatcher {
  return formMatcher(valueForm(value), ignoreCase);
}

/** A literal for RE2 (and JavaScript) regexes: every metacharacter escaped, so `.` matches only a dot. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** A regex matching `literal` in any letter case without regex flags (Envoy's safe_regex has none). */
export function caseInsensitiveRegex(literal: string): string {
  let out = '';
  for (const c of literal) {
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    out +=
      lower !== upper && lower.length === 1 && upper.length === 1 ? `[${lower}${upper}]` : escapeRegex(c);
  }
  return out;
}
