// One shape for every config dump the CLI reads: the control plane's (proto3 JSON names) and a proxy's own
// admin /config_dump (Envoy's .proto field names) both become canonical proto3 JSON, so they read and compare
// alike.
import { fromJson, toJson, type JsonValue } from '@bufbuild/protobuf';
import { xdsRegistry } from '@heddle/xds';
import { ConfigDumpSchema } from '@heddle/xds/gen/envoy/admin/v3/config_dump_pb.ts';
import type { ConfigDump } from '../client/api-types.ts';

/** Fields whose keys are data (Struct maps), not field names: left as they are when renaming keys. */
const DATA_KEYS = new Set(['filter_metadata', 'typed_filter_metadata', 'value']);

/** Throws an Error naming what is wrong when the value is not a config dump. */
export function normalizeConfigDump(json: unknown): ConfigDump {
  if (json === null || typeof json !== 'object' || !Array.isArray((json as { configs?: unknown }).configs)) {
    throw new Error('not an Envoy config dump (no "configs" list)');
  }
  let canonical: { configs?: unknown };
  try {
    const message = fromJson(ConfigDumpSchema, json as JsonValue, {
      registry: xdsRegistry,
      ignoreUnknownFields: true,
    });
    canonical = toJson(ConfigDumpSchema, message, { registry: xdsRegistry }) as { configs?: unknown };
  } catch {
    // An Envoy dump may hold extension types Heddle has no schema for; its field names are then
    // renamed by rule instead, which is all the tables need.
    canonical = camelKeys(json) as { configs?: unknown };
  }
  return { configs: Array.isArray(canonical.configs) ? (canonical.configs as ConfigDump['configs']) : [] };
}

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = key.startsWith('@') ? key : key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    out[name] = DATA_KEYS.has(key) && !Array.isArray(item) ? keepDataKeys(item) : camelKeys(item);
  }
  return out;
}

/** A Struct map: its own keys stay, the values below are still read as messages. */
function keepDataKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, camelKeys(item)]));
}
