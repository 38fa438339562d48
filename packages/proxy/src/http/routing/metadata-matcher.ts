// Envoy MetadataMatcher over filter-written dynamic metadata (e.g. JWT claims from jwt_authn), for routes that
// match on `dynamic_metadata`.
import type { MetadataMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/metadata_pb.ts';
import type { ValueMatcher } from '@heddle/xds/gen/envoy/type/matcher/v3/value_pb.ts';
import { compileStringMatcher, type CompileResult } from './string-matcher.ts';

export type DynamicMetadata = ReadonlyMap<string, Readonly<Record<string, unknown>>>;
export type MetadataPredicate = (metadata: DynamicMetadata) => boolean;
type ValuePredicate = (value: unknown) => boolean;

function compileValueMatcher(matcher: ValueMatcher): CompileResult<ValuePredicate> {
  const pattern = matcher.matchPattern;
  switch (pattern.case) {
    case 'nullMatch':
      return { value: (v) => v === null };
    case 'presentMatch': {
      const want = pattern.value;
      return { value: (v) => (v !== undefined) === want };
    }
    case 'boolMatch': {
      const want = pattern.value;
      return { value: (v) => v === want };
    }
    case 'doubleMatch': {
      const m = pattern.value.matchPattern;
      if (m.case === 'exact') {
        const want = m.value;
        return { value: (v) => v === want };
      }
      if (m.case === 'range') {
        const { start, end } = m.value;
        return { value: (v) => typeof v === 'number' && v >= start && v < end };
      }
      return { error: 'double matcher has no pattern' };
    }
    case 'stringMatch': {
      const compiled = compileStringMatcher(pattern.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (v) => typeof v === 'string' && test(v) };
    }
    case 'listMatch': {
      const inner = pattern.value.matchPattern;
      if (inner.case !== 'oneOf') return { error: 'list matcher has no one_of' };
      const compiled = compileValueMatcher(inner.value);
      if ('error' in compiled) return compiled;
      const test = compiled.value;
      return { value: (v) => Array.isArray(v) && v.some(test) };
    }
    case 'orMatch': {
      const parts: ValuePredicate[] = [];
      for (const m of pattern.value.valueMatchers) {
        const compiled = compileValueMatcher(m);
        if ('error' in compiled) return compiled;
        parts.push(compiled.value);
      }
      return { value: (v) => parts.some((p) => p(v)) };
    }
    case undefined:
      return { error: 'value matcher has no pattern' };
  }
}

export function compileMetadataMatcher(matcher: MetadataMatcher): CompileResult<MetadataPredicate> {
  const keys: string[] = [];
  for (const segment of matcher.path) {
    if (segment.segment.case !== 'key') return { error: 'metadata path segment without a key' };
    keys.push(segment.segment.value);
  }
  if (!matcher.value) return { error: 'metadata matcher has no value' };
  const compiled = compileValueMatcher(matcher.value);
  if ('error' in compiled) return { error: `metadata ${matcher.filter}: ${compiled.error}` };
  const test = compiled.value;
  const filter = matcher.filter;
  const invert = matcher.invert;
  return {
    value: (metadata) => {
      let current: unknown = metadata.get(filter);
      for (const key of keys) {
        current =
          current !== null && typeof current === 'object' && !Array.isArray(current)
            ? (current as Record<string, unknown>)[key]
            : undefined;
      }
      // As Envoy: a list value matches when the matcher matches the list or any of its elements (JWT claims
      // such as `groups` or `aud` are lists).
      const matched = test(current) || (Array.isArray(current) && current.some((v) => test(v)));
      return invert !== matched;
    },
  };
}
