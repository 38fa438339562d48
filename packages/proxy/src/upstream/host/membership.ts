// The diff of a cluster's membership against a new endpoint list: hosts whose address stays are kept (their
// counters, outlier state and pools survive), new ones created, missing ones returned for retirement.
import { hostId } from '../config/address.ts';
import type { EndpointSpec } from '../config/endpoint-spec.ts';
import { Host } from './host.ts';

export interface Membership {
  readonly hosts: Map<string, Host>;
  readonly removed: readonly Host[];
  /** Whether anything the load balancer reads changed. */
  readonly changed: boolean;
}

/** `addedAt`: the time new hosts joined, or undefined for the cluster's first membership (no slow start). */
export function nextMembership(
  current: ReadonlyMap<string, Host>,
  specs: readonly EndpointSpec[],
  addedAt: number | undefined,
): Membership {
  const hosts = new Map<string, Host>();
  let changed = false;
  for (const spec of specs) {
    const id = hostId(spec);
    if (hosts.has(id)) continue;
    let host = current.get(id);
    if (host) {
      if (host.update(spec)) changed = true;
    } else {
      host = new Host(id, spec, addedAt);
      changed = true;
    }
    hosts.set(id, host);
  }
  const removed: Host[] = [];
  for (const [id, host] of current) if (!hosts.has(id)) removed.push(host);
  return { hosts, removed, changed: changed || removed.length > 0 };
}
