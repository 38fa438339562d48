// Builds a large, varied, valid set of Istio resources as one multi-document YAML, for scale tests and
// the validation benchmark. Deterministic: the same count always gives the same text.

const NAMESPACES = 20;

type Generator = (i: number, ns: string) => string;

const pick = <T>(choices: readonly T[], i: number): T => choices[i % choices.length] as T;

const serviceHost = (i: number, ns: string): string => `svc-${i}.${ns}.svc.cluster.local`;

const virtualService: Generator = (i, ns) => {
  const host = serviceHost(i, ns);
  const fault =
    i % 4 === 0
      ? `
      fault:
        abort:
          httpStatus: ${pick([503, 500, 429], i)}
          percentage:
            value: ${(i % 10) + 0.5}`
      : '';
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: vs-${i}
  namespace: ${ns}
spec:
  hosts:
    - ${host}
  http:
    - name: beta-users
      match:
        - headers:
            x-user-group:
              exact: beta-${i % 7}
          uri:
            prefix: /v${i % 3}/api${fault}
      route:
        - destination:
            host: ${host}
            subset: v2
    - name: split
      route:
        - destination:
            host: ${host}
            subset: v1
          weight: ${100 - (i % 5) * 10}
        - destination:
            host: ${host}
            subset: v2
          weight: ${(i % 5) * 10}
      timeout: ${(i % 9) + 1}s
      retries:
        attempts: ${(i % 3) + 1}
        perTryTimeout: 500ms
        retryOn: 5xx,connect-failure
`;
};

const destinationRule: Generator = (i, ns) => {
  const loadBalancer =
    i % 3 === 0
      ? `
      consistentHash:
        httpHeaderName: x-session-${i % 5}`
      : `
      simple: ${pick(['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM'], i)}`;
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: dr-${i}
  namespace: ${ns}
spec:
  host: ${serviceHost(i - 1, ns)}
  trafficPolicy:
    loadBalancer:${loadBalancer}
    connectionPool:
      tcp:
        maxConnections: ${50 + (i % 200)}
        connectTimeout: ${(i % 5) + 1}s
      http:
        http1MaxPendingRequests: ${10 + (i % 90)}
        maxRequestsPerConnection: ${(i % 10) + 1}
    outlierDetection:
      consecutive5xxErrors: ${(i % 7) + 3}
      interval: ${(i % 20) + 5}s
      baseEjectionTime: ${(i % 60) + 30}s
      maxEjectionPercent: ${pick([10, 25, 50], i)}
    tls:
      mode: ISTIO_MUTUAL
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
`;
};

const serviceEntry: Generator = (i, ns) => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata:
  name: se-${i}
  namespace: ${ns}
spec:
  hosts:
    - api-${i}.partner-${i % 13}.example.com
  location: MESH_EXTERNAL
  resolution: DNS
  ports:
    - number: 443
      name: https
      protocol: HTTPS
`;

const authorizationPolicy: Generator = (i, ns) => {
  const action = pick(['ALLOW', 'DENY'], i);
  // A DENY rule on HTTP attributes names its HTTP port, so it cannot deny plain TCP traffic by accident.
  const ports = action === 'DENY' ? '\n            ports:\n              - "8080"' : '';
  return `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ap-${i}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: app-${i}
  action: ${action}
  rules:
    - from:
        - source:
            principals:
              - cluster.local/ns/${ns}/sa/caller-${i % 11}
      to:
        - operation:
            methods:
              - ${pick(['GET', 'POST', 'PUT', 'DELETE'], i)}
            paths:
              - /api/v${i % 4}/*${ports}
`;
};

const peerAuthentication: Generator = (i, ns) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: pa-${i}
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: app-${i}
  mtls:
    mode: ${pick(['STRICT', 'PERMISSIVE'], i)}
`;

const gateway: Generator = (i, ns) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: gw-${i}
  namespace: ${ns}
spec:
  selector:
    istio: ingressgateway
  servers:
    - port:
        number: 80
        name: http-${i}
        protocol: HTTP
      hosts:
        - site-${i}.example.com
`;

const GENERATORS: readonly Generator[] = [
  virtualService,
  destinationRule,
  serviceEntry,
  authorizationPolicy,
  peerAuthentication,
  gateway,
];

/** Kinds the generator cycles through, in order. */
export const GENERATED_KINDS = [
  'VirtualService',
  'DestinationRule',
  'ServiceEntry',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'Gateway',
] as const;

export function generateResources(count: number): string {
  const documents: string[] = [];
  for (let i = 0; i < count; i++) {
    const generate = pick(GENERATORS, i);
    documents.push(generate(i, `team-${String(i % NAMESPACES).padStart(2, '0')}`));
  }
  return documents.join('---\n');
}
