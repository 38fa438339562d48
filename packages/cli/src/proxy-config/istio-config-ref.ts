// The Istio resource behind an xDS resource, from `filter_metadata.istio.config`, as `name.namespace`.
import { text } from './json-fields.ts';

/** `/apis/networking.istio.io/v1/namespaces/shop/destination-rule/reviews` → `reviews.shop`. */
export function istioConfigRef(resource: unknown): string | undefined {
  const path = text(resource, 'metadata', 'filterMetadata', 'istio', 'config');
  if (path === undefined) return undefined;
  const match = /^\/apis\/[^/]+\/[^/]+\/namespaces\/([^/]+)\/[^/]+\/([^/]+)$/.exec(path);
  return match ? `${match[2]}.${match[1]}` : path;
}
