// Builds the RouteConfiguration resources for one proxy.
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';

export function buildRoutes(_ctx: TranslationContext): RouteConfiguration[] {
  return [];
}
