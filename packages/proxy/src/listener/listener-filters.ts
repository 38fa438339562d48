// Compiles a listener's listener_filters (tls_inspector, http_inspector, original_dst) and their
// filter_disabled predicates into a plan that the accept path runs without looking at protos.
import {
  HTTP_INSPECTOR_TYPE_URL,
  LISTENER_FILTERS,
  ORIGINAL_DST_TYPE_URL,
  TLS_INSPECTOR_TYPE_URL,
} from '@heddle/xds';
import type {
  ListenerFilter,
  ListenerFilterChainMatchPredicate,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import { durationMs } from './duration.ts';

/** Whether an inspector runs for a connection to this destination port. */
export type PortGate = (destinationPort: number) => boolean;

export interface ListenerFilterPlan {
  readonly tlsInspector: PortGate | undefined;
  readonly httpInspector: PortGate | undefined;
  readonly originalDst: boolean;
  /** 0: inspectors may wait forever (Envoy's meaning of an explicit 0). */
  readonly timeoutMs: number;
  readonly continueOnTimeout: boolean;
}

/** Envoy's default listener_filters_timeout. */
export const DEFAULT_LISTENER_FILTERS_TIMEOUT_MS = 15_000;

const KNOWN: Readonly<Record<string, 'tls' | 'http' | 'original-dst'>> = {
  [TLS_INSPECTOR_TYPE_URL]: 'tls',
  [HTTP_INSPECTOR_TYPE_URL]: 'http',
  [ORIGINAL_DST_TYPE_URL]: 'original-dst',
  [LISTENER_FILTERS.TLS_INSPECTOR]: 'tls',
  [LISTENER_FILTERS.HTTP_INSPECTOR]: 'http',
  [LISTENER_FILTERS.ORIGINAL_DST]: 'original-dst',
};

export function compileListenerFilters(listener: Listener): ListenerFilterPlan | { error: string } {
  let tlsInspector: PortGate | undefined;
  let httpInspector: PortGate | undefined;
  let originalDst = false;
  for (const [i, filter] of listener.listenerFilters.entries()) {
    const where = `listener_filters[${i}] (${filter.name})`;
    const kind = kindOf(filter);
    if (kind === undefined) return { error: `${where}: unsupported listener filter` };
    const gate = filter.filterDisabled ? compilePredicate(filter.filterDisabled) : undefined;
    if (typeof gate === 'string') return { error: `${where}: filter_disabled: ${gate}` };
    const enabled: PortGate = gate ? (port) => !gate(port) : () => true;
    if (kind === 'tls') tlsInspector = enabled;
    else if (kind === 'http') httpInspector = enabled;
    else if (gate) return { error: `${where}: filter_disabled is not supported on original_dst` };
    else originalDst = true;
  }
  const timeout = listener.listenerFiltersTimeout;
  return {
    tlsInspector,
    httpInspector,
    originalDst,
    timeoutMs: timeout ? durationMs(timeout) : DEFAULT_LISTENER_FILTERS_TIMEOUT_MS,
    continueOnTimeout: listener.continueOnListenerFiltersTimeout,
  };
}

function kindOf(filter: ListenerFilter): 'tls' | 'http' | 'original-dst' | undefined {
  if (filter.configType.case === 'configDiscovery') return undefined;
  const typeUrl = filter.configType.case === 'typedConfig' ? filter.configType.value.typeUrl : undefined;
  return typeUrl !== undefined ? KNOWN[typeUrl] : KNOWN[filter.name];
}

/** A string is an error; the function says whether the predicate matches (i.e. the filter is disabled). */
function compilePredicate(predicate: ListenerFilterChainMatchPredicate): PortGate | string {
  const rule = predicate.rule;
  switch (rule.case) {
    case 'anyMatch':
      return () => rule.value;
    case 'destinationPortRange': {
      const { start, end } = rule.value;
      return (port) => port >= start && port < end;
    }
    case 'notMatch': {
      const inner = compilePredicate(rule.value);
      return typeof inner === 'string' ? inner : (port) => !inner(port);
    }
    case 'orMatch':
    case 'andMatch': {
      const rules = rule.value.rules.map(compilePredicate);
      const bad = rules.find((r): r is string => typeof r === 'string');
      if (bad !== undefined) return bad;
      const gates = rules as PortGate[];
      return rule.case === 'orMatch'
        ? (port) => gates.some((g) => g(port))
        : (port) => gates.every((g) => g(port));
    }
    case undefined:
      return 'empty predicate';
  }
}
