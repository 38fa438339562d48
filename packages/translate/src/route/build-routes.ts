// Builds the RouteConfiguration resources for one proxy: gateway routes for routers, outbound routes for
// sidecars. Inbound routes are inline in the inbound listeners (the listener part builds those).
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { gatewayRouteConfigs } from './gateway-route-configs.ts';
import { sidecarRouteConfigs } from './outbound-route-configs.ts';

/** A VirtualService is translated once per port or virtual host; its warnings are reported once. */
function onceEach(ctx: TranslationContext): TranslationContext {
  const seen = new Set<string>();
  return {
    ...ctx,
    warn: (warning) => {
      const key = `${warning.code}\u0000${warning.resource ?? ''}\u0000${warning.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      ctx.warn(warning);
    },
  };
}

export function buildRoutes(ctx: TranslationContext): RouteConfiguration[] {
  const scoped = onceEach(ctx);
  return ctx.node.role === 'router' ? gatewayRouteConfigs(scoped) : sidecarRouteConfigs(scoped);
}
