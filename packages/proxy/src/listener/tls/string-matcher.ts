// Envoy's StringMatcher compiled to a predicate once per update (regexes included), for SAN verification.
import type { StringMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/string_pb.ts';

/** Bounds what a config can make the handshake path do. */
const MAX_REGEX_LENGTH = 1024;

export function compileStringMatcher(
  matcher: StringMatcher,
): ((value: string) => boolean) | { error: string } {
  const fold = matcher.ignoreCase ? (s: string): string => s.toLowerCase() : (s: string): string => s;
  const pattern = matcher.matchPattern;
  switch (pattern.case) {
    case 'exact': {
      const want = fold(pattern.value);
      return (value) => fold(value) === want;
    }
    case 'prefix': {
      const want = fold(pattern.value);
      return (value) => fold(value).startsWith(want);
    }
    case 'suffix': {
      const want = fold(pattern.value);
      return (value) => fold(value).endsWith(want);
    }
    case 'contains': {
      const want = fold(pattern.value);
      return (value) => fold(value).includes(want);
    }
    case 'safeRegex': {
      const source = pattern.value.regex;
      if (source.length > MAX_REGEX_LENGTH) return { error: `safe_regex: longer than ${MAX_REGEX_LENGTH}` };
      try {
        // Envoy's safe_regex must match the whole value.
        const regex = new RegExp(`^(?:${source})$`, 'u');
        return (value) => regex.test(value);
      } catch (error) {
        return { error: `safe_regex: ${(error as Error).message}` };
      }
    }
    case 'custom':
    case undefined:
      return { error: `${pattern.case ?? 'empty'} matcher is not supported` };
  }
}
