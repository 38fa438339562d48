// Envoy's default tag extraction for the common stat trees (cluster, listener, http, tcp, vhost, response
// codes): the dynamic parts of a stat name become Prometheus labels. Runs once per stat, never per request.

export type StatTag = readonly [name: string, value: string];

export interface ExtractedStat {
  /** The name with the extracted parts removed, e.g. `cluster.upstream_rq_total`. */
  readonly name: string;
  readonly tags: readonly StatTag[];
}

export const TAG_NAMES = {
  CLUSTER_NAME: 'envoy.cluster_name',
  LISTENER_ADDRESS: 'envoy.listener_address',
  HTTP_CONN_MANAGER_PREFIX: 'envoy.http_conn_manager_prefix',
  RESPONSE_CODE: 'envoy.response_code',
  RESPONSE_CODE_CLASS: 'envoy.response_code_class',
  TCP_PREFIX: 'envoy.tcp_prefix',
  VIRTUAL_HOST: 'envoy.virtual_host',
  VIRTUAL_CLUSTER: 'envoy.virtual_cluster',
  WORKER_ID: 'envoy.worker_id',
} as const;

const RESPONSE_CODE = /_rq_(\d{3})$/;
const RESPONSE_CODE_CLASS = /_rq_(\d)xx$/;
const LISTENER = /^listener\.(\d{1,3}(?:\.\d{1,3}){3}_\d+|\[[^\]]*\]_\d+|[^.]+)\./;
// An HCM stat prefix may hold an IPv4 address (`inbound_0.0.0.0_15006`); otherwise it has no dots.
const HTTP_PREFIX = /^([A-Za-z_-]*(?:\d{1,3}(?:\.\d{1,3}){3})?[^.]*)\./;
const WORKER = /^worker_(\d+)\./;
const TCP = /^tcp\.(.+)\.(\w+)$/;
const VHOST = /^vhost\.(.+)\.vcluster\.(.+)\.(\w+)$/;

export function extractTags(statName: string): ExtractedStat {
  const tags: StatTag[] = [];
  let name = statName;
  const code = RESPONSE_CODE.exec(name);
  if (code) {
    tags.push([TAG_NAMES.RESPONSE_CODE, code[1] as string]);
    name = `${name.slice(0, code.index)}_rq`;
  } else {
    const codeClass = RESPONSE_CODE_CLASS.exec(name);
    if (codeClass) {
      tags.push([TAG_NAMES.RESPONSE_CODE_CLASS, codeClass[1] as string]);
      name = `${name.slice(0, codeClass.index)}_rq_xx`;
    }
  }
  if (name.startsWith('cluster.')) return { name: extractCluster(name, tags), tags };
  if (name.startsWith('listener.')) return { name: extractListener(name, tags), tags };
  if (name.startsWith('http.')) return { name: `http.${extractHttpPrefix(name.slice(5), tags)}`, tags };
  const tcp = TCP.exec(name);
  if (tcp) {
    tags.push([TAG_NAMES.TCP_PREFIX, tcp[1] as string]);
    return { name: `tcp.${tcp[2] as string}`, tags };
  }
  const vhost = VHOST.exec(name);
  if (vhost) {
    tags.push([TAG_NAMES.VIRTUAL_HOST, vhost[1] as string], [TAG_NAMES.VIRTUAL_CLUSTER, vhost[2] as string]);
    return { name: `vhost.vcluster.${vhost[3] as string}`, tags };
  }
  return { name, tags };
}

function extractListener(name: string, tags: StatTag[]): string {
  const match = LISTENER.exec(name);
  if (!match) return name;
  tags.push([TAG_NAMES.LISTENER_ADDRESS, match[1] as string]);
  let rest = name.slice(match[0].length);
  const worker = WORKER.exec(rest);
  if (worker) {
    tags.push([TAG_NAMES.WORKER_ID, worker[1] as string]);
    rest = rest.slice(worker[0].length);
  }
  if (rest.startsWith('http.')) return `listener.http.${extractHttpPrefix(rest.slice(5), tags)}`;
  return `listener.${rest}`;
}

function extractHttpPrefix(rest: string, tags: StatTag[]): string {
  const match = HTTP_PREFIX.exec(rest);
  if (!match || match[0].length === rest.length) return rest;
  tags.push([TAG_NAMES.HTTP_CONN_MANAGER_PREFIX, match[1] as string]);
  return rest.slice(match[0].length);
}

// Cluster names hold dots (`outbound|9080||reviews.default.svc.cluster.local`), so the name ends where the
// rest of the stat reads as one of Envoy's cluster stat shapes.
const SINGLE =
  /^(?:upstream_\w+|lb_\w+|membership_\w+|assignment_\w+|update_\w+|version|bind_errors|max_host_weight|original_dst_host_invalid|retry_or_shadow_abandoned|init_fetch_timeout|warming_state)$/;
type Shape = (rest: readonly string[]) => boolean;
const twoSegments: Shape = (rest) => rest.length === 2;
const scoped: Shape = (rest) => rest.length === 2 && SINGLE.test(rest[1] as string);
const NESTED = new Map<string, Shape>([
  ['outlier_detection', twoSegments],
  ['health_check', twoSegments],
  ['http1', twoSegments],
  ['http2', twoSegments],
  ['http3', twoSegments],
  ['ssl', (rest) => rest.length >= 2],
  ['circuit_breakers', (rest) => rest.length === 3],
  ['internal', scoped],
  ['external', scoped],
  ['canary', scoped],
  ['zone', (rest) => rest.length === 4 && SINGLE.test(rest[3] as string)],
  ['default', (rest) => rest.length === 2 && rest[1] === 'total_match_count'],
]);

function extractCluster(name: string, tags: StatTag[]): string {
  const segments = name.slice('cluster.'.length).split('.');
  for (let split = 1; split < segments.length; split++) {
    const rest = segments.slice(split);
    const head = rest[0] as string;
    const nested = NESTED.get(head);
    if ((rest.length === 1 && SINGLE.test(head)) || (nested !== undefined && nested(rest))) {
      tags.push([TAG_NAMES.CLUSTER_NAME, segments.slice(0, split).join('.')]);
      return `cluster.${rest.join('.')}`;
    }
  }
  // Envoy's own rule for unknown shapes: the cluster name is the first segment.
  if (segments.length < 2) return name;
  tags.push([TAG_NAMES.CLUSTER_NAME, segments[0] as string]);
  return `cluster.${segments.slice(1).join('.')}`;
}
