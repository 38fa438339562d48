// Regular expressions as Envoy runs them: RE2 syntax (no look-around, no back-references), bounded in size.

/** Envoy's default `max_program_size` is 100; patterns this long are refused before they get there. */
export const MAX_REGEX_LENGTH = 1024;

const UNSUPPORTED: ReadonlyArray<readonly [RegExp, string]> = [
  [/\(\?[=!]/, 'look-ahead `(?=` / `(?!` is not supported by RE2'],
  [/\(\?<[=!]/, 'look-behind `(?<=` / `(?<!` is not supported by RE2'],
  [/\\[1-9]/, 'back-references such as `\\1` are not supported by RE2'],
  [/\\k</, 'named back-references `\\k<name>` are not supported by RE2'],
  [/\(\?>/, 'atomic groups `(?>` are not supported by RE2'],
  [/[*+?}][+]/, 'possessive quantifiers such as `*+` are not supported by RE2'],
];

/** Returns why `pattern` cannot be used by Envoy, or undefined when it is fine. */
export function checkRe2(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'must be a string';
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > MAX_REGEX_LENGTH)
    return `is ${pattern.length} characters; the limit is ${MAX_REGEX_LENGTH}`;
  const stripped = pattern.replace(/\\\\/g, '');
  for (const [detector, reason] of UNSUPPORTED) {
    if (detector.test(stripped)) return reason;
  }
  try {
    // RE2 syntax is close to JavaScript's for what is left; named groups use (?P<name>) in RE2.
    new RegExp(stripped.replace(/\(\?P</g, '(?<'), 'u');
  } catch (error) {
    try {
      new RegExp(stripped.replace(/\(\?P</g, '(?<'));
    } catch {
      const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : '';
      return `is not a valid regular expression (${reason})`;
    }
  }
  return undefined;
}
