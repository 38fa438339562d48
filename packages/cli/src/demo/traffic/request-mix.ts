// Which request the demo sends at each tick: mostly the storefront page as a signed-in customer, and a
// steady share of everything else the demo shows (the test user's delayed path, product pages, checkouts,
// the orders API, a forged token, and calls from a mesh client the order service does not allow).

export type RequestKind =
  'storefront' | 'test-user' | 'product' | 'checkout' | 'orders-api' | 'forged-token' | 'unauthorized';

/** The answer each kind should get when the mesh does what its config says. */
export const EXPECTED_STATUS: Readonly<Record<RequestKind, number>> = {
  storefront: 200,
  'test-user': 200,
  product: 200,
  checkout: 201,
  'orders-api': 200,
  'forged-token': 401,
  unauthorized: 403,
};

/** Out of every 20 gateway requests: 15 storefront pages, one of each other kind. */
const CYCLE: readonly RequestKind[] = [
  'storefront',
  'storefront',
  'storefront',
  'product',
  'storefront',
  'storefront',
  'storefront',
  'test-user',
  'storefront',
  'storefront',
  'storefront',
  'checkout',
  'storefront',
  'storefront',
  'storefront',
  'orders-api',
  'storefront',
  'storefront',
  'storefront',
  'forged-token',
];

/** The requests of tick `index`: one through the gateway, plus a mesh-client call every 10 ticks. */
export function requestsAt(index: number): RequestKind[] {
  const kind = CYCLE[index % CYCLE.length] ?? 'storefront';
  return index % 10 === 5 ? [kind, 'unauthorized'] : [kind];
}
