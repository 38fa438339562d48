// The stats filter of HTTP connection managers (Istio's standard metrics, reported by client and server).
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { HcmScope } from '../../listener/hcm-hooks.ts';
import type { TranslationContext } from '../../translate-proxy.ts';

/** Nothing yet: the `istio.stats` filter plugs in here. */
export function statsHttpFilters(_ctx: TranslationContext, _scope: HcmScope): HttpFilter[] {
  return [];
}
