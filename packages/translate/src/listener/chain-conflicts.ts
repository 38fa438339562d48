// Keeps a listener's filter chains free of overlaps, which Envoy rejects: the earlier chain wins.
import { clone, create } from '@bufbuild/protobuf';
import type { CidrRange } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import {
  FilterChainMatchSchema,
  FilterChainSchema,
  type FilterChain,
  type FilterChainMatch,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';

const ANY = '*';
const cidrKey = (range: CidrRange): string => `${range.addressPrefix}/${range.prefixLen ?? ''}`;
const orAny = (values: readonly string[]): readonly string[] => (values.length > 0 ? values : [ANY]);

/** Every combination of match values the chain claims; two chains claiming one combination overlap. */
function matchKeys(match: FilterChainMatch | undefined, serverNames?: readonly string[]): string[] {
  const m = match ?? create(FilterChainMatchSchema, {});
  const keys: string[] = [];
  for (const prefix of orAny(m.prefixRanges.map(cidrKey)))
    for (const name of orAny(serverNames ?? m.serverNames))
      for (const alpn of orAny(m.applicationProtocols))
        for (const source of orAny(m.sourcePrefixRanges.map(cidrKey)))
          for (const sourcePort of orAny(m.sourcePorts.map(String)))
            keys.push(
              [
                m.destinationPort ?? ANY,
                prefix,
                name,
                m.transportProtocol || ANY,
                alpn,
                m.sourceType,
                source,
                sourcePort,
              ].join('|'),
            );
  return keys;
}

export interface ChainConflict {
  readonly chain: FilterChain;
  /** Server names taken out of the chain; empty when the whole chain was dropped. */
  readonly removedServerNames: readonly string[];
}

/**
 * Earlier chains win, as Istio resolves conflicts by precedence: a later chain that overlaps is narrowed to
 * the server names still free, or dropped when none are.
 */
export function removeConflictingChains(
  chains: readonly FilterChain[],
  onConflict: (conflict: ChainConflict) => void,
): FilterChain[] {
  const claimed = new Set<string>();
  const kept: FilterChain[] = [];
  for (const chain of chains) {
    const keys = matchKeys(chain.filterChainMatch);
    if (keys.every((key) => !claimed.has(key))) {
      for (const key of keys) claimed.add(key);
      kept.push(chain);
      continue;
    }
    const names = chain.filterChainMatch?.serverNames ?? [];
    const free = names.filter((name) =>
      matchKeys(chain.filterChainMatch, [name]).every((k) => !claimed.has(k)),
    );
    if (free.length === 0) {
      onConflict({ chain, removedServerNames: [] });
      continue;
    }
    const narrowed = clone(FilterChainSchema, chain);
    if (narrowed.filterChainMatch) narrowed.filterChainMatch.serverNames = free;
    for (const key of matchKeys(narrowed.filterChainMatch)) claimed.add(key);
    onConflict({ chain, removedServerNames: names.filter((name) => !free.includes(name)) });
    kept.push(narrowed);
  }
  return kept;
}
