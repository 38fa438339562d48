// LISTENER and FILTER_CHAIN patches (and, through each chain, the network and HTTP filter patches): merge
// into or remove matching listeners and chains, add chains to matching listeners, then add new listeners.
import { clone } from '@bufbuild/protobuf';
import {
  FilterChainSchema,
  type FilterChain,
} from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { ListenerSchema, type Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { ProxyNode } from '../model/proxy-node.ts';
import { filterChainMatches, listenerContext, listenerMatches } from './listener-match.ts';
import { mergeMessage } from './merge-message.ts';
import { contextMatches, type ObjectContext, type Patch, type PatchSet } from './patch-model.ts';
import { patchNetworkFilters, type ChainScope } from './patch-network-filters.ts';

/** Whether any patch could touch a listener (listener-level or deeper, or an inline inbound route). */
function touchesListeners(patches: PatchSet): boolean {
  return (
    patches.LISTENER.length +
      patches.FILTER_CHAIN.length +
      patches.NETWORK_FILTER.length +
      patches.HTTP_FILTER.length +
      patches.ROUTE_CONFIGURATION.length +
      patches.VIRTUAL_HOST.length +
      patches.HTTP_ROUTE.length >
    0
  );
}

export function patchListeners(
  listeners: readonly Listener[],
  patches: PatchSet,
  node: ProxyNode,
  skip: (patch: Patch, reason: string) => void,
): Listener[] {
  if (!touchesListeners(patches)) return [...listeners];
  const kept: Listener[] = [];
  for (const original of listeners) {
    // Translator output may share sub-messages between proxies: patch a copy.
    const listener = clone(ListenerSchema, original);
    if (patchListener(listener, { patches, context: listenerContext(node, listener), listener }))
      kept.push(listener);
  }
  const names = new Set(kept.map((l) => l.name));
  const contexts: readonly ObjectContext[] =
    node.role === 'router' ? ['GATEWAY'] : ['SIDECAR_OUTBOUND', 'SIDECAR_INBOUND'];
  for (const patch of patches.LISTENER) {
    if (patch.operation !== 'ADD' || !patch.value) continue;
    if (!contexts.some((context) => contextMatches(patch, context))) continue;
    const name = patch.value.name;
    if (name === '' || names.has(name)) {
      skip(
        patch,
        name === '' ? 'the listener to add has no name' : `a listener named "${name}" already exists`,
      );
      continue;
    }
    names.add(name);
    kept.push(clone(ListenerSchema, patch.value));
  }
  return kept;
}

/** False when a patch removed the listener. */
function patchListener(listener: Listener, scope: ChainScope): boolean {
  for (const patch of scope.patches.LISTENER) {
    if (patch.operation === 'ADD') continue;
    if (!contextMatches(patch, scope.context) || !listenerMatches(patch, listener)) continue;
    if (patch.operation === 'REMOVE') return false;
    if (patch.value) mergeMessage(ListenerSchema, listener, clone(ListenerSchema, patch.value));
  }
  listener.filterChains = listener.filterChains.filter((chain) => patchFilterChain(scope, chain));
  if (listener.defaultFilterChain && !patchFilterChain(scope, listener.defaultFilterChain)) {
    listener.defaultFilterChain = undefined;
  }
  for (const patch of scope.patches.FILTER_CHAIN) {
    if (patch.operation !== 'ADD' || !patch.value) continue;
    if (contextMatches(patch, scope.context) && listenerMatches(patch, listener))
      listener.filterChains.push(clone(FilterChainSchema, patch.value));
  }
  return true;
}

/** False when a patch removed the chain. */
function patchFilterChain(scope: ChainScope, chain: FilterChain): boolean {
  for (const patch of scope.patches.FILTER_CHAIN) {
    if (patch.operation === 'ADD') continue;
    if (!contextMatches(patch, scope.context)) continue;
    if (!listenerMatches(patch, scope.listener) || !filterChainMatches(patch, scope.listener, chain))
      continue;
    if (patch.operation === 'REMOVE') return false;
    if (patch.value) mergeMessage(FilterChainSchema, chain, clone(FilterChainSchema, patch.value));
  }
  patchNetworkFilters(scope, chain);
  return true;
}
