// Seam for the security and telemetry parts: the HTTP filters, access logs and tracing of one HTTP
// connection manager, each part contributing from its own module.
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { AccessLog } from '@heddle/xds/gen/envoy/config/accesslog/v3/accesslog_pb.ts';
import type { HttpConnectionManager_TracingSchema } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { securityHcmExtensions } from '../security/security-hcm.ts';
import { telemetryHcmExtensions } from '../telemetry/telemetry-hcm.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import type { HttpFilterHooks } from './http-filters.ts';

/** Which kind of HTTP listener the connection manager serves; authz and stats differ per kind. */
export type HttpListenerClass = 'sidecar-outbound' | 'sidecar-inbound' | 'gateway';

export interface HcmScope {
  readonly listenerClass: HttpListenerClass;
  readonly port: number;
}

export type HcmTracing = MessageInitShape<typeof HttpConnectionManager_TracingSchema>;

export interface HcmExtensions {
  readonly filterHooks: HttpFilterHooks;
  readonly accessLog: readonly AccessLog[];
  /** The connection manager's `tracing` block; unset: no spans. */
  readonly tracing?: HcmTracing;
}

/** Security contributes the authn/authz phases; telemetry the stats phase, access logs and tracing. */
export function hcmExtensionsFor(ctx: TranslationContext, scope: HcmScope): HcmExtensions {
  const security = securityHcmExtensions(ctx, scope);
  const telemetry = telemetryHcmExtensions(ctx, scope);
  return {
    filterHooks: {
      ...(security.customAuthorization ? { customAuthorization: security.customAuthorization } : {}),
      ...(security.authentication ? { authentication: security.authentication } : {}),
      ...(security.authorization ? { authorization: security.authorization } : {}),
      ...(telemetry.telemetry ? { telemetry: telemetry.telemetry } : {}),
    },
    accessLog: telemetry.accessLog ?? [],
    ...(telemetry.tracing ? { tracing: telemetry.tracing } : {}),
  };
}
