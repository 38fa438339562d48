// Builds the dashboard's service graph (Kiali's versioned-app style: workload → service → workload) from a
// window of metric increases, plus the registered services, workloads and connected proxies that had no
// traffic yet, so that a fresh mesh shows its parts. Pure: every input is given.
import type { GraphEdge, GraphNode, GraphNodeKind, MeshGraph } from '@heddle/api';
import type { WindowIncreases } from '../mesh-metrics/metrics-history.ts';
import { TrafficTotals } from '../mesh-metrics/traffic-totals.ts';
import { serviceNodeId, trafficHops, workloadNodeId, type HopEnd } from '../mesh-metrics/traffic-hops.ts';

export interface GraphService {
  readonly hostname: string;
  readonly namespace: string;
  readonly location: 'MESH_INTERNAL' | 'MESH_EXTERNAL';
}

export interface GraphWorkload {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One connected proxy: its workload, its role (`sidecar`, `router`) and whether it holds what was sent. */
export interface GraphProxy extends GraphWorkload {
  readonly role: string;
  readonly synced: boolean;
}

export interface GraphInput {
  readonly generatedAt: string;
  readonly windowSeconds: number;
  readonly traffic: WindowIncreases;
  readonly services: readonly GraphService[];
  readonly workloads: readonly GraphWorkload[];
  readonly proxies: readonly GraphProxy[];
  /** Only nodes of this namespace, and the nodes their edges lead to or come from. */
  readonly namespace?: string;
}

interface NodeDraft {
  id: string;
  kind: GraphNodeKind;
  label: string;
  namespace: string;
  app?: string;
  version?: string;
  workload?: string;
  service?: string;
  proxies?: number;
  syncedProxies?: number;
}

export function buildMeshGraph(input: GraphInput): MeshGraph {
  const external = new Set(
    input.services
      .filter((s) => s.location === 'MESH_EXTERNAL')
      .map((s) => serviceNodeId(s.namespace, s.hostname)),
  );
  const gateways = new Set(
    input.proxies.filter((p) => p.role === 'router').map((p) => workloadNodeId(p.namespace, p.name)),
  );
  const nodes = new Map<string, NodeDraft>();
  const nodeTotals = new Map<string, TrafficTotals>();
  const edges = new Map<string, { source: string; target: string; totals: TrafficTotals }>();
  const addNode = (end: HopEnd): void => {
    const existing = nodes.get(end.id);
    if (existing) {
      existing.app ??= end.app;
      existing.version ??= end.version;
      return;
    }
    nodes.set(end.id, draftOf(end, external, gateways));
  };

  for (const { series, value } of input.traffic.increases) {
    for (const { source, target } of trafficHops(series)) {
      addNode(source);
      addNode(target);
      const id = `${source.id}->${target.id}`;
      let edge = edges.get(id);
      if (!edge)
        edges.set(id, (edge = { source: source.id, target: target.id, totals: new TrafficTotals() }));
      edge.totals.add(series, value);
      totalsOf(nodeTotals, target.id).add(series, value);
    }
  }
  for (const service of input.services) {
    const id = serviceNodeId(service.namespace, service.hostname);
    if (!nodes.has(id))
      nodes.set(
        id,
        draftOf(
          { id, kind: 'service', namespace: service.namespace, service: service.hostname },
          external,
          gateways,
        ),
      );
  }
  for (const workload of [...input.workloads, ...input.proxies]) {
    const id = workloadNodeId(workload.namespace, workload.name);
    if (!nodes.has(id)) {
      const { app, version } = workload.labels;
      nodes.set(
        id,
        draftOf(
          {
            id,
            kind: 'workload',
            namespace: workload.namespace,
            workload: workload.name,
            ...(app !== undefined ? { app } : {}),
            ...(version !== undefined ? { version } : {}),
          },
          external,
          gateways,
        ),
      );
    }
  }
  for (const proxy of input.proxies) {
    const node = nodes.get(workloadNodeId(proxy.namespace, proxy.name));
    if (!node) continue;
    node.proxies = (node.proxies ?? 0) + 1;
    node.syncedProxies = (node.syncedProxies ?? 0) + (proxy.synced ? 1 : 0);
  }

  const seconds = input.traffic.seconds;
  let graphEdges: GraphEdge[] = [...edges].map(([id, { source, target, totals }]) => ({
    id,
    source,
    target,
    protocol: totals.protocol(),
    traffic: totals.figures(seconds),
    responseCodes: totals.codeRates(seconds),
    ...(totals.tcpBytes > 0
      ? { bytesPerSecond: Math.round((totals.tcpBytes / Math.max(seconds, 1e-9)) * 1000) / 1000 }
      : {}),
    mtls: totals.allMutualTls(),
  }));
  let graphNodes: GraphNode[] = [...nodes.values()].map((draft) => {
    const totals = nodeTotals.get(draft.id);
    return { ...compact(draft), ...(totals ? { traffic: totals.figures(seconds) } : {}) };
  });
  if (input.namespace !== undefined) {
    const namespace = input.namespace;
    const inNamespace = new Set(graphNodes.filter((n) => n.namespace === namespace).map((n) => n.id));
    graphEdges = graphEdges.filter((e) => inNamespace.has(e.source) || inNamespace.has(e.target));
    const shown = new Set([...inNamespace, ...graphEdges.flatMap((e) => [e.source, e.target])]);
    graphNodes = graphNodes.filter((n) => shown.has(n.id));
  }
  return {
    generatedAt: input.generatedAt,
    windowSeconds: input.windowSeconds,
    nodes: graphNodes.sort((a, b) => compare(a.id, b.id)),
    edges: graphEdges.sort((a, b) => compare(a.id, b.id)),
  };
}

function draftOf(end: HopEnd, external: ReadonlySet<string>, gateways: ReadonlySet<string>): NodeDraft {
  const kind: GraphNodeKind =
    end.kind === 'service' && external.has(end.id)
      ? 'external'
      : end.kind === 'workload' && (gateways.has(end.id) || isGatewayName(end))
        ? 'gateway'
        : end.kind;
  return {
    id: end.id,
    kind,
    label: labelOf(end),
    namespace: end.namespace,
    ...(end.app !== undefined ? { app: end.app } : {}),
    ...(end.version !== undefined ? { version: end.version } : {}),
    ...(end.workload !== undefined ? { workload: end.workload } : {}),
    ...(end.service !== undefined ? { service: end.service } : {}),
  };
}

/** Istio's gateways by their usual names, for gateways known only from the metrics of their peers. */
function isGatewayName(end: HopEnd): boolean {
  return (
    /^istio-(ingress|egress)gateway/.test(end.workload ?? '') ||
    /^istio-(ingress|egress)gateway/.test(end.app ?? '')
  );
}

function labelOf(end: HopEnd): string {
  if (end.kind === 'unknown') return 'unknown';
  if (end.service !== undefined) {
    const suffix = `.${end.namespace}.svc.cluster.local`;
    return end.service.endsWith(suffix) ? end.service.slice(0, -suffix.length) : end.service;
  }
  return end.workload ?? end.id;
}

function compact(draft: NodeDraft): GraphNode {
  const node: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(draft)) if (value !== undefined) node[key] = value;
  return node as unknown as GraphNode;
}

function totalsOf(map: Map<string, TrafficTotals>, id: string): TrafficTotals {
  let totals = map.get(id);
  if (!totals) map.set(id, (totals = new TrafficTotals()));
  return totals;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
