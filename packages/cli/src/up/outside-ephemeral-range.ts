// Where a port chosen now and bound later is safe: outside the OS's ephemeral range. Ports from that range
// (what listening on port 0 returns) are also the local ports of outgoing connections, so one picked, released,
// then bound a few seconds later by a sidecar may meanwhile be the source port of any connection on the
// machine — and the sidecar cannot listen (EADDRINUSE).
import { readFileSync } from 'node:fs';

export interface PortRange {
  readonly low: number;
  readonly high: number;
}

/** Below this, ports belong to well-known and registered services people run. */
const LOWEST = 10_000;
const HIGHEST = 65_535;
/** Too narrow a range is not worth searching: listening on port 0 is the fallback. */
const SMALLEST_RANGE = 1_000;

/** Linux's `net.ipv4.ip_local_port_range`; undefined where it cannot be read (other systems). */
export function ephemeralRange(): PortRange | undefined {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return low !== undefined && high !== undefined && low > 0 && high >= low ? { low, high } : undefined;
  } catch {
    return undefined;
  }
}

/** The larger stretch of ports from 10000 that the ephemeral range leaves free, if it is worth searching. */
export function rangeOutside(ephemeral: PortRange | undefined): PortRange | undefined {
  if (ephemeral === undefined) return undefined;
  const below = { low: LOWEST, high: ephemeral.low - 1 };
  const above = { low: Math.max(LOWEST, ephemeral.high + 1), high: HIGHEST };
  const size = (range: PortRange): number => range.high - range.low + 1;
  const best = size(below) >= size(above) ? below : above;
  return size(best) >= SMALLEST_RANGE ? best : undefined;
}
