// Turns the control plane's MeshGraph into cytoscape elements and into the rows of the edge table beside it.
import type { GraphEdge, GraphNode, MeshGraph } from '@heddle/api';
import type { ElementDefinition } from 'cytoscape';
import { formatMs, formatPercent, formatRate } from './format.ts';
import type { Route } from './route.ts';

/** Above this error fraction an edge is drawn red, as Kiali does by default at 5 %. */
export const EDGE_ERROR_THRESHOLD = 0.05;

/**
 * Marks an mTLS edge on the canvas. A word rather than a lock emoji: canvas text has no fallback image, and
 * machines without an emoji font would draw an empty box. The table and legend show a drawn lock instead.
 */
export const MTLS_MARK = 'mTLS';

export interface EdgeRow {
  readonly id: string;
  readonly source: GraphNode | undefined;
  readonly target: GraphNode | undefined;
  readonly sourceLabel: string;
  readonly targetLabel: string;
  readonly protocol: GraphEdge['protocol'];
  readonly rate: string;
  readonly errors: string;
  readonly p50: string;
  readonly p99: string;
  readonly mtls: boolean;
  readonly failing: boolean;
}

/** The two lines under a node: its name, then `app version` when the workload carries those labels. */
export function nodeLabel(node: GraphNode): string {
  const subtitle = [node.app, node.version].filter((part) => part !== undefined && part !== '').join(' ');
  return subtitle && subtitle !== node.label ? `${node.label}\n${subtitle}` : node.label;
}

export function edgeLabel(edge: GraphEdge): string {
  const parts = [formatRate(edge.traffic.requestsPerSecond)];
  if (edge.protocol !== 'tcp') parts.push(formatPercent(edge.traffic.errorRate));
  if (edge.mtls) parts.push(MTLS_MARK);
  return parts.join(' · ');
}

export function isFailing(edge: GraphEdge): boolean {
  return edge.traffic.errorRate > EDGE_ERROR_THRESHOLD;
}

/** Cytoscape elements; edges whose ends are not in the node list are left out (cytoscape refuses them). */
export function buildGraphElements(graph: MeshGraph): ElementDefinition[] {
  const ids = new Set(graph.nodes.map((node) => node.id));
  const nodes: ElementDefinition[] = graph.nodes.map((node) => ({
    group: 'nodes',
    data: { id: node.id, label: nodeLabel(node), kind: node.kind, namespace: node.namespace },
    classes: nodeClasses(node).join(' '),
  }));
  const edges: ElementDefinition[] = graph.edges
    .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
    .map((edge) => ({
      group: 'edges',
      data: {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label: edgeLabel(edge),
        protocol: edge.protocol,
      },
      classes: [edge.protocol, ...(isFailing(edge) ? ['failing'] : []), ...(edge.mtls ? ['mtls'] : [])].join(
        ' ',
      ),
    }));
  return [...nodes, ...edges];
}

function nodeClasses(node: GraphNode): string[] {
  const classes: string[] = [node.kind];
  if (node.traffic && node.traffic.errorRate > EDGE_ERROR_THRESHOLD) classes.push('failing');
  if (node.proxies !== undefined && node.syncedProxies !== undefined && node.syncedProxies < node.proxies)
    classes.push('unsynced');
  return classes;
}

/** The edge table, busiest edges first. */
export function buildEdgeRows(graph: MeshGraph): EdgeRow[] {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  return [...graph.edges]
    .sort((a, b) => b.traffic.requestsPerSecond - a.traffic.requestsPerSecond || a.id.localeCompare(b.id))
    .map((edge) => {
      const source = byId.get(edge.source);
      const target = byId.get(edge.target);
      return {
        id: edge.id,
        source,
        target,
        sourceLabel: source?.label ?? edge.source,
        targetLabel: target?.label ?? edge.target,
        protocol: edge.protocol,
        rate: formatRate(edge.traffic.requestsPerSecond),
        errors: edge.protocol === 'tcp' ? '' : formatPercent(edge.traffic.errorRate),
        p50: formatMs(edge.traffic.p50Ms),
        p99: formatMs(edge.traffic.p99Ms),
        mtls: edge.mtls,
        failing: isFailing(edge),
      };
    });
}

/** Where clicking a node leads: its workload or service detail; external and unknown nodes have none. */
export function detailRouteOf(node: GraphNode): Route | undefined {
  switch (node.kind) {
    case 'workload':
    case 'gateway':
      return { view: 'workload', namespace: node.namespace, name: node.workload ?? node.label };
    case 'service':
      return node.service ? { view: 'service', namespace: node.namespace, host: node.service } : undefined;
    case 'external':
    case 'unknown':
      return undefined;
  }
}
