// Workload and service detail: traffic charts from /series, the edges in and out, and the proxies behind it.
import type { MeshGraph } from '@heddle/api';
import {
  fetchGraph,
  fetchProxyStatus,
  fetchRegistry,
  fetchSeries,
  type ProxySyncStatus,
  type RegistryService,
  type SeriesTarget,
} from '../../client/index.ts';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Loading } from '../components/loading.tsx';
import { EdgeTable } from '../components/edge-table.tsx';
import { ProxyTable } from '../components/proxy-table.tsx';
import { TrafficCharts } from '../components/traffic-charts.tsx';
import { formatWindow } from '../lib/format.ts';
import { buildEdgeRows } from '../lib/graph-elements.ts';
import { useSettings } from '../settings.ts';
import { usePolling } from '../use-polling.ts';

export type DetailTarget =
  | { readonly kind: 'workload'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'service'; readonly namespace: string; readonly host: string };

export function DetailView({ target }: { target: DetailTarget }) {
  const { tick, windowSeconds } = useSettings();
  const seriesTarget: SeriesTarget =
    target.kind === 'workload'
      ? { namespace: target.namespace, workload: target.name }
      : { namespace: target.namespace, service: target.host };
  const name = target.kind === 'workload' ? target.name : target.host;
  const key = `${target.kind}:${target.namespace}:${name}:${windowSeconds}`;
  const series = usePolling((signal) => fetchSeries(seriesTarget, windowSeconds, { signal }), key, tick);
  const graph = usePolling(
    (signal) => fetchGraph({ windowSeconds, namespace: target.namespace }, { signal }),
    key,
    tick,
  );
  const proxies = usePolling((signal) => fetchProxyStatus({ signal }), 'syncz', tick);
  const registry = usePolling(
    (signal) => (target.kind === 'service' ? fetchRegistry({ signal }) : Promise.resolve([])),
    key,
    tick,
  );
  const service =
    target.kind === 'service' ? registry.data?.find((s) => s.hostname === target.host) : undefined;
  const workloads =
    target.kind === 'workload'
      ? new Set([target.name])
      : new Set(
          service?.endpoints.flatMap((endpoint) => (endpoint.workloadName ? [endpoint.workloadName] : [])),
        );
  const ownProxies = (proxies.data ?? []).filter(
    (status: ProxySyncStatus) => status.namespace === target.namespace && workloads.has(status.workload),
  );
  return (
    <div class="view" data-testid="detail-view">
      <ErrorBanner errors={[series.error, graph.error, proxies.error, registry.error]} />
      <h1 class="detail-title">
        <span class="kind">{target.kind}</span> {name} <span class="namespace">{target.namespace}</span>
      </h1>
      <p class="legend">
        Last {formatWindow(windowSeconds)}, inbound requests as the destination proxy reports them.
      </p>
      {series.data ? <TrafficCharts series={series.data} /> : <Loading failed={series.error !== undefined} />}
      {graph.data ? <NeighbourEdges graph={graph.data} target={target} /> : null}
      {service ? <Endpoints service={service} /> : null}
      <ProxyTable statuses={ownProxies} caption={`Proxies of this ${target.kind}`} />
    </div>
  );
}

function matches(node: MeshGraph['nodes'][number] | undefined, target: DetailTarget): boolean {
  if (!node || node.namespace !== target.namespace) return false;
  return target.kind === 'workload'
    ? (node.kind === 'workload' || node.kind === 'gateway') && (node.workload ?? node.label) === target.name
    : node.kind === 'service' && node.service === target.host;
}

function NeighbourEdges({ graph, target }: { graph: MeshGraph; target: DetailTarget }) {
  const rows = buildEdgeRows(graph).filter(
    (row) => matches(row.source, target) || matches(row.target, target),
  );
  return (
    <EdgeTable
      rows={rows}
      testId="detail-edges"
      caption="Traffic in and out"
      emptyText="No requests in this window."
    />
  );
}

function Endpoints({ service }: { service: RegistryService }) {
  return (
    <table data-testid="service-endpoints">
      <caption>
        Endpoints ({service.origin}; ports{' '}
        {service.ports.map((port) => `${port.number}/${port.protocol}`).join(', ')})
      </caption>
      <thead>
        <tr>
          <th scope="col">Address</th>
          <th scope="col">Workload</th>
          <th scope="col">Labels</th>
          <th scope="col">Healthy</th>
          <th scope="col">mTLS</th>
        </tr>
      </thead>
      <tbody>
        {service.endpoints.map((endpoint, index) => (
          <tr key={`${endpoint.address}/${index}`}>
            <td>{endpoint.address}</td>
            <td>{endpoint.workloadName ?? '—'}</td>
            <td>
              {Object.entries(endpoint.labels)
                .map(([label, value]) => `${label}=${value}`)
                .join(', ')}
            </td>
            <td>{endpoint.healthy ? 'yes' : 'no'}</td>
            <td>{endpoint.tlsMode === 'istio' ? 'istio' : 'plain'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
