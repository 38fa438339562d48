// The HTTP connection manager of each kind of listener, with the options Istio sets for that direction.
import type { Filter } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { hcmExtensionsFor, type HttpListenerClass } from './hcm-hooks.ts';
import {
  buildHttpConnectionManager,
  httpConnectionManagerFilter,
  type HttpConnectionManagerOptions,
  type RouteSource,
} from './http-connection-manager.ts';
import { buildInboundRouteConfig } from './inbound-route.ts';

/** At the edge, clients that trickle headers are cut off (Envoy's edge recommendation); inside, no limit. */
export const GATEWAY_REQUEST_HEADERS_TIMEOUT_MS = 10_000;

interface PresetOptions {
  readonly port: number;
  readonly statPrefix: string;
  readonly routes: RouteSource;
  readonly upgrades?: readonly string[];
}

function hcmFilter(
  ctx: TranslationContext,
  listenerClass: HttpListenerClass,
  preset: PresetOptions,
  direction: Pick<
    HttpConnectionManagerOptions,
    'useRemoteAddress' | 'forwardClientCert' | 'setCurrentClientCert' | 'requestHeadersTimeoutMs'
  >,
): Filter {
  const extensions = hcmExtensionsFor(ctx, { listenerClass, port: preset.port });
  return httpConnectionManagerFilter(
    buildHttpConnectionManager({
      statPrefix: preset.statPrefix,
      routes: preset.routes,
      filterHooks: extensions.filterHooks,
      accessLog: extensions.accessLog,
      ...(extensions.tracing ? { tracing: extensions.tracing } : {}),
      pathNormalization: ctx.index.snapshot.meshConfig.pathNormalization?.normalization,
      ...(preset.upgrades ? { upgrades: preset.upgrades } : {}),
      ...direction,
    }),
  );
}

/** Sidecar outbound: X-Forwarded-For from the app is kept; client cert headers from the app are dropped. */
export function sidecarOutboundHcm(ctx: TranslationContext, preset: PresetOptions): Filter {
  return hcmFilter(ctx, 'sidecar-outbound', preset, {
    useRemoteAddress: false,
    forwardClientCert: 'SANITIZE',
  });
}

/** Sidecar inbound: the mTLS peer's identity is appended to x-forwarded-client-cert for the app. */
export function sidecarInboundHcm(ctx: TranslationContext, port: number): Filter {
  return hcmFilter(
    ctx,
    'sidecar-inbound',
    {
      port,
      statPrefix: `inbound_0.0.0.0_${port}`,
      routes: { inline: buildInboundRouteConfig(port) },
    },
    { useRemoteAddress: false, forwardClientCert: 'APPEND_FORWARD', setCurrentClientCert: true },
  );
}

/** Gateways are the edge: the peer address is the client's, and client-supplied cert headers are replaced. */
export function gatewayHcm(ctx: TranslationContext, port: number, rds: string): Filter {
  return hcmFilter(
    ctx,
    'gateway',
    { port, statPrefix: `outbound_0.0.0.0_${port}`, routes: { rds } },
    {
      useRemoteAddress: true,
      forwardClientCert: 'SANITIZE_SET',
      setCurrentClientCert: true,
      requestHeadersTimeoutMs: GATEWAY_REQUEST_HEADERS_TIMEOUT_MS,
    },
  );
}
