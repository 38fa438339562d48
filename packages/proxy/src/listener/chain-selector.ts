// Envoy's filter chain selection: the candidates are pruned criterion by criterion, in Envoy's order, keeping at
// each step only the chains that match most specifically. There is no backtracking: once a step keeps the
// port-specific chains, a later mismatch ends in the default chain, never in a port-less one.
import type { ChainCriteria } from './chain-match.ts';
import { cidrContains, isLoopback, sameIp, type CidrBlock, type IpAddress } from './cidr.ts';

export interface ConnectionAttributes {
  readonly destinationIp: IpAddress | undefined;
  readonly destinationPort: number;
  readonly sourceIp: IpAddress | undefined;
  /** The peer of the TCP connection (differs from sourceIp only behind a PROXY-protocol hop). */
  readonly directSourceIp: IpAddress | undefined;
  readonly sourcePort: number;
  /** SNI; '' when none. */
  readonly serverName: string;
  /** `tls` or `raw_buffer`. */
  readonly transportProtocol: string;
  /** ALPN offered by the client, or what the http_inspector detected. */
  readonly applicationProtocols: readonly string[];
}

interface HasCriteria {
  readonly criteria: ChainCriteria;
}

export function selectChain<T extends HasCriteria>(
  chains: readonly T[],
  c: ConnectionAttributes,
): T | undefined {
  let set: readonly T[] = chains;
  set = narrow(
    set,
    (m) => m.destinationPort === c.destinationPort,
    (m) => m.destinationPort === undefined,
  );
  set = byPrefix(set, (m) => m.prefixRanges, c.destinationIp);
  set = byServerName(set, c.serverName);
  set = narrow(
    set,
    (m) => m.transportProtocol === c.transportProtocol,
    (m) => m.transportProtocol === '',
  );
  set = byApplicationProtocol(set, c.applicationProtocols);
  set = byPrefix(set, (m) => m.directSourcePrefixRanges, c.directSourceIp);
  const local =
    c.sourceIp !== undefined &&
    (isLoopback(c.sourceIp) || (c.destinationIp !== undefined && sameIp(c.sourceIp, c.destinationIp)));
  set = narrow(
    set,
    (m) => m.sourceType === (local ? 'local' : 'external'),
    (m) => m.sourceType === 'any',
  );
  set = byPrefix(set, (m) => m.sourcePrefixRanges, c.sourceIp);
  set = narrow(
    set,
    (m) => m.sourcePorts.has(c.sourcePort),
    (m) => m.sourcePorts.size === 0,
  );
  return set[0];
}

/** Chains matching the value specifically win; otherwise those that do not constrain it. */
function narrow<T extends HasCriteria>(
  set: readonly T[],
  specific: (m: ChainCriteria) => boolean,
  unconstrained: (m: ChainCriteria) => boolean,
): readonly T[] {
  if (set.length === 0) return set;
  const exact = set.filter((chain) => specific(chain.criteria));
  return exact.length > 0 ? exact : set.filter((chain) => unconstrained(chain.criteria));
}

/** The longest matching prefix across all candidates wins. */
function byPrefix<T extends HasCriteria>(
  set: readonly T[],
  ranges: (m: ChainCriteria) => readonly CidrBlock[],
  ip: IpAddress | undefined,
): readonly T[] {
  if (set.length === 0) return set;
  const longest = (chain: T): number => {
    let best = -1;
    if (ip)
      for (const block of ranges(chain.criteria))
        if (cidrContains(block, ip)) best = Math.max(best, block.prefixLen);
    return best;
  };
  const lengths = set.map(longest);
  const best = Math.max(...lengths);
  if (best >= 0) return set.filter((_, i) => lengths[i] === best);
  return set.filter((chain) => ranges(chain.criteria).length === 0);
}

/** Exact name, then the longest `*.` suffix (`*.b.example.com` before `*.example.com`), then no names. */
function byServerName<T extends HasCriteria>(set: readonly T[], serverName: string): readonly T[] {
  if (set.length === 0) return set;
  if (serverName !== '') {
    const exact = set.filter((chain) => chain.criteria.serverNames.has(serverName));
    if (exact.length > 0) return exact;
    for (let dot = serverName.indexOf('.'); dot !== -1; dot = serverName.indexOf('.', dot + 1)) {
      const wildcard = `*${serverName.slice(dot)}`;
      const matched = set.filter((chain) => chain.criteria.wildcardServerNames.has(wildcard));
      if (matched.length > 0) return matched;
    }
  }
  return set.filter(
    (chain) => chain.criteria.serverNames.size + chain.criteria.wildcardServerNames.size === 0,
  );
}

/** The client's protocols in its order of preference; the first one some chain names decides. */
function byApplicationProtocol<T extends HasCriteria>(
  set: readonly T[],
  protocols: readonly string[],
): readonly T[] {
  if (set.length === 0) return set;
  for (const protocol of protocols) {
    const matched = set.filter((chain) => chain.criteria.applicationProtocols.has(protocol));
    if (matched.length > 0) return matched;
  }
  return set.filter((chain) => chain.criteria.applicationProtocols.size === 0);
}
