// Control-plane answers that follow the dashboard contract: a two-service shop (frontend → product v1/v2)
// with one failing edge, for the client tests and the browser test.
import type { DashboardFindings, DashboardOverview, MeshGraph, TrafficSeries } from '@heddle/api';
import type {
  ProxySyncStatus,
  RegistryService,
  ResourceList,
  ZipkinSpan,
} from '../../src/client/control-plane-types.ts';

const NOW = '2026-11-22T10:00:00.000Z';
const NOW_SECONDS = Date.parse(NOW) / 1000;

export const OVERVIEW: DashboardOverview = {
  generatedAt: NOW,
  controlPlane: {
    version: '0.1.0',
    id: 'heddle-fixture',
    startedAt: '2026-11-22T09:00:00.000Z',
    store: 'sqlite',
    caEnabled: true,
  },
  proxies: { total: 3, synced: 2, stale: 0, nacked: 1, notSent: 0 },
  config: { total: 3, byKind: { VirtualService: 1, DestinationRule: 1, PeerAuthentication: 1 } },
  services: 2,
  workloads: 3,
  findings: { errors: 1, warnings: 1, infos: 0 },
  traffic: { requestsPerSecond: 12.5, errorRate: 0.02, p50Ms: 3.2, p99Ms: 41, windowSeconds: 300 },
  scrape: { intervalSeconds: 5, targets: 3, healthy: 3, lastScrapeAt: NOW },
};

export const GRAPH: MeshGraph = {
  generatedAt: NOW,
  windowSeconds: 300,
  nodes: [
    {
      id: 'workload:shop/frontend',
      kind: 'workload',
      label: 'frontend',
      namespace: 'shop',
      app: 'frontend',
      version: 'v1',
      workload: 'frontend',
      proxies: 1,
      syncedProxies: 1,
    },
    {
      id: 'service:shop/product.shop.svc.cluster.local',
      kind: 'service',
      label: 'product',
      namespace: 'shop',
      service: 'product.shop.svc.cluster.local',
      traffic: { requestsPerSecond: 12.5, errorRate: 0.02, p50Ms: 3.2, p99Ms: 41 },
    },
    {
      id: 'workload:shop/product-v1',
      kind: 'workload',
      label: 'product-v1',
      namespace: 'shop',
      app: 'product',
      version: 'v1',
      workload: 'product-v1',
      proxies: 1,
      syncedProxies: 1,
    },
    {
      id: 'workload:shop/product-v2',
      kind: 'workload',
      label: 'product-v2',
      namespace: 'shop',
      app: 'product',
      version: 'v2',
      workload: 'product-v2',
      proxies: 1,
      syncedProxies: 0,
    },
  ],
  edges: [
    {
      id: 'workload:shop/frontend->service:shop/product.shop.svc.cluster.local',
      source: 'workload:shop/frontend',
      target: 'service:shop/product.shop.svc.cluster.local',
      protocol: 'http',
      traffic: { requestsPerSecond: 12.5, errorRate: 0.02, p50Ms: 3.2, p99Ms: 41 },
      responseCodes: { '200': 12.25, '503': 0.25 },
      mtls: true,
    },
    {
      id: 'service:shop/product.shop.svc.cluster.local->workload:shop/product-v1',
      source: 'service:shop/product.shop.svc.cluster.local',
      target: 'workload:shop/product-v1',
      protocol: 'http',
      traffic: { requestsPerSecond: 10, errorRate: 0, p50Ms: 3, p99Ms: 12 },
      responseCodes: { '200': 10 },
      mtls: true,
    },
    {
      id: 'service:shop/product.shop.svc.cluster.local->workload:shop/product-v2',
      source: 'service:shop/product.shop.svc.cluster.local',
      target: 'workload:shop/product-v2',
      protocol: 'http',
      traffic: { requestsPerSecond: 2.5, errorRate: 0.1, p50Ms: 4, p99Ms: 90 },
      responseCodes: { '200': 2.25, '503': 0.25 },
      mtls: false,
    },
  ],
};

export function seriesFor(query: URLSearchParams): TrafficSeries {
  const steps = 12;
  const timestamps = Array.from({ length: steps }, (_, index) => NOW_SECONDS - (steps - 1 - index) * 5);
  const target = query.get('service')
    ? { service: query.get('service') ?? '' }
    : { workload: query.get('workload') ?? '' };
  return {
    namespace: query.get('namespace') ?? '',
    ...target,
    stepSeconds: 5,
    timestamps,
    requestsPerSecond: timestamps.map((_, index) => (index < 2 ? 0 : 10 + (index % 3))),
    errorRate: timestamps.map((_, index) => (index < 2 ? null : index % 4 === 0 ? 0.1 : 0)),
    p50Ms: timestamps.map((_, index) => (index < 2 ? null : 3 + (index % 2))),
    p99Ms: timestamps.map((_, index) => (index < 2 ? null : 40 + index)),
  };
}

export const FINDINGS: DashboardFindings = {
  generatedAt: NOW,
  findings: [
    {
      code: 'IST0101',
      level: 'Error',
      message: 'Referenced host not found: "ratings.shop.svc.cluster.local"',
      resource: 'VirtualService shop/product',
      field: 'spec.http[0].route[0].destination.host',
    },
    {
      code: 'IST0128',
      level: 'Warning',
      message: 'DestinationRule has no TLS settings for an external host',
      resource: 'DestinationRule shop/product',
    },
  ],
};

function types(status: 'SYNCED' | 'NACKED'): ProxySyncStatus['types'] {
  return ['CDS', 'LDS', 'EDS', 'RDS', 'SDS'].map((type) => ({
    type,
    typeUrl: `type.googleapis.com/envoy.${type}`,
    status: type === 'LDS' ? status : 'SYNCED',
    sentVersion: '2026-11-22T09:59:00Z/7',
    ackedVersion: '2026-11-22T09:59:00Z/7',
    resources: 2,
    rejects: type === 'LDS' && status === 'NACKED' ? 1 : 0,
    ...(type === 'LDS' && status === 'NACKED'
      ? { lastError: { version: '7', code: 3, message: 'listener 0.0.0.0_9080: unknown filter' } }
      : {}),
  }));
}

function proxy(workload: string, status: 'SYNCED' | 'NACKED'): ProxySyncStatus {
  return {
    proxy: `sidecar~127.0.0.1~${workload}.shop~shop.svc.cluster.local`,
    role: 'sidecar',
    namespace: 'shop',
    workload,
    version: '0.1.0',
    stream: 'delta',
    connectedAt: '2026-11-22T09:30:00.000Z',
    controlPlane: 'heddle-fixture',
    types: types(status),
  };
}

export const SYNCZ: ProxySyncStatus[] = [
  proxy('frontend', 'SYNCED'),
  proxy('product-v1', 'SYNCED'),
  proxy('product-v2', 'NACKED'),
];

export const RESOURCES: ResourceList = {
  revision: 7,
  items: [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta('product'),
      spec: { host: 'product', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: meta('default'),
      spec: { mtls: { mode: 'STRICT' } },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta('product'),
      spec: {
        hosts: ['product'],
        http: [{ route: [{ destination: { host: 'product', subset: 'v1' }, weight: 100 }] }],
      },
    },
  ],
};

function meta(name: string): ResourceList['items'][number]['metadata'] {
  return {
    name,
    namespace: 'shop',
    resourceVersion: '7',
    generation: 1,
    creationTimestamp: '2026-11-22T09:10:00Z',
  };
}

export const REGISTRY: RegistryService[] = [
  {
    hostname: 'product.shop.svc.cluster.local',
    namespace: 'shop',
    name: 'product',
    ports: [{ name: 'http', number: 9080, protocol: 'HTTP' }],
    location: 'MESH_INTERNAL',
    origin: 'ServiceEntry shop/product',
    endpoints: [
      {
        address: '127.0.0.1',
        namespace: 'shop',
        workloadName: 'product-v1',
        labels: { app: 'product', version: 'v1' },
        healthy: true,
        tlsMode: 'istio',
      },
      {
        address: '127.0.0.2',
        namespace: 'shop',
        workloadName: 'product-v2',
        labels: { app: 'product', version: 'v2' },
        healthy: true,
        tlsMode: 'istio',
      },
    ],
  },
  {
    hostname: 'frontend.shop.svc.cluster.local',
    namespace: 'shop',
    name: 'frontend',
    ports: [{ name: 'http', number: 8080, protocol: 'HTTP' }],
    location: 'MESH_INTERNAL',
    origin: 'ServiceEntry shop/frontend',
    endpoints: [],
  },
];

const TRACE_START = Date.parse(NOW) * 1000;

export const TRACES: ZipkinSpan[][] = [
  [
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      id: 'b7ad6b7169203331',
      name: 'frontend.shop.svc.cluster.local:8080/*',
      kind: 'SERVER',
      timestamp: TRACE_START,
      duration: 12_000,
      localEndpoint: { serviceName: 'frontend.shop' },
      tags: { 'http.status_code': '200' },
    },
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      id: 'c7ad6b7169203332',
      parentId: 'b7ad6b7169203331',
      name: 'product.shop.svc.cluster.local:9080/*',
      kind: 'CLIENT',
      timestamp: TRACE_START + 1000,
      duration: 9000,
      localEndpoint: { serviceName: 'frontend.shop' },
    },
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      id: 'd7ad6b7169203333',
      parentId: 'c7ad6b7169203332',
      name: 'product.shop.svc.cluster.local:9080/*',
      kind: 'SERVER',
      timestamp: TRACE_START + 2000,
      duration: 7000,
      localEndpoint: { serviceName: 'product.shop' },
    },
  ],
];
