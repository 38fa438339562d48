// Reads Istio-style node metadata (a google.protobuf.Struct as JSON) into plain strings, numbers and maps.
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';

/** The metadata keys Heddle reads, as Istio names them (without the ISTIO_META_ prefix of the env vars). */
export const NODE_METADATA_KEYS = {
  NAMESPACE: 'NAMESPACE',
  LABELS: 'LABELS',
  SERVICE_ACCOUNT: 'SERVICE_ACCOUNT',
  WORKLOAD_NAME: 'WORKLOAD_NAME',
  INSTANCE_IPS: 'INSTANCE_IPS',
  ISTIO_VERSION: 'ISTIO_VERSION',
  GENERATOR: 'GENERATOR',
  CAPTURE: 'HEDDLE_CAPTURE',
  OUTBOUND_PORT: 'HEDDLE_OUTBOUND_PORT',
  APP_PORTS: 'HEDDLE_APP_PORTS',
  /** The proxy's Prometheus endpoint (`http://127.0.0.1:15000/stats/prometheus`), which the dashboard scrapes. */
  METRICS_URL: 'HEDDLE_METRICS_URL',
} as const;

export function metadataString(metadata: JsonObject, key: string): string | undefined {
  const value = metadata[key];
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A struct of labels; non-string values (numbers, booleans) are turned into their text. */
export function metadataLabels(metadata: JsonObject, key: string): Record<string, string> {
  const value = metadata[key];
  const labels: Record<string, string> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return labels;
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string') labels[name] = item;
    else if (typeof item === 'number' || typeof item === 'boolean') labels[name] = String(item);
  }
  return labels;
}

/** Every top-level entry as text: strings as they are, anything else as JSON. */
export function flattenMetadata(metadata: JsonObject): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) flat[key] = asText(value);
  return flat;
}

function asText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
