// Test helper: small Istio documents with a known outcome, shared by the CLI tests.

/** Valid: no finding at all. */
export const CLEAN_VIRTUAL_SERVICE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts:
    - reviews
  http:
    - route:
        - destination:
            host: reviews
`;

/** One Error: a misspelled field (conectionPool) on line 11. */
export const MISSPELLED_FIELD = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
  namespace: shop
spec:
  host: reviews
  trafficPolicy:
    loadBalancer:
      simple: ROUND_ROBIN
    conectionPool:
      tcp:
        maxConnections: 10
`;

/** One Warning: a deprecated outlier-detection field on line 10. */
export const DEPRECATED_FIELD = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ratings
  namespace: shop
spec:
  host: ratings
  trafficPolicy:
    outlierDetection:
      consecutiveErrors: 5
      interval: 10s
`;

/** One Info: a Kubernetes kind the mesh does not read. */
export const NOT_A_MESH_RESOURCE = `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
`;

/** One Error: an API version Istio never served. */
export const UNKNOWN_API_VERSION = `apiVersion: networking.istio.io/v9
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [reviews]
`;
