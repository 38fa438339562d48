// Envoy HeaderMatcher compiled to a predicate over a header map. A repeated header is checked value by value
// (the match holds when any value matches), never as one comma-joined string.
import type { HeaderMatcher } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import type { HeaderMap } from '../headers.ts';
import { compileSafeRegex } from './safe-regex.ts';
import {
  compileStringMatcher,
  textPredicate,
  type CompileResult,
  type StringPredicate,
} from './string-matcher.ts';

export type HeaderPredicate = (headers: HeaderMap) => boolean;

export function compileHeaderMatcher(matcher: HeaderMatcher): CompileResult<HeaderPredicate> {
  const name = matcher.name.toLowerCase();
  if (name === '') return { error: 'header matcher has an empty name' };
  const invert = matcher.invertMatch;
  const spec = matcher.headerMatchSpecifier;
  let predicate: StringPredicate | undefined;
  // present_match false means "absent": checked on presence alone.
  let presence: boolean | undefined;
  switch (spec.case) {
    case 'exactMatch':
      predicate = textPredicate('exact', spec.value, false);
      break;
    case 'prefixMatch':
      predicate = textPredicate('prefix', spec.value, false);
      break;
    case 'suffixMatch':
      predicate = textPredicate('suffix', spec.value, false);
      break;
    case 'containsMatch':
      predicate = textPredicate('contains', spec.value, false);
      break;
    case 'safeRegexMatch': {
      const compiled = compileSafeRegex(spec.value.regex);
      if ('error' in compiled) return { error: `header ${name}: ${compiled.error}` };
      const regex = compiled.regex;
      predicate = (v) => regex.test(v);
      break;
    }
    case 'rangeMatch': {
      const { start, end } = spec.value;
      predicate = (v) => {
        if (!/^-?\d{1,18}$/.test(v)) return false;
        const n = BigInt(v);
        return n >= start && n < end;
      };
      break;
    }
    case 'stringMatch': {
      const compiled = compileStringMatcher(spec.value);
      if ('error' in compiled) return { error: `header ${name}: ${compiled.error}` };
      predicate = compiled.value;
      break;
    }
    case 'presentMatch':
      presence = spec.value;
      break;
    case undefined:
      presence = true;
      break;
  }
  const missingAsEmpty = matcher.treatMissingHeaderAsEmpty;
  const test = predicate;
  return {
    value: (headers) => {
      const raw = headers[name];
      if (raw === undefined) {
        if (presence !== undefined) return invert !== !presence;
        if (missingAsEmpty && test) return invert !== test('');
        return invert;
      }
      if (!test) return invert !== (presence ?? true);
      const matched = typeof raw === 'string' ? test(raw.trim()) : raw.some((v) => test(v.trim()));
      return invert !== matched;
    },
  };
}

export function compileHeaderMatchers(matchers: readonly HeaderMatcher[]): CompileResult<HeaderPredicate[]> {
  const out: HeaderPredicate[] = [];
  for (const matcher of matchers) {
    const compiled = compileHeaderMatcher(matcher);
    if ('error' in compiled) return compiled;
    out.push(compiled.value);
  }
  return { value: out };
}
