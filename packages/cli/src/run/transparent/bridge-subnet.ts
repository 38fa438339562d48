// The /24 the workload namespaces share with the host: the first of Heddle's candidates that overlaps no
// route the host already has (`ip -4 route show table all`), so that addresses on it are reached on the
// bridge and nowhere else. Addresses in it: .1 the host (the bridge), .2-.254 one workload each.

/** Candidates, all in 10.0.0.0/8: 10.213.0.0/24 … 10.213.255.0/24. */
const CANDIDATE_PREFIX = [10, 213];

export interface BridgeSubnet {
  /** `10.213.0.0/24`. */
  readonly cidr: string;
  /** The host's address on the bridge: `.1`. */
  readonly hostAddress: string;
  readonly prefixLength: number;
  /** The address of host number `n` (2-254). */
  address(n: number): string;
  /** Whether `address` is in the subnet. */
  contains(address: string): boolean;
}

export function bridgeSubnet(cidr: string): BridgeSubnet {
  const [network = '', length = '24'] = cidr.split('/');
  const base = network.split('.').slice(0, 3).join('.');
  return {
    cidr: `${base}.0/${length}`,
    hostAddress: `${base}.1`,
    prefixLength: Number(length),
    address: (n) => `${base}.${n}`,
    contains: (address) => address.startsWith(`${base}.`),
  };
}

/** The first candidate /24 overlapping none of the routes listed (default routes cover everything: ignored). */
export function chooseBridgeSubnet(routeTable: string): BridgeSubnet | undefined {
  const taken = routeDestinations(routeTable);
  for (let third = 0; third < 256; third++) {
    const candidate = { start: toNumber([...CANDIDATE_PREFIX, third, 0]), length: 24 };
    if (taken.every((route) => !overlaps(route, candidate)))
      return bridgeSubnet(`${CANDIDATE_PREFIX.join('.')}.${third}.0/24`);
  }
  return undefined;
}

interface Range {
  readonly start: number;
  readonly length: number;
}

/** Every destination of `ip route` output (`10.0.0.0/8 dev …`, `local 10.1.2.3 dev …`, `broadcast …`). */
function routeDestinations(routeTable: string): Range[] {
  const ranges: Range[] = [];
  for (const line of routeTable.split('\n')) {
    const words = line.trim().split(/\s+/);
    const destination = /^\d/.test(words[0] ?? '') ? words[0] : words[1];
    const match = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?$/.exec(destination ?? '');
    if (!match) continue;
    const length = match[2] === undefined ? 32 : Number(match[2]);
    if (length === 0) continue;
    ranges.push({ start: toNumber((match[1] ?? '').split('.').map(Number)), length });
  }
  return ranges;
}

function toNumber(octets: readonly number[]): number {
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

function overlaps(a: Range, b: Range): boolean {
  const length = Math.min(a.length, b.length);
  const size = 2 ** (32 - length);
  return Math.floor(a.start / size) === Math.floor(b.start / size);
}
