// Last step for a listener's filter chains: drop exact repeats, resolve overlaps with warnings, unique names.
import { equals } from '@bufbuild/protobuf';
import {
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { TranslationContext } from '../translate-proxy.ts';
import { removeConflictingChains } from './chain-conflicts.ts';
import { LISTENER_WARNINGS } from './warning-codes.ts';

/**
 * Chains are in precedence order. An exact repeat (e.g. one wildcard VirtualService reached through two
 * services) is silent; a real overlap is warned about on the listener.
 */
export function finalizeChains(
  ctx: TranslationContext,
  listenerName: string,
  chains: readonly FilterChain[],
): FilterChain[] {
  const distinct = chains.filter(
    (chain, i) => !chains.slice(0, i).some((earlier) => equals(FilterChainSchema, earlier, chain)),
  );
  const kept = removeConflictingChains(distinct, ({ chain, removedServerNames }) =>
    ctx.warn({
      code: LISTENER_WARNINGS.FILTER_CHAIN_CONFLICT,
      message:
        removedServerNames.length > 0
          ? `listener ${listenerName}: filter chain ${chain.name} no longer serves ${removedServerNames.join(', ')}, which an earlier chain already takes`
          : `listener ${listenerName}: filter chain ${chain.name} matches the same connections as an earlier chain and is dropped`,
    }),
  );
  return uniqueNames(kept);
}

/** Envoy wants filter chain names unique (or empty) within a listener. */
function uniqueNames(chains: FilterChain[]): FilterChain[] {
  const counts = new Map<string, number>();
  for (const chain of chains) {
    if (chain.name === '') continue;
    const seen = counts.get(chain.name) ?? 0;
    counts.set(chain.name, seen + 1);
    if (seen > 0) chain.name = `${chain.name}#${seen + 1}`;
  }
  return chains;
}
