// A small mesh of four namespaces, a gateway and a Sidecar-scoped namespace, and varied changes to it: the
// cases the dependency rules are checked against.
import { DEFAULT_MESH_CONFIG, type MeshConfig } from '@heddle/api';

export interface MeshChange {
  readonly title: string;
  /** The mesh after the change, from the base mesh's YAML. */
  readonly yaml: (base: string) => string;
  readonly meshConfig?: MeshConfig;
  /** Proxies (`name.namespace`) the change cannot reach: the rules must skip them. */
  readonly skips?: readonly string[];
  /**
   * Set when the translator does not read this config yet, so no output changes today; the case still checks
   * the rules once it does.
   */
  readonly notTranslatedYet?: string;
}

const serviceEntry = (
  name: string,
  namespace: string,
  address: string,
  extra = '',
) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  hosts: [${name}.${namespace}.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 9080, name: http, protocol: HTTP }]
  endpoints:
    - { address: ${address}, labels: { app: ${name} } }
${extra}`;

export const BASE_MESH = [
  `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews.shop.svc.cluster.local]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 9080, name: http, protocol: HTTP }]
  endpoints:
    - { address: 10.1.0.1, labels: { app: reviews, version: v1 } }
    - { address: 10.1.0.2, labels: { app: reviews, version: v2 } }
`,
  serviceEntry('productpage', 'shop', '10.1.0.3'),
  serviceEntry('ratings', 'rate', '10.2.0.1'),
  `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: db, namespace: data }
spec:
  hosts: [db.data.svc.cluster.local]
  exportTo: ["."]
  location: MESH_INTERNAL
  resolution: STATIC
  ports: [{ number: 5432, name: tcp-db, protocol: TCP }]
  endpoints:
    - { address: 10.3.0.1, labels: { app: db } }
`,
  `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: api, namespace: rate }
spec:
  hosts: [api.example.com]
  location: MESH_EXTERNAL
  resolution: DNS
  ports: [{ number: 80, name: http, protocol: HTTP }]
`,
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews, namespace: shop }
spec:
  hosts: [reviews]
  http:
    - route:
        - { destination: { host: reviews, subset: v1 }, weight: 90 }
        - { destination: { host: reviews, subset: v2 }, weight: 10 }
`,
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: shop }
spec:
  host: reviews
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
`,
  `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ratings, namespace: rate }
spec:
  host: ratings.rate.svc.cluster.local
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 100 } } }
`,
  `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: data }
spec:
  egress:
    - hosts: ["./*"]
`,
  `apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: quiet }
spec:
  egress:
    - hosts: ["./*"]
`,
  `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ingress, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: ["*"]
`,
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop-front, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/ingress]
  http:
    - route:
        - destination: { host: productpage, port: { number: 9080 } }
`,
].join('---\n');

const append = (yaml: string) => (base: string) => `${base}---\n${yaml}`;

function replace(from: string, to: string): (base: string) => string {
  return (base) => {
    if (!base.includes(from)) throw new Error(`the base mesh has no "${from}"`);
    return base.replace(from, to);
  };
}

function removeDocument(marker: string): (base: string) => string {
  return (base) => {
    const documents = base.split('---\n');
    const kept = documents.filter((document) => !document.includes(marker));
    if (kept.length !== documents.length - 1) throw new Error(`no single document with "${marker}"`);
    return kept.join('---\n');
  };
}

export const CHANGES: readonly MeshChange[] = [
  {
    title: 'VirtualService weights in shop',
    yaml: (base) => replace('weight: 90', 'weight: 80')(replace('weight: 10', 'weight: 20')(base)),
    skips: ['db.data', 'batch.data', 'lonely.quiet'],
  },
  {
    title: 'VirtualService exported to its own namespace only',
    yaml: replace('  hosts: [reviews]\n', '  hosts: [reviews]\n  exportTo: ["."]\n'),
    skips: ['db.data', 'lonely.quiet'],
  },
  {
    title: 'DestinationRule traffic policy in rate',
    yaml: replace('maxConnections: 100', 'maxConnections: 50'),
    skips: ['db.data', 'batch.data', 'lonely.quiet'],
  },
  {
    title: 'DestinationRule for an external host',
    yaml: append(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: rate }
spec:
  host: api.example.com
  trafficPolicy: { connectionPool: { tcp: { maxConnections: 7 } } }
`),
    skips: ['db.data', 'lonely.quiet'],
  },
  {
    title: 'mesh-wide DestinationRule for *.local in the root namespace',
    yaml: append(`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: default, namespace: istio-system }
spec:
  host: "*.local"
  trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 9 } } }
`),
    skips: ['lonely.quiet'],
  },
  {
    title: 'new ServiceEntry visible only in its namespace',
    yaml: append(
      serviceEntry('internal', 'rate', '10.2.0.7').replace('  location:', '  exportTo: ["."]\n  location:'),
    ),
    skips: ['reviews-v1.shop', 'productpage.shop', 'db.data', 'lonely.quiet'],
  },
  {
    title: 'registry endpoint added to ratings',
    yaml: replace(
      '    - { address: 10.2.0.1, labels: { app: ratings } }\n',
      '    - { address: 10.2.0.1, labels: { app: ratings } }\n    - { address: 10.2.0.5, labels: { app: ratings } }\n',
    ),
    skips: ['db.data', 'batch.data', 'lonely.quiet'],
  },
  {
    title: 'ServiceEntry removed',
    yaml: removeDocument('name: productpage, namespace: shop'),
    skips: ['db.data', 'lonely.quiet'],
  },
  {
    title: 'Sidecar added in shop',
    yaml: append(`apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: { name: default, namespace: shop }
spec:
  egress:
    - hosts: ["./*"]
`),
    skips: ['ratings.rate', 'db.data', 'lonely.quiet'],
  },
  {
    title: 'Sidecar removed from data',
    yaml: removeDocument('kind: Sidecar\nmetadata: { name: default, namespace: data }'),
    skips: ['reviews-v1.shop', 'ratings.rate', 'lonely.quiet'],
  },
  {
    title: 'Gateway port',
    yaml: replace(
      'port: { number: 80, name: http, protocol: HTTP }',
      'port: { number: 8080, name: http, protocol: HTTP }',
    ),
    skips: ['reviews-v1.shop', 'ratings.rate', 'db.data', 'lonely.quiet'],
  },
  {
    title: 'namespace-wide PeerAuthentication in rate',
    yaml: append(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: rate }
spec:
  mtls: { mode: DISABLE }
`),
    skips: ['db.data', 'lonely.quiet'],
  },
  {
    title: 'PeerAuthentication for reviews only',
    yaml: append(`apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: reviews, namespace: shop }
spec:
  selector: { matchLabels: { app: reviews } }
  mtls: { mode: STRICT }
`),
    skips: ['productpage.shop', 'ratings.rate', 'db.data'],
    notTranslatedYet: 'inbound mTLS modes from workload PeerAuthentication',
  },
  {
    title: 'AuthorizationPolicy for productpage',
    yaml: append(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: productpage, namespace: shop }
spec:
  selector: { matchLabels: { app: productpage } }
  action: ALLOW
  rules:
    - from: [{ source: { namespaces: [rate] } }]
`),
    skips: ['reviews-v1.shop', 'ratings.rate', 'db.data'],
  },
  {
    title: 'RequestAuthentication in shop',
    yaml: append(`apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: shop }
spec:
  jwtRules:
    - issuer: https://issuer.example.com
      jwks: '{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}'
`),
    skips: ['ratings.rate', 'db.data'],
  },
  {
    title: 'Telemetry in data',
    yaml: append(`apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: data }
spec:
  tracing:
    - randomSamplingPercentage: 50
`),
    skips: ['reviews-v1.shop', 'ratings.rate', 'lonely.quiet'],
    notTranslatedYet: 'Telemetry tracing',
  },
  {
    title: 'meshConfig outbound traffic policy',
    yaml: (base) => base,
    meshConfig: { ...DEFAULT_MESH_CONFIG, outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
  },
];
