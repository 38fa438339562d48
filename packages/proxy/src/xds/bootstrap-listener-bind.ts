// Where listeners bind on this machine, when that differs from what xDS says: a local gateway without root
// cannot bind Gateway port 80, so the bootstrap maps it (80 → 8080, 443 → 8443) and may pin every listener to
// one address (loopback). The xDS config, stats and listener names keep the configured address and port.
import type { JsonValue } from '@bufbuild/protobuf';
import { integer, object, text } from './bootstrap-fields.ts';

/** Ports below this need privileges to bind. */
const FIRST_UNPRIVILEGED_PORT = 1024;

export interface ListenerBind {
  /** Every listener binds on this address instead of its configured one. */
  readonly address?: string;
  /** Configured port → local port (0: any free port). */
  readonly portMap: ReadonlyMap<number, number>;
  /** Ports below 1024 that the map does not name move by this much (to 0, any port, when out of range). */
  readonly privilegedPortOffset?: number;
}

/** Reads `listenerAddress`, `listenerPortMap` and `privilegedPortOffset`; undefined when none is set. */
export function parseListenerBind(
  root: Record<string, JsonValue>,
  isIpAddress: (value: string) => boolean,
  problems: string[],
): ListenerBind | undefined {
  const { listenerAddress, listenerPortMap, privilegedPortOffset } = root;
  if (listenerAddress === undefined && listenerPortMap === undefined && privilegedPortOffset === undefined)
    return undefined;
  let address: string | undefined;
  if (listenerAddress !== undefined) {
    address = text(listenerAddress, 'listenerAddress', problems);
    if (!isIpAddress(address))
      problems.push(`listenerAddress: must be an IP address, not ${JSON.stringify(address)}`);
  }
  const portMap = new Map<number, number>();
  if (listenerPortMap !== undefined) {
    const map = object(listenerPortMap, 'listenerPortMap', problems) ?? {};
    for (const [key, value] of Object.entries(map)) {
      const path = `listenerPortMap.${key}`;
      const from = /^\d{1,5}$/.test(key) ? Number(key) : -1;
      if (from < 1 || from > 65_535) {
        problems.push(`${path}: the key must be a port from 1 to 65535`);
        continue;
      }
      portMap.set(from, integer(value, path, 0, 65_535, problems));
    }
  }
  const offset =
    privilegedPortOffset === undefined
      ? undefined
      : integer(privilegedPortOffset, 'privilegedPortOffset', -65_535, 65_535, problems);
  return {
    portMap,
    ...(address !== undefined ? { address } : {}),
    ...(offset !== undefined ? { privilegedPortOffset: offset } : {}),
  };
}

/** The local port for a configured listener port. */
export function mappedListenerPort(bind: ListenerBind, port: number): number {
  const mapped = bind.portMap.get(port);
  if (mapped !== undefined) return mapped;
  const offset = bind.privilegedPortOffset;
  if (offset === undefined || port >= FIRST_UNPRIVILEGED_PORT || port === 0) return port;
  const moved = port + offset;
  return moved > 0 && moved <= 65_535 ? moved : 0;
}

/** The bind override the listener manager applies: configured socket address in, local address and port out. */
export function listenerBindOverride(
  bind: ListenerBind,
): (configured: { address: string; port: number }) => { address: string; port: number } {
  return (configured) => ({
    address: bind.address ?? configured.address,
    port: mappedListenerPort(bind, configured.port),
  });
}
