// Builds the HTTP connection manager every HTTP filter chain ends in: route source, filters, hardening options.
import { create } from '@bufbuild/protobuf';
import type { PathNormalizationType } from '@heddle/api';
import { NETWORK_FILTERS, packAny } from '@heddle/xds';
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import { ApiVersion } from '@heddle/xds/gen/envoy/config/core/v3/config_source_pb.ts';
import {
  FilterSchema,
  type Filter,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { RouteConfiguration } from '@heddle/xds/gen/envoy/config/route/v3/route_pb.ts';
import {
  HttpConnectionManager_ForwardClientCertDetails as ForwardClientCert,
  HttpConnectionManagerSchema,
  type HttpConnectionManager,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { durationFromMs } from './duration.ts';
import type { HcmTracing } from './hcm-hooks.ts';
import { buildHttpFilters, type HttpFilterHooks } from './http-filters.ts';
import { pathNormalizationOptions } from './path-normalization.ts';

export type ForwardClientCertMode = keyof typeof ForwardClientCert;

/** Where the routes come from: RDS over ADS by name, or a route configuration carried inline. */
export type RouteSource = { readonly rds: string } | { readonly inline: RouteConfiguration };

export interface HttpConnectionManagerOptions {
  readonly statPrefix: string;
  readonly routes: RouteSource;
  readonly filterHooks?: HttpFilterHooks;
  /** True at the edge (gateways): the client address is the peer's, not X-Forwarded-For's. */
  readonly useRemoteAddress: boolean;
  /** Default SANITIZE: drop any x-forwarded-client-cert a client sent. */
  readonly forwardClientCert?: ForwardClientCertMode;
  /** With APPEND_FORWARD/SANITIZE_SET: what of the peer certificate goes into x-forwarded-client-cert. */
  readonly setCurrentClientCert?: boolean;
  readonly pathNormalization?: PathNormalizationType;
  /** 0 disables, as Istio does, so long-lived gRPC and WebSocket streams are not cut. */
  readonly streamIdleTimeoutMs?: number;
  /** Time allowed for the request headers to arrive; unset: no limit. */
  readonly requestHeadersTimeoutMs?: number;
  /** Upgrade types allowed through, e.g. `websocket`, `CONNECT`. Default: websocket. */
  readonly upgrades?: readonly string[];
  /** Seam for the telemetry part (meshConfig accessLogFile, Telemetry access logging). */
  readonly accessLog?: readonly AccessLog[];
  /** Seam for the telemetry part: the `tracing` block (providers, sampling, custom tags). */
  readonly tracing?: HcmTracing;
}

/** Envoy's edge-proxy recommendations for header count and concurrent HTTP/2 streams per connection. */
export const MAX_HEADERS_COUNT = 100;
export const MAX_CONCURRENT_STREAMS = 100;

export function buildHttpConnectionManager(options: HttpConnectionManagerOptions): HttpConnectionManager {
  const paths = pathNormalizationOptions(options.pathNormalization);
  return create(HttpConnectionManagerSchema, {
    statPrefix: options.statPrefix,
    routeSpecifier:
      'rds' in options.routes
        ? {
            case: 'rds',
            value: {
              routeConfigName: options.routes.rds,
              configSource: {
                configSourceSpecifier: { case: 'ads', value: {} },
                resourceApiVersion: ApiVersion.V3,
              },
            },
          }
        : { case: 'routeConfig', value: options.routes.inline },
    httpFilters: buildHttpFilters(options.filterHooks),
    useRemoteAddress: options.useRemoteAddress,
    generateRequestId: true,
    forwardClientCertDetails: ForwardClientCert[options.forwardClientCert ?? 'SANITIZE'],
    ...(options.setCurrentClientCert
      ? { setCurrentClientCertDetails: { subject: true, dns: true, uri: true } }
      : {}),
    normalizePath: paths.normalizePath,
    mergeSlashes: paths.mergeSlashes,
    pathWithEscapedSlashesAction: paths.pathWithEscapedSlashesAction,
    streamIdleTimeout: durationFromMs(options.streamIdleTimeoutMs ?? 0),
    ...(options.requestHeadersTimeoutMs !== undefined
      ? { requestHeadersTimeout: durationFromMs(options.requestHeadersTimeoutMs) }
      : {}),
    upgradeConfigs: (options.upgrades ?? ['websocket']).map((upgradeType) => ({ upgradeType })),
    http2ProtocolOptions: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS },
    commonHttpProtocolOptions: { maxHeadersCount: MAX_HEADERS_COUNT },
    accessLog: [...(options.accessLog ?? [])],
    ...(options.tracing ? { tracing: options.tracing } : {}),
  });
}

/** The network filter wrapping an HTTP connection manager. */
export function httpConnectionManagerFilter(hcm: HttpConnectionManager): Filter {
  return create(FilterSchema, {
    name: NETWORK_FILTERS.HTTP_CONNECTION_MANAGER,
    configType: { case: 'typedConfig', value: packAny(HttpConnectionManagerSchema, hcm) },
  });
}
