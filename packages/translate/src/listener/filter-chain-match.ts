// Builds FilterChainMatch messages from what a chain should match: port, addresses, SNI, transport, ALPN.
import { create } from '@bufbuild/protobuf';
import {
  FilterChainMatchSchema,
  type FilterChainMatch,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { cidrRanges } from './cidr-range.ts';

export interface ChainMatchSpec {
  readonly destinationPort?: number;
  /** IPs or CIDRs of the original destination. */
  readonly destinationAddresses?: readonly string[];
  /** SNI values; `*.example.com` wildcards allowed. */
  readonly serverNames?: readonly string[];
  readonly transportProtocol?: 'tls' | 'raw_buffer';
  /** ALPN values (TLS) or the protocol the HTTP inspector detected (`http/1.1`, `h2c`). */
  readonly applicationProtocols?: readonly string[];
}

const sorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

/** Undefined when nothing is constrained: a chain without a match takes every connection. */
export function buildFilterChainMatch(
  spec: ChainMatchSpec,
  invalidAddress?: (text: string) => void,
): FilterChainMatch | undefined {
  const match = create(FilterChainMatchSchema, {
    ...(spec.destinationPort !== undefined ? { destinationPort: spec.destinationPort } : {}),
    prefixRanges: cidrRanges(spec.destinationAddresses ?? [], invalidAddress),
    serverNames: sorted((spec.serverNames ?? []).map((name) => name.toLowerCase())),
    transportProtocol: spec.transportProtocol ?? '',
    applicationProtocols: sorted(spec.applicationProtocols ?? []),
  });
  return isEmptyMatch(match) ? undefined : match;
}

function isEmptyMatch(match: FilterChainMatch): boolean {
  return (
    match.destinationPort === undefined &&
    match.prefixRanges.length === 0 &&
    match.serverNames.length === 0 &&
    match.transportProtocol === '' &&
    match.applicationProtocols.length === 0 &&
    match.sourcePrefixRanges.length === 0 &&
    match.directSourcePrefixRanges.length === 0 &&
    match.sourcePorts.length === 0 &&
    match.sourceType === 0
  );
}
