// Graph: who calls whom over the window, as a cytoscape picture and the same edges as an accessible table.
import type { MeshGraph } from '@heddle/api';
import { useMemo } from 'preact/hooks';
import { fetchGraph } from '../../client/index.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { EdgeTable } from '../components/edge-table.tsx';
import { LockIcon } from '../components/icons.tsx';
import { MeshGraphCanvas } from '../components/mesh-graph-canvas.tsx';
import { formatWindow } from '../lib/format.ts';
import { buildEdgeRows, buildGraphElements, detailRouteOf, MTLS_MARK } from '../lib/graph-elements.ts';
import { routeHash } from '../lib/route.ts';
import { useSettings } from '../settings.ts';
import { usePolling } from '../use-polling.ts';

export function GraphView() {
  const { tick, windowSeconds, namespace, navigate } = useSettings();
  const graph = usePolling(
    (signal) => fetchGraph({ windowSeconds, namespace }, { signal }),
    `graph:${windowSeconds}:${namespace}`,
    tick,
  );
  const elements = useMemo(() => (graph.data ? buildGraphElements(graph.data) : []), [graph.data]);
  const openNode = (nodeId: string) => {
    const node = graph.data?.nodes.find((candidate) => candidate.id === nodeId);
    const route = node ? detailRouteOf(node) : undefined;
    if (route) navigate(route);
  };
  return (
    <div class="view" data-testid="graph-view">
      <ErrorBanner errors={[graph.error]} />
      {graph.data ? (
        <>
          <p class="legend">
            Last {formatWindow(graph.data.windowSeconds)}
            {namespace ? ` in ${namespace}` : ''} · <span class="shape workload">●</span> workload ·{' '}
            <span class="shape service">▲</span> service · <span class="shape gateway">◆</span> gateway ·{' '}
            <span class="shape external">■</span> external · red edges: more than 5 % errors · “{MTLS_MARK}”{' '}
            <LockIcon /> mutual TLS on every request
          </p>
          {graph.data.nodes.length === 0 ? (
            <p class="empty">No traffic and no workloads in this window yet.</p>
          ) : (
            <MeshGraphCanvas elements={elements} onNodeClick={openNode} />
          )}
          <GraphEdges graph={graph.data} />
        </>
      ) : (
        <Loading failed={graph.error !== undefined} />
      )}
    </div>
  );
}

function GraphEdges({ graph }: { graph: MeshGraph }) {
  const rows = buildEdgeRows(graph);
  const link = (node: MeshGraph['nodes'][number] | undefined, label: string) => {
    const route = node ? detailRouteOf(node) : undefined;
    return route ? <a href={routeHash(route)}>{label}</a> : label;
  };
  return (
    <EdgeTable
      rows={rows}
      testId="edge-table"
      caption={`Edges (${rows.length})`}
      emptyText="No requests between workloads in this window."
      detailed
      endpoint={link}
    />
  );
}
