// `heddle proxy-config bootstrap`: what the control plane knows of a proxy's node — its id, role, version and
// connection from the sync status, its labels, service account, addresses and locality from the registry —
// or, for a proxy's own dump (--file), the node of its BootstrapConfigDump.
import type { ProxyStatus, WorkloadInstance } from '@heddle/control-plane';
import type { ConfigDump } from '../client/api-types.ts';
import { at, record, text } from './json-fields.ts';

export interface NodeView {
  readonly id: string;
  readonly cluster?: string;
  readonly role?: string;
  readonly namespace?: string;
  readonly workload?: string;
  readonly version?: string;
  readonly serviceAccount?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly addresses?: readonly string[];
  readonly locality?: { readonly region?: string; readonly zone?: string; readonly subZone?: string };
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The control plane's record of the connection; absent for a saved dump. */
  readonly connection?: {
    readonly stream: string;
    readonly connectedAt: string;
    readonly controlPlane: string;
  };
}

const BOOTSTRAP_DUMP = 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump';

/** The node as the control plane sees it: sync status plus the registry's workload of that name. */
export function nodeFromControlPlane(status: ProxyStatus, workloads: readonly WorkloadInstance[]): NodeView {
  const ip = status.proxy.split('~')[1];
  const workload =
    workloads.find((w) => w.name === status.workload && w.namespace === status.namespace) ??
    workloads.find((w) => w.namespace === status.namespace && ip !== undefined && w.address === ip);
  return {
    id: status.proxy,
    cluster: `${status.workload}.${status.namespace}`,
    role: status.role,
    namespace: status.namespace,
    workload: status.workload,
    ...(status.version !== undefined ? { version: status.version } : {}),
    ...(workload
      ? {
          serviceAccount: workload.serviceAccount,
          labels: workload.labels,
          addresses: [workload.address],
          ...(workload.locality ? { locality: localityOf(workload.locality) } : {}),
        }
      : ip
        ? { addresses: [ip] }
        : {}),
    connection: {
      stream: status.stream,
      connectedAt: status.connectedAt,
      controlPlane: status.controlPlane,
    },
  };
}

/** The node a proxy announced, from its own config dump; undefined when the dump has no bootstrap. */
export function nodeFromDump(dump: ConfigDump): NodeView | undefined {
  const section = dump.configs.find((config) => text(config, '@type') === BOOTSTRAP_DUMP);
  const node = at(section, 'bootstrap', 'node');
  const id = text(node, 'id');
  if (id === undefined) return undefined;
  const metadata = record(at(node, 'metadata')) ?? {};
  const meta = (key: string): string | undefined =>
    typeof metadata[key] === 'string' ? metadata[key] : undefined;
  const labels = record(metadata.LABELS) as Readonly<Record<string, string>> | undefined;
  const ips = meta('INSTANCE_IPS');
  const locality = record(at(node, 'locality'));
  const version = meta('ISTIO_VERSION') ?? text(node, 'userAgentBuildVersion', 'metadata', 'version');
  return {
    id,
    ...optional('cluster', text(node, 'cluster')),
    ...optional('role', id.split('~')[0]),
    ...optional('namespace', meta('NAMESPACE')),
    ...optional('workload', meta('WORKLOAD_NAME')),
    ...optional('version', version),
    ...optional('serviceAccount', meta('SERVICE_ACCOUNT')),
    ...(labels ? { labels } : {}),
    ...(ips ? { addresses: ips.split(',').map((ip) => ip.trim()) } : {}),
    ...(locality && Object.keys(locality).length > 0 ? { locality: locality } : {}),
    metadata,
  };
}

function localityOf(locality: WorkloadInstance['locality']): NodeView['locality'] {
  const value = locality ?? {};
  return {
    ...optional('region', value.region),
    ...optional('zone', value.zone),
    ...optional('subZone', value.subzone),
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value !== undefined && value !== '' ? { [key]: value } : {}) as { [P in K]?: string };
}

/** `key: value` lines, as istioctl's short bootstrap output. */
export function renderNodeView(node: NodeView): string {
  const locality = node.locality
    ? [node.locality.region, node.locality.zone, node.locality.subZone].filter(Boolean).join('/')
    : undefined;
  const labels = node.labels
    ? Object.entries(node.labels)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `${key}=${value}`)
        .join(',')
    : undefined;
  const lines: [string, string | undefined][] = [
    ['NODE ID', node.id],
    ['CLUSTER', node.cluster],
    ['ROLE', node.role],
    ['NAMESPACE', node.namespace],
    ['WORKLOAD', node.workload],
    ['SERVICE ACCOUNT', node.serviceAccount],
    ['LABELS', labels],
    ['ADDRESSES', node.addresses?.join(',')],
    ['LOCALITY', locality],
    ['VERSION', node.version],
    ['STREAM', node.connection?.stream],
    ['CONTROL PLANE', node.connection?.controlPlane],
    ['METADATA KEYS', node.metadata ? Object.keys(node.metadata).sort().join(',') : undefined],
  ];
  const width = Math.max(...lines.map(([label]) => label.length)) + 1;
  return lines.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value || '-'}\n`).join('');
}
