// The stats filter of HTTP connection managers (Istio's standard metrics, reported by client and server):
// sidecar outbound and gateways report as `source`, sidecar inbound as `destination`, as Istio does.
import { create } from '@bufbuild/protobuf';
import { HTTP_FILTERS } from '@heddle/xds';
import {
  HttpFilterSchema,
  type HttpFilter,
} from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import { inboundPorts } from '../../cluster/inbound-ports.ts';
import type { HcmScope } from '../../listener/hcm-hooks.ts';
import type { TranslationContext } from '../../translate-proxy.ts';
import { statsFilterConfig, type ServedService } from './stats-filter-config.ts';

export function statsHttpFilters(ctx: TranslationContext, scope: HcmScope): HttpFilter[] {
  const inbound = scope.listenerClass === 'sidecar-inbound';
  const config = inbound
    ? statsFilterConfig(ctx, 'destination', servedServices(ctx, scope.port))
    : statsFilterConfig(ctx, 'source');
  return [
    create(HttpFilterSchema, {
      name: HTTP_FILTERS.ISTIO_STATS,
      configType: { case: 'typedConfig', value: config },
    }),
  ];
}

/**
 * The services an inbound port serves: the server labels destination_service with the one the request's
 * authority names (the first when none does), as Istio reads it from the inbound cluster's service.
 */
function servedServices(ctx: TranslationContext, port: number): ServedService[] {
  const hostnames = inboundPorts(ctx).find((p) => p.port === port)?.hostnames ?? [];
  const services: ServedService[] = [];
  for (const host of hostnames) {
    const service = ctx.index.snapshot.services.find((s) => s.hostname === host);
    if (service) services.push({ host, name: service.name, namespace: service.namespace });
  }
  return services;
}
