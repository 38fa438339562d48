// EnvoyFilter's `match.listener`: which listeners, filter chains, network filters and HTTP filters a patch
// selects, and the context (inbound, outbound, gateway) a listener belongs to. Unset fields match anything.
import { VIRTUAL_INBOUND, VIRTUAL_OUTBOUND } from '@heddle/xds';
import { TrafficDirection } from '@heddle/xds/gen/envoy/config/core/v3/base_pb.ts';
import type { Filter, FilterChain } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import type { Listener } from '@heddle/xds/gen/envoy/config/listener/v3/listener_pb.ts';
import type { HttpFilter } from '@heddle/xds/gen/envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager_pb.ts';
import type { ProxyNode } from '../model/proxy-node.ts';
import type { ObjectContext, Patch } from './patch-model.ts';

export function listenerContext(node: ProxyNode, listener: Listener): ObjectContext {
  if (node.role === 'router') return 'GATEWAY';
  if (listener.trafficDirection === TrafficDirection.INBOUND) return 'SIDECAR_INBOUND';
  if (listener.trafficDirection === TrafficDirection.OUTBOUND) return 'SIDECAR_OUTBOUND';
  return listener.name === VIRTUAL_INBOUND ? 'SIDECAR_INBOUND' : 'SIDECAR_OUTBOUND';
}

function isVirtual(listener: Listener): boolean {
  return listener.name === VIRTUAL_INBOUND || listener.name === VIRTUAL_OUTBOUND;
}

export function listenerMatches(patch: Patch, listener: Listener): boolean {
  const match = patch.match?.listener;
  if (!match) return true;
  if (match.name && match.name !== listener.name) return false;
  // virtualInbound/virtualOutbound carry every port in their filter chains: the port is matched there.
  if (patch.applyTo !== 'LISTENER' && isVirtual(listener)) return true;
  if (match.portNumber) {
    const address = listener.address?.address;
    if (address?.case !== 'socketAddress') return false;
    const port = address.value.portSpecifier;
    if (port.case !== 'portValue' || port.value !== match.portNumber) return false;
  }
  return true;
}

export function filterChainMatches(patch: Patch, listener: Listener, chain: FilterChain): boolean {
  const match = patch.match?.listener;
  if (!match) return true;
  const chainMatch = chain.filterChainMatch;
  if (isVirtual(listener) && match.portNumber && chainMatch?.destinationPort !== match.portNumber)
    return false;
  const wanted = match.filterChain;
  if (!wanted) return true;
  if (wanted.name && wanted.name !== chain.name) return false;
  if (wanted.sni && !(chainMatch?.serverNames ?? []).includes(wanted.sni)) return false;
  if (wanted.transportProtocol && chainMatch?.transportProtocol !== wanted.transportProtocol) return false;
  if (wanted.applicationProtocols) {
    const offered = chainMatch?.applicationProtocols ?? [];
    if (!wanted.applicationProtocols.split(',').every((p) => offered.includes(p.trim()))) return false;
  }
  if (wanted.destinationPort && chainMatch?.destinationPort !== wanted.destinationPort) return false;
  return true;
}

/** The network filter name the patch is anchored on, if it names one. */
export function networkFilterName(patch: Patch): string | undefined {
  return patch.match?.listener?.filterChain?.filter?.name || undefined;
}

export function networkFilterMatches(patch: Patch, filter: Filter): boolean {
  const name = networkFilterName(patch);
  return name === undefined || name === filter.name;
}

/** The HTTP filter name the patch is anchored on (`filter.subFilter.name`), if it names one. */
export function httpFilterName(patch: Patch): string | undefined {
  return patch.match?.listener?.filterChain?.filter?.subFilter?.name || undefined;
}

export function httpFilterMatches(patch: Patch, filter: HttpFilter): boolean {
  const name = httpFilterName(patch);
  return name === undefined || name === filter.name;
}
