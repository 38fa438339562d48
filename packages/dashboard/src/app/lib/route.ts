// The dashboard's views as URL hashes (`#/graph`, `#/workload/shop/product-v2`), so a view can be linked,
// reloaded and reached with the browser's back button.

export const VIEWS = ['overview', 'graph', 'proxies', 'config', 'findings', 'traces'] as const;
export type ViewName = (typeof VIEWS)[number];

export type Route =
  | { readonly view: ViewName }
  | { readonly view: 'workload'; readonly namespace: string; readonly name: string }
  | { readonly view: 'service'; readonly namespace: string; readonly host: string };

export const DEFAULT_ROUTE: Route = { view: 'overview' };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((part) => part !== '')
    .map(decodeSegment);
  const [head, namespace, name] = parts;
  if ((head === 'workload' || head === 'service') && namespace && name && parts.length === 3)
    return head === 'workload'
      ? { view: 'workload', namespace, name }
      : { view: 'service', namespace, host: name };
  const view = VIEWS.find((candidate) => candidate === head);
  return view ? { view } : DEFAULT_ROUTE;
}

export function routeHash(route: Route): string {
  if (route.view === 'workload')
    return `#/workload/${encodeURIComponent(route.namespace)}/${encodeURIComponent(route.name)}`;
  if (route.view === 'service')
    return `#/service/${encodeURIComponent(route.namespace)}/${encodeURIComponent(route.host)}`;
  return `#/${route.view}`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
