// RE2-flavoured regexes from config, compiled once and refused when they could backtrack catastrophically:
// no backreferences or lookaround (RE2 has none), no nested quantifiers, and a bounded pattern length.

/** Envoy's default max_program_size is 100 RE2 instructions; pattern length is our cheaper bound. */
export const MAX_REGEX_LENGTH = 1024;

export type RegexResult = { readonly regex: RegExp } | { readonly error: string };

const LOOKAROUND = /\(\?<?[=!]/;
const BACKREFERENCE = /\\(?:[1-9]|k<)/;

/** Whole-string match, as Envoy's safe_regex matchers require. */
export function compileSafeRegex(pattern: string, ignoreCase = false): RegexResult {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return { error: `regex is longer than ${MAX_REGEX_LENGTH} characters` };
  }
  let source = pattern;
  let flags = ignoreCase ? 'i' : '';
  // RE2's leading `(?i)` flag group has no JavaScript equivalent but the `i` flag.
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  source = source.replaceAll('(?P<', '(?<').replaceAll('\\A', '^').replaceAll('\\z', '$');
  if (LOOKAROUND.test(source))
    return { error: `regex ${JSON.stringify(pattern)} uses lookaround, which RE2 does not support` };
  if (BACKREFERENCE.test(source)) {
    return { error: `regex ${JSON.stringify(pattern)} uses a backreference, which RE2 does not support` };
  }
  if (hasNestedQuantifier(source)) {
    return {
      error: `regex ${JSON.stringify(pattern)} nests quantifiers and could backtrack catastrophically`,
    };
  }
  try {
    return { regex: new RegExp(`^(?:${source})$`, flags) };
  } catch (err) {
    return { error: `invalid regex ${JSON.stringify(pattern)}: ${(err as Error).message}` };
  }
}

/** The same checks, without anchoring: for rewrites that substitute matches inside a path. */
export function compileSafeRewriteRegex(pattern: string): RegexResult {
  const checked = compileSafeRegex(pattern);
  if ('error' in checked) return checked;
  return { regex: new RegExp(checked.regex.source.slice(4, -2), `${checked.regex.flags}g`) };
}

/**
 * True when a quantified group contains a quantifier, e.g. `(a+)+` or `(a*b?)*`: the shapes whose
 * backtracking is exponential. Character classes and escapes are skipped.
 */
export function hasNestedQuantifier(source: string): boolean {
  // For each open group: whether a quantifier appeared inside it.
  const stack: boolean[] = [];
  let lastGroupHadQuantifier = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      lastGroupHadQuantifier = false;
      continue;
    }
    if (c === '[') {
      i = skipClass(source, i);
      lastGroupHadQuantifier = false;
      continue;
    }
    if (c === '(') {
      stack.push(false);
      continue;
    }
    if (c === ')') {
      lastGroupHadQuantifier = stack.pop() ?? false;
      if (lastGroupHadQuantifier && stack.length > 0) stack[stack.length - 1] = true;
      const next = source[i + 1];
      if (next === '*' || next === '+' || next === '?' || next === '{') {
        if (lastGroupHadQuantifier && next !== '?') return true;
        if (stack.length > 0) stack[stack.length - 1] = true;
      }
      continue;
    }
    if (c === '*' || c === '+' || c === '{') {
      if (stack.length > 0) stack[stack.length - 1] = true;
    }
    lastGroupHadQuantifier = false;
  }
  return false;
}

function skipClass(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']' && i > start + 1) return i;
  }
  return source.length;
}
