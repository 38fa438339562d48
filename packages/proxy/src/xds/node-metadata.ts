// The node metadata keys Heddle's control plane reads (Istio's names plus HEDDLE_*), checked and put in the
// shape it expects: LABELS a map of strings, INSTANCE_IPS and HEDDLE_APP_PORTS comma lists, ports as text.
import { isIP } from 'node:net';
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';

export const NODE_METADATA_KEYS = {
  NAMESPACE: 'NAMESPACE',
  LABELS: 'LABELS',
  SERVICE_ACCOUNT: 'SERVICE_ACCOUNT',
  WORKLOAD_NAME: 'WORKLOAD_NAME',
  INSTANCE_IPS: 'INSTANCE_IPS',
  CAPTURE: 'HEDDLE_CAPTURE',
  OUTBOUND_PORT: 'HEDDLE_OUTBOUND_PORT',
  APP_PORTS: 'HEDDLE_APP_PORTS',
} as const;

const K = NODE_METADATA_KEYS;
const TEXT_KEYS: readonly string[] = [K.NAMESPACE, K.SERVICE_ACCOUNT, K.WORKLOAD_NAME];

export function normalizeNodeMetadata(input: unknown, problems: string[]): JsonObject {
  if (input === undefined) return {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    problems.push('node.metadata: must be an object');
    return {};
  }
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(input as Record<string, JsonValue>)) {
    const path = `node.metadata.${key}`;
    if (TEXT_KEYS.includes(key)) {
      if (typeof value === 'string' && value.trim() !== '') metadata[key] = value.trim();
      else problems.push(`${path}: must be a non-empty string`);
    } else if (key === K.LABELS) metadata[key] = labels(value, path, problems);
    else if (key === K.INSTANCE_IPS) metadata[key] = instanceIps(value, path, problems);
    else if (key === K.CAPTURE) {
      if (value === 'transparent' || value === 'explicit') metadata[key] = value;
      else problems.push(`${path}: must be "transparent" or "explicit", not ${JSON.stringify(value)}`);
    } else if (key === K.OUTBOUND_PORT) metadata[key] = String(port(value, path, problems));
    else if (key === K.APP_PORTS) metadata[key] = appPorts(value, path, problems);
    else metadata[key] = value;
  }
  return metadata;
}

function labels(value: JsonValue, path: string, problems: string[]): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: must be a map of label names to values`);
    return {};
  }
  const out: JsonObject = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
      out[name] = String(item);
    else problems.push(`${path}.${name}: must be a string`);
  }
  return out;
}

function instanceIps(value: JsonValue, path: string, problems: string[]): string {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!list) {
    problems.push(`${path}: must be a list of IP addresses (or a comma-separated string)`);
    return '';
  }
  const ips = list.map((item) => (typeof item === 'string' ? item.trim() : '')).filter((item) => item !== '');
  for (const ip of ips)
    if (isIP(ip) === 0) problems.push(`${path}: ${JSON.stringify(ip)} is not an IP address`);
  return ips.join(',');
}

function port(value: JsonValue, path: string, problems: string[]): number {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 65535) return number;
  problems.push(`${path}: must be a port number (1-65535), not ${JSON.stringify(value)}`);
  return 0;
}

/** `{ "9080": 19080 }` or `"9080=19080,9443=19443"`: listen port → application port. */
function appPorts(value: JsonValue, path: string, problems: string[]): string {
  let pairs: [JsonValue, JsonValue][];
  if (typeof value === 'string')
    pairs = value
      .split(',')
      .filter((entry) => entry.trim() !== '')
      .flatMap((entry): [JsonValue, JsonValue][] => {
        const [listen, app, extra] = entry.split('=');
        if (listen !== undefined && app !== undefined && extra === undefined) return [[listen, app]];
        problems.push(`${path}: entries are "listen=app", not ${JSON.stringify(entry)}`);
        return [];
      });
  else if (value !== null && typeof value === 'object' && !Array.isArray(value))
    pairs = Object.entries(value);
  else {
    problems.push(`${path}: must be a map of listen port to application port, or "listen=app,…"`);
    return '';
  }
  return pairs
    .map(([listen, app]) => `${port(listen, path, problems)}=${port(app, path, problems)}`)
    .join(',');
}
