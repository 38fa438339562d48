// The `tracing` section of a Telemetry: one entry, one provider, and well-formed custom tags.
import { COMMON_CODES, OBSERVABILITY_CODES } from '../../findings/codes.ts';
import type { FieldPath } from '../../source/field-path.ts';
import type { RuleContext } from '../../validate/rule-context.ts';

const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const TAG_SOURCES = ['literal', 'header', 'environment', 'formatter'];

function checkCustomTag(ctx: RuleContext, name: string, tag: unknown, path: FieldPath): void {
  if (name.trim() === '') {
    ctx.error(OBSERVABILITY_CODES.TELEMETRY_CUSTOM_TAG_INVALID, path, 'a custom tag needs a non-empty name');
  }
  // Null tags, several sources in one tag and empty values are reported by the CRD schema.
  if (!isRecord(tag)) return;
  if (!TAG_SOURCES.some((source) => tag[source] !== undefined && tag[source] !== null)) {
    ctx.error(
      OBSERVABILITY_CODES.TELEMETRY_CUSTOM_TAG_INVALID,
      path,
      `the tag "${name}" has no value; give it one source: literal: {value: ...}, header: {name: ...}, environment: {name: ...} or formatter: {value: ...}`,
    );
  }
  const header = isRecord(tag.header) ? tag.header.name : undefined;
  if (typeof header === 'string' && header !== '' && !HEADER_TOKEN.test(header)) {
    ctx.error(
      COMMON_CODES.HEADER_NAME_INVALID,
      [...path, 'header', 'name'],
      `"${header}" is not a valid HTTP header name; use letters, digits and "-"`,
    );
  }
}

export function checkTracing(ctx: RuleContext, tracing: unknown): void {
  if (!Array.isArray(tracing)) return;
  if (tracing.length > 1) {
    ctx.error(
      OBSERVABILITY_CODES.TELEMETRY_TRACING_MULTIPLE,
      ['spec', 'tracing', 1],
      'only one tracing entry is supported per Telemetry; merge the entries into the first one',
    );
  }
  tracing.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) return;
    const path = ['spec', 'tracing', index];
    if (Array.isArray(entry.providers) && entry.providers.length > 1) {
      ctx.warn(
        OBSERVABILITY_CODES.TELEMETRY_TRACING_PROVIDERS,
        [...path, 'providers', 1],
        'only one tracing provider is used; spans go to the first provider and the others are ignored',
      );
    }
    if (isRecord(entry.customTags)) {
      for (const [name, tag] of Object.entries(entry.customTags)) {
        checkCustomTag(ctx, name, tag, [...path, 'customTags', name]);
      }
    }
  });
}
