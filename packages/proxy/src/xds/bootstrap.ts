// The proxy's bootstrap: who it is (the xDS node and the metadata keys the control plane reads), where the
// control plane is, and its admin, health and drain settings — validated whole, every problem named.
import type { JsonObject } from '@bufbuild/protobuf';
import { BOOTSTRAP_INVALID, BootstrapError } from './bootstrap-error.ts';
import { parseCaSection, type CaBootstrap } from './bootstrap-ca.ts';
import { integer, object, optionalText, text, unknownKeys } from './bootstrap-fields.ts';
import { parseListenerBind, type ListenerBind } from './bootstrap-listener-bind.ts';
import { parseMetricsMergeSection, type MetricsMergeBootstrap } from '../admin/metrics-merge-bootstrap.ts';
import { normalizeNodeMetadata } from './node-metadata.ts';

export interface NodeLocality {
  readonly region: string;
  readonly zone: string;
  readonly subZone: string;
}

export interface BootstrapNode {
  readonly id: string;
  readonly cluster: string;
  /** Istio-style metadata as the control plane reads it (LABELS a map, everything else text). */
  readonly metadata: JsonObject;
  readonly locality?: NodeLocality;
}

export interface SocketAddress {
  readonly address: string;
  /** 0 lets the system pick a free port. */
  readonly port: number;
}

export interface Bootstrap {
  readonly node: BootstrapNode;
  /** `host:port` of each control-plane replica, tried in turn. */
  readonly controlPlane: { readonly addresses: readonly string[] };
  readonly admin: SocketAddress;
  readonly health: SocketAddress;
  readonly drainTimeoutMs: number;
  /** Worker processes serving the listeners (meshConfig `concurrency`): 1 serves in-process, 0 one per CPU. */
  readonly concurrency: number;
  /** The mesh CA the certificate agent asks for the workload certificate; absent: no workload certificate. */
  readonly ca?: CaBootstrap;
  /** Where listeners bind locally when not where xDS says (`listenerAddress`, `listenerPortMap`, …). */
  readonly listenerBind?: ListenerBind;
  /** The merged Prometheus scrape endpoint (proxy stats + the app's metrics); absent: not served. */
  readonly metricsMerge?: MetricsMergeBootstrap;
}

export const BOOTSTRAP_DEFAULTS = {
  admin: { address: '127.0.0.1', port: 15000 },
  health: { address: '127.0.0.1', port: 15021 },
  drainTimeoutMs: 5000,
  concurrency: 1,
} as const;

const TOP_LEVEL = [
  'node',
  'controlPlane',
  'admin',
  'health',
  'drainTimeout',
  'concurrency',
  'ca',
  'listenerAddress',
  'listenerPortMap',
  'privilegedPortOffset',
  'metricsMerge',
];

/** Validates a parsed bootstrap document (JSON or YAML) and fills in the defaults. */
export function parseBootstrap(input: unknown, source?: string): Bootstrap {
  const problems: string[] = [];
  const root = object(input, 'bootstrap', problems) ?? {};
  unknownKeys(root, TOP_LEVEL, 'bootstrap', problems);
  const node = parseNode(root.node, problems);
  const addresses = parseControlPlane(root.controlPlane, problems);
  const admin = parseSocket(root.admin, 'admin', BOOTSTRAP_DEFAULTS.admin, problems);
  const health = parseSocket(root.health, 'health', BOOTSTRAP_DEFAULTS.health, problems);
  const drainTimeoutMs =
    root.drainTimeout === undefined
      ? BOOTSTRAP_DEFAULTS.drainTimeoutMs
      : parseDuration(root.drainTimeout, 'drainTimeout', problems);
  const concurrency =
    root.concurrency === undefined ? 1 : integer(root.concurrency, 'concurrency', 0, 1024, problems);
  const ca = parseCaSection(root.ca, addresses, isHostPort, parseDuration, problems);
  const listenerBind = parseListenerBind(root, isIpAddress, problems);
  const metricsMerge = parseMetricsMergeSection(root.metricsMerge, isIpAddress, problems);
  if (problems.length > 0 || !node) throw new BootstrapError(BOOTSTRAP_INVALID, problems, source);
  return {
    node,
    controlPlane: { addresses },
    admin,
    health,
    drainTimeoutMs,
    concurrency,
    ...(ca ? { ca } : {}),
    ...(listenerBind ? { listenerBind } : {}),
    ...(metricsMerge ? { metricsMerge } : {}),
  };
}

function parseNode(input: unknown, problems: string[]): BootstrapNode | undefined {
  if (input === undefined) {
    problems.push('node: required (id, cluster, metadata)');
    return undefined;
  }
  const node = object(input, 'node', problems);
  if (!node) return undefined;
  unknownKeys(node, ['id', 'cluster', 'metadata', 'locality'], 'node', problems);
  const id = text(node.id, 'node.id', problems);
  if (id === '') problems.push('node.id: must not be empty');
  const metadata = normalizeNodeMetadata(node.metadata, problems);
  const cluster =
    node.cluster === undefined ? defaultCluster(id, metadata) : text(node.cluster, 'node.cluster', problems);
  const localityInput =
    node.locality === undefined ? undefined : object(node.locality, 'node.locality', problems);
  let locality: NodeLocality | undefined;
  if (localityInput) {
    unknownKeys(localityInput, ['region', 'zone', 'subZone'], 'node.locality', problems);
    locality = {
      region: optionalText(localityInput.region, 'node.locality.region', problems),
      zone: optionalText(localityInput.zone, 'node.locality.zone', problems),
      subZone: optionalText(localityInput.subZone, 'node.locality.subZone', problems),
    };
  }
  return { id, cluster, metadata, ...(locality ? { locality } : {}) };
}

/** Istio's node cluster is `<workload>.<namespace>`. */
function defaultCluster(id: string, metadata: JsonObject): string {
  const workload = metadata.WORKLOAD_NAME;
  const namespace = metadata.NAMESPACE;
  return typeof workload === 'string' && typeof namespace === 'string' ? `${workload}.${namespace}` : id;
}

function parseControlPlane(input: unknown, problems: string[]): string[] {
  if (input === undefined) {
    problems.push('controlPlane.addresses: required (one or more "host:port")');
    return [];
  }
  const controlPlane = object(input, 'controlPlane', problems);
  if (!controlPlane) return [];
  unknownKeys(controlPlane, ['addresses'], 'controlPlane', problems);
  const list = controlPlane.addresses;
  if (!Array.isArray(list) || list.length === 0) {
    problems.push('controlPlane.addresses: must be a non-empty list of "host:port"');
    return [];
  }
  return list.flatMap((entry: unknown, index) => {
    const path = `controlPlane.addresses[${index}]`;
    if (typeof entry !== 'string' || !isHostPort(entry)) {
      problems.push(`${path}: must be "host:port" (IPv6 as "[addr]:port"), not ${JSON.stringify(entry)}`);
      return [];
    }
    return [entry];
  });
}

function isHostPort(value: string): boolean {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/.exec(value);
  return match !== null && Number(match[3]) >= 1 && Number(match[3]) <= 65535;
}

function parseSocket(
  input: unknown,
  path: string,
  fallback: SocketAddress,
  problems: string[],
): SocketAddress {
  if (input === undefined) return fallback;
  const socket = object(input, path, problems);
  if (!socket) return fallback;
  unknownKeys(socket, ['address', 'port'], path, problems);
  const address =
    socket.address === undefined ? fallback.address : text(socket.address, `${path}.address`, problems);
  if (socket.address !== undefined && !isIpAddress(address))
    problems.push(`${path}.address: must be an IP address, not ${JSON.stringify(address)}`);
  const port =
    socket.port === undefined ? fallback.port : integer(socket.port, `${path}.port`, 0, 65535, problems);
  return { address, port };
}

function isIpAddress(value: string): boolean {
  return /^[0-9a-fA-F:.]+$|^localhost$/.test(value);
}

/** `5s`, `500ms`, `1m`, `1.5s`. */
function parseDuration(input: unknown, path: string, problems: string[]): number {
  const match = typeof input === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(input.trim()) : null;
  if (!match) {
    problems.push(`${path}: must be a duration like "5s" or "500ms", not ${JSON.stringify(input)}`);
    return 0;
  }
  const scale = match[2] === 'ms' ? 1 : match[2] === 's' ? 1000 : 60_000;
  return Math.round(Number(match[1]) * scale);
}
