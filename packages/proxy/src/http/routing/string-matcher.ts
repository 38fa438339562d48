// Envoy StringMatcher (exact, prefix, suffix, contains, safe_regex; ignore_case) compiled to a predicate.
import type { StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';
import { compileSafeRegex } from './safe-regex.ts';

export type StringPredicate = (value: string) => boolean;
export type CompileResult<T> = { readonly value: T } | { readonly error: string };

export function compileStringMatcher(matcher: StringMatcher): CompileResult<StringPredicate> {
  const ignoreCase = matcher.ignoreCase;
  const pattern = matcher.matchPattern;
  switch (pattern.case) {
    case 'exact':
      return { value: textPredicate('exact', pattern.value, ignoreCase) };
    case 'prefix':
      return { value: textPredicate('prefix', pattern.value, ignoreCase) };
    case 'suffix':
      return { value: textPredicate('suffix', pattern.value, ignoreCase) };
    case 'contains':
      return { value: textPredicate('contains', pattern.value, ignoreCase) };
    case 'safeRegex': {
      const compiled = compileSafeRegex(pattern.value.regex, ignoreCase);
      if ('error' in compiled) return compiled;
      const regex = compiled.regex;
      return { value: (v) => regex.test(v) };
    }
    case 'custom':
      return { error: 'custom string matchers are not supported' };
    case undefined:
      return { error: 'string matcher has no match pattern' };
  }
}

export type TextMatchKind = 'exact' | 'prefix' | 'suffix' | 'contains';

export function textPredicate(kind: TextMatchKind, expected: string, ignoreCase: boolean): StringPredicate {
  const want = ignoreCase ? expected.toLowerCase() : expected;
  const norm = ignoreCase ? (v: string) => v.toLowerCase() : (v: string) => v;
  switch (kind) {
    case 'exact':
      return (v) => norm(v) === want;
    case 'prefix':
      return (v) => norm(v).startsWith(want);
    case 'suffix':
      return (v) => norm(v).endsWith(want);
    case 'contains':
      return (v) => norm(v).includes(want);
  }
}
