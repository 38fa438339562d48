// Listener filters a listener needs, derived from what its filter chains match on, in Envoy's order.
import { create } from '@bufbuild/protobuf';
import type { Any, Duration } from '@bufbuild/protobuf/wkt';
import { LISTENER_FILTERS, packAny } from '@heddle/xds';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import {
  ListenerFilterSchema,
  type FilterChain,
  type ListenerFilter,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { HttpInspectorSchema } from '@heddle/xds/gen/envoy/extensions/filters/listener/http_inspector/v3/http_inspector_pb.ts';
import { OriginalDstSchema } from '@heddle/xds/gen/envoy/extensions/filters/listener/original_dst/v3/original_dst_pb.ts';
import { TlsInspectorSchema } from '@heddle/xds/gen/envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector_pb.ts';

const HTTP_DETECTED = new Set(['http/1.0', 'http/1.1', 'h2c']);

export interface ListenerFilterOptions {
  /** Restore the pre-redirect destination (iptables REDIRECT to virtualInbound) before chains are matched. */
  readonly originalDst?: boolean;
}

/**
 * Only inspectors some chain depends on: an inspector waits for the client's first bytes, which
 * server-first protocols (MySQL, SMTP) never send.
 */
export function listenerFiltersFor(
  chains: readonly (FilterChain | undefined)[],
  options: ListenerFilterOptions = {},
): ListenerFilter[] {
  const matches = chains.flatMap((chain) => (chain?.filterChainMatch ? [chain.filterChainMatch] : []));
  const needsTls = matches.some(
    (m) =>
      m.serverNames.length > 0 ||
      m.transportProtocol === 'tls' ||
      (m.applicationProtocols.length > 0 && !m.applicationProtocols.every((p) => HTTP_DETECTED.has(p))),
  );
  const needsHttp = matches.some((m) => m.applicationProtocols.some((p) => HTTP_DETECTED.has(p)));
  const filters: ListenerFilter[] = [];
  if (options.originalDst)
    filters.push(listenerFilter(LISTENER_FILTERS.ORIGINAL_DST, packAny(OriginalDstSchema, {})));
  if (needsTls) filters.push(listenerFilter(LISTENER_FILTERS.TLS_INSPECTOR, packAny(TlsInspectorSchema, {})));
  if (needsHttp)
    filters.push(listenerFilter(LISTENER_FILTERS.HTTP_INSPECTOR, packAny(HttpInspectorSchema, {})));
  return filters;
}

function listenerFilter(name: string, typedConfig: Any): ListenerFilter {
  return create(ListenerFilterSchema, { name, configType: { case: 'typedConfig', value: typedConfig } });
}

/**
 * Sets the listener filters and, when an inspector is among them, Istio's detection timeout
 * (meshConfig protocolDetectionTimeout; 0 disables it) with fall-through on timeout.
 */
export function withListenerFilters(
  listener: Listener,
  options: ListenerFilterOptions & { readonly detectionTimeout?: Duration },
): Listener {
  const chains = [...listener.filterChains, listener.defaultFilterChain];
  listener.listenerFilters = listenerFiltersFor(chains, options);
  const inspects = listener.listenerFilters.some((f) => f.name !== LISTENER_FILTERS.ORIGINAL_DST);
  if (inspects && options.detectionTimeout) {
    listener.listenerFiltersTimeout = options.detectionTimeout;
    listener.continueOnListenerFiltersTimeout = true;
  }
  return listener;
}
