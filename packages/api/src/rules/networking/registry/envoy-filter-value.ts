// EnvoyFilter patch values: every typed config names its message with "@type" (v3 only), a filter added by
// a patch carries its typed config, and well-known filters carry the fields Envoy requires.
import { REGISTRY_CODES } from '../../../findings/codes.ts';
import type { FieldPath } from '../../../source/field-path.ts';
import type { RuleContext } from '../../../validate/rule-context.ts';
import { REQUIRED_FILTER_FIELDS, camelCase } from './envoy-filter-known.ts';
import type { PatchView } from './envoy-filter-operations.ts';
import { isSet, isStruct, stringAt, type Struct } from './read.ts';

const TYPED_CONFIG_KEYS = new Set(['typed_config', 'typedConfig']);
const PER_FILTER_KEYS = new Set(['typed_per_filter_config', 'typedPerFilterConfig']);
const FILTER_TARGETS = new Set(['HTTP_FILTER', 'NETWORK_FILTER', 'LISTENER_FILTER']);
const DEFINING_OPERATIONS = new Set(['ADD', 'INSERT_BEFORE', 'INSERT_AFTER', 'INSERT_FIRST', 'REPLACE']);
const TYPED_STRUCT = /(^|\.)(udpa\.type\.v1|xds\.type\.v3)\.TypedStruct$/;

export function checkPatchValue(ctx: RuleContext, patch: PatchView, path: FieldPath): void {
  const value = patch.value;
  if (!value) return;
  walk(ctx, value, path);
  if (!FILTER_TARGETS.has(patch.applyTo) || !DEFINING_OPERATIONS.has(patch.operation)) return;
  const key = ['typed_config', 'typedConfig'].find((name) => isSet(value[name]));
  if (!key) {
    if (!isSet(value.config_discovery) && !isSet(value.configDiscovery)) {
      ctx.warn(
        REGISTRY_CODES.ENVOY_FILTER_TYPED_CONFIG_MISSING,
        isSet(value.name) ? [...path, 'name'] : path,
        `this filter is given only by name; Envoy no longer looks filters up by name, so add typed_config with its "@type"`,
      );
    }
    return;
  }
  const config = value[key];
  if (isStruct(config)) checkRequiredFields(ctx, config, [...path, key]);
}

function walk(ctx: RuleContext, node: unknown, path: FieldPath): void {
  if (Array.isArray(node)) {
    node.forEach((item: unknown, index) => walk(ctx, item, [...path, index]));
    return;
  }
  if (!isStruct(node)) return;
  for (const [key, child] of Object.entries(node)) {
    const at = [...path, key];
    if (TYPED_CONFIG_KEYS.has(key) && isStruct(child)) checkAny(ctx, child, at);
    if (PER_FILTER_KEYS.has(key) && isStruct(child)) {
      for (const [name, config] of Object.entries(child)) {
        if (isStruct(config)) checkAny(ctx, config, [...at, name]);
      }
    }
    walk(ctx, child, at);
  }
}

function checkAny(ctx: RuleContext, any: Struct, path: FieldPath): void {
  const type = stringAt(any['@type']);
  if (!type) {
    ctx.error(
      REGISTRY_CODES.ENVOY_FILTER_TYPE_MISSING,
      path,
      'a typed config must say which message it holds with "@type", e.g. "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua',
    );
    return;
  }
  const name = messageName(type);
  if (!name) {
    ctx.error(
      REGISTRY_CODES.ENVOY_FILTER_TYPE_URL_INVALID,
      [...path, '@type'],
      `"${type}" is not a type URL; write type.googleapis.com/<full message name>`,
    );
  } else if (/\.v2(alpha\d*)?\./.test(name) || name.startsWith('envoy.config.filter.')) {
    ctx.error(
      REGISTRY_CODES.ENVOY_FILTER_TYPE_URL_INVALID,
      [...path, '@type'],
      `${name} belongs to Envoy's removed v2 API; use its v3 message (for filters: envoy.extensions.filters.<http|network>.<name>.v3.*)`,
    );
  }
}

function messageName(typeUrl: string): string | undefined {
  const slash = typeUrl.lastIndexOf('/');
  const name = typeUrl.slice(slash + 1);
  return slash > 0 && name !== '' ? name : undefined;
}

function checkRequiredFields(ctx: RuleContext, config: Struct, path: FieldPath): void {
  let name = messageName(stringAt(config['@type']) ?? '');
  let fields: Struct = config;
  // A TypedStruct carries the real message name in type_url and its fields in value.
  if (name && TYPED_STRUCT.test(name)) {
    name = messageName(stringAt(config.type_url) ?? stringAt(config.typeUrl) ?? '');
    fields = isStruct(config.value) ? config.value : {};
  }
  const required = name ? REQUIRED_FILTER_FIELDS[name] : undefined;
  if (!name || !required) return;
  const short = name.slice(name.lastIndexOf('.') + 1);
  for (const requirement of required) {
    const present = requirement.anyOf.some(
      (field) => isSet(fields[field]) || isSet(fields[camelCase(field)]),
    );
    if (present) continue;
    ctx.error(
      REGISTRY_CODES.ENVOY_FILTER_CONFIG_INCOMPLETE,
      path,
      `the ${short} filter requires ${requirement.anyOf.join(' or ')}, and Envoy rejects the whole listener without it; add for example ${requirement.example}`,
    );
  }
}
