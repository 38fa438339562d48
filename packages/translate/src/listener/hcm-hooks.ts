// Seam for the security and telemetry parts: the HTTP filters and access logs of one HTTP connection manager.
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import type { HttpFilterHooks } from './http-filters.ts';

/** Which kind of HTTP listener the connection manager serves; authz and stats differ per kind. */
export type HttpListenerClass = 'sidecar-outbound' | 'sidecar-inbound' | 'gateway';

export interface HcmScope {
  readonly listenerClass: HttpListenerClass;
  readonly port: number;
}

export interface HcmExtensions {
  readonly filterHooks: HttpFilterHooks;
  readonly accessLog: readonly AccessLog[];
}

/**
 * Today nothing is added: jwt_authn/ext_authz/rbac (RequestAuthentication, AuthorizationPolicy) and stats
 * and access logs (Telemetry, meshConfig) plug in here, each returning filters for their phase.
 */
export function hcmExtensionsFor(_ctx: TranslationContext, _scope: HcmScope): HcmExtensions {
  return { filterHooks: {}, accessLog: [] };
}
