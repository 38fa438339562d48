// The `istio.stats` filter config (a TypedStruct `type.heddle.dev/heddle.telemetry.v1.StatsConfig`), shared by
// the HTTP and TCP filters: who reports, this proxy's own peer metadata and principal, and the Telemetry API
// overrides already resolved for this reporter by the control plane. Compiled once per config.
import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { compileAttributeExpression, type AttributeGetter } from './attribute-expression.ts';
import { isIstioMetric, type IstioMetric } from './istio-metrics.ts';
import type { DestinationService, Reporter } from './metric-attributes.ts';
import { localPeerHeaders, UNKNOWN, type LocalPeerHeaders, type PeerMetadata } from './peer-metadata.ts';

export const STATS_CONFIG_TYPE_URL = 'type.heddle.dev/heddle.telemetry.v1.StatsConfig';

export interface TagOverride {
  readonly tag: string;
  /** undefined: REMOVE. */
  readonly value?: AttributeGetter;
  /** The expression text, which identifies equal plans. */
  readonly source: string;
}

export interface MetricOverride {
  readonly disabled: boolean;
  readonly tagOverrides: readonly TagOverride[];
}

export interface CompiledStatsConfig {
  readonly reporter: Reporter;
  readonly local: PeerMetadata;
  readonly localHeaders: LocalPeerHeaders;
  /** This proxy's SPIFFE identity, `unknown` when not given. */
  readonly principal: string;
  readonly overrides: ReadonlyMap<IstioMetric, MetricOverride>;
  /** Server side: the services the port serves, to label destination_service with. */
  readonly services: readonly DestinationService[];
}

const PEER_KEYS: readonly (keyof PeerMetadata)[] = [
  'workload',
  'namespace',
  'app',
  'version',
  'canonicalService',
  'canonicalRevision',
  'cluster',
];
const TAG_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function compileStatsConfig(value: JsonObject): CompiledStatsConfig | { readonly error: string } {
  const reporter = value.reporter;
  if (reporter !== 'source' && reporter !== 'destination') {
    return {
      error: `istio.stats: reporter must be "source" or "destination", not ${JSON.stringify(reporter)}`,
    };
  }
  const node = isObject(value.node) ? value.node : {};
  const local: Record<string, string> = {};
  // The node's Kubernetes cluster id is `clusterId` in the config (`cluster` would read as an Envoy cluster).
  for (const key of PEER_KEYS) local[key] = text(node[key === 'cluster' ? 'clusterId' : key]) ?? UNKNOWN;
  const peer = local as unknown as PeerMetadata;
  const overrides = new Map<IstioMetric, MetricOverride>();
  const metrics = value.metrics;
  if (metrics !== undefined && !isObject(metrics)) return { error: 'istio.stats: metrics must be an object' };
  for (const [metric, spec] of Object.entries(metrics ?? {})) {
    if (!isIstioMetric(metric)) return { error: `istio.stats: unknown metric ${metric}` };
    if (!isObject(spec)) return { error: `istio.stats: metrics.${metric} must be an object` };
    const compiled = compileOverride(metric, spec);
    if ('error' in compiled) return compiled;
    overrides.set(metric, compiled);
  }
  const services: DestinationService[] = [];
  for (const service of Array.isArray(value.services) ? value.services : []) {
    if (!isObject(service)) continue;
    const host = text(service.host);
    if (host === undefined) continue;
    services.push({ host, name: text(service.name) ?? host, namespace: text(service.namespace) ?? UNKNOWN });
  }
  return {
    reporter,
    services,
    local: peer,
    localHeaders: localPeerHeaders(text(value.nodeId) ?? UNKNOWN, peer),
    principal: text(value.principal) ?? UNKNOWN,
    overrides,
  };
}

function compileOverride(metric: string, spec: JsonObject): MetricOverride | { readonly error: string } {
  const tagOverrides: TagOverride[] = [];
  const tags = spec.tagOverrides;
  if (tags !== undefined && !isObject(tags))
    return { error: `istio.stats: ${metric}.tagOverrides must be an object` };
  for (const [tag, override] of Object.entries(tags ?? {})) {
    if (!TAG_NAME.test(tag)) return { error: `istio.stats: ${metric}: "${tag}" is not a valid label name` };
    if (!isObject(override)) return { error: `istio.stats: ${metric}.tagOverrides.${tag} must be an object` };
    const operation = override.operation ?? 'UPSERT';
    if (operation === 'REMOVE') {
      tagOverrides.push({ tag, source: '' });
      continue;
    }
    if (operation !== 'UPSERT')
      return { error: `istio.stats: ${metric}.${tag}: unknown operation ${JSON.stringify(operation)}` };
    const expression = text(override.value);
    if (expression === undefined) return { error: `istio.stats: ${metric}.${tag}: UPSERT needs a value` };
    const getter = compileAttributeExpression(expression);
    if (typeof getter !== 'function') return { error: `istio.stats: ${metric}.${tag}: ${getter.error}` };
    tagOverrides.push({ tag, value: getter, source: expression });
  }
  tagOverrides.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { disabled: spec.disabled === true, tagOverrides };
}
