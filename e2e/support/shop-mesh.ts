// The Istio YAML of the mesh e2e tests: a shop behind an ingress gateway (frontend, products v1/v2, flaky
// ratings, reviews with two replicas), all on 127.0.0.1 at the real ports of the upstream servers.

export const SHOP_HOST = 'shop.example.com';
export const FRONTEND = 'frontend.shop.test';
export const PRODUCTS = 'products.shop.test';
export const RATINGS = 'ratings.shop.test';
export const REVIEWS = 'reviews.shop.test';

/** A mesh-internal HTTP service on port 80 whose endpoints are the workloads labelled `app: <app>`. */
export function serviceEntry(app: string, host: string): string {
  return `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${app}, namespace: default }
spec:
  hosts: [${host}]
  location: MESH_INTERNAL
  resolution: STATIC
  ports:
    - { number: 80, name: http, protocol: HTTP }
  workloadSelector:
    labels: { app: ${app} }
`;
}

export function workloadEntry(name: string, app: string, version: string, port: number): string {
  return `apiVersion: networking.istio.io/v1
kind: WorkloadEntry
metadata: { name: ${name}, namespace: default }
spec:
  address: 127.0.0.1
  ports: { http: ${port} }
  labels: { app: ${app}, version: ${version} }
`;
}

export function documents(...docs: string[]): string {
  return docs.map((doc) => doc.trimEnd()).join('\n---\n') + '\n';
}

export const SHOP_GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop-gateway, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 80, name: http, protocol: HTTP }
      hosts: [${SHOP_HOST}]
`;

export const SHOP_ROUTES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: istio-system }
spec:
  hosts: [${SHOP_HOST}]
  gateways: [istio-system/shop-gateway]
  http:
    - name: api
      match: [{ uri: { prefix: /api/products } }]
      route: [{ destination: { host: ${PRODUCTS}, port: { number: 80 } } }]
    - name: reviews
      match: [{ uri: { prefix: /reviews } }]
      route: [{ destination: { host: ${REVIEWS}, port: { number: 80 } } }]
      # Istio's default policy does not retry a reset; a replica dying mid-request needs \`reset\`.
      retries: { attempts: 3, retryOn: "connect-failure,refused-stream,reset,5xx", perTryTimeout: 2s }
    - name: web
      match: [{ uri: { prefix: / } }]
      route: [{ destination: { host: ${FRONTEND}, port: { number: 80 } } }]
`;

export const PRODUCTS_SUBSETS = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: products, namespace: default }
spec:
  host: ${PRODUCTS}
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
`;

export const FAULT_DELAY_MS = 300;

/** Faults by header first, then the default route `split` (a list of weighted destinations). */
export function productsRoutes(split: string): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: products, namespace: default }
spec:
  hosts: [${PRODUCTS}]
  http:
    - name: delay-test-user
      match: [{ headers: { end-user: { exact: test-user } } }]
      fault: { delay: { fixedDelay: ${FAULT_DELAY_MS}ms, percentage: { value: 100 } } }
      route: [{ destination: { host: ${PRODUCTS}, subset: v1 } }]
    - name: abort
      match: [{ headers: { x-fault: { exact: abort } } }]
      fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }
      route: [{ destination: { host: ${PRODUCTS}, subset: v1 } }]
    - name: default
      route:
${split}
`;
}

export const SPLIT_90_10 = `        - { destination: { host: ${PRODUCTS}, subset: v1 }, weight: 90 }
        - { destination: { host: ${PRODUCTS}, subset: v2 }, weight: 10 }`;
export const ALL_TO_V1 = `        - { destination: { host: ${PRODUCTS}, subset: v1 } }`;
export const ALL_TO_V2 = `        - { destination: { host: ${PRODUCTS}, subset: v2 } }`;

export function ratingsRoutes(attempts: number): string {
  return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings, namespace: default }
spec:
  hosts: [${RATINGS}]
  http:
    - route: [{ destination: { host: ${RATINGS} } }]
      retries: { attempts: ${attempts}, retryOn: 5xx, perTryTimeout: 2s }
`;
}

/** Eject a reviews replica after its first gateway error, for long enough to see it in /clusters. */
export const REVIEWS_OUTLIER = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: reviews, namespace: default }
spec:
  host: ${REVIEWS}
  trafficPolicy:
    outlierDetection:
      consecutive5xxErrors: 1
      consecutiveGatewayErrors: 1
      interval: 1s
      baseEjectionTime: 30s
      maxEjectionPercent: 50
`;
