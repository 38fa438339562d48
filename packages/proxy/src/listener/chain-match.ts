// A FilterChainMatch compiled once per update: sets and parsed CIDR blocks the selector reads per connection.
import type { CidrRange } from '@heddle/xds/gen/envoy/config/core/v3/address_pb.ts';
import type { FilterChainMatch } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { parseCidr, type CidrBlock } from './cidr.ts';

export type SourceType = 'any' | 'local' | 'external';

export interface ChainCriteria {
  readonly destinationPort: number | undefined;
  readonly prefixRanges: readonly CidrBlock[];
  /** Exact server names, lower-cased. */
  readonly serverNames: ReadonlySet<string>;
  /** `*.example.com` entries, lower-cased, kept with their `*`. */
  readonly wildcardServerNames: ReadonlySet<string>;
  /** '' matches any transport. */
  readonly transportProtocol: string;
  readonly applicationProtocols: ReadonlySet<string>;
  readonly directSourcePrefixRanges: readonly CidrBlock[];
  readonly sourceType: SourceType;
  readonly sourcePrefixRanges: readonly CidrBlock[];
  readonly sourcePorts: ReadonlySet<number>;
}

export const MATCH_ANY: ChainCriteria = {
  destinationPort: undefined,
  prefixRanges: [],
  serverNames: new Set(),
  wildcardServerNames: new Set(),
  transportProtocol: '',
  applicationProtocols: new Set(),
  directSourcePrefixRanges: [],
  sourceType: 'any',
  sourcePrefixRanges: [],
  sourcePorts: new Set(),
};

const SOURCE_TYPES: readonly SourceType[] = ['any', 'local', 'external'];

/** Errors name the field, relative to the filter_chain_match. */
export function compileChainMatch(match: FilterChainMatch | undefined): ChainCriteria | { error: string } {
  if (!match) return MATCH_ANY;
  if (match.addressSuffix !== '' || match.suffixLen !== undefined)
    return { error: 'address_suffix/suffix_len: not supported' };
  const sourceType = SOURCE_TYPES[match.sourceType];
  if (sourceType === undefined) return { error: `source_type: unknown value ${match.sourceType}` };
  const ranges = {
    prefix_ranges: match.prefixRanges,
    direct_source_prefix_ranges: match.directSourcePrefixRanges,
    source_prefix_ranges: match.sourcePrefixRanges,
  };
  const parsed: Record<string, CidrBlock[]> = {};
  for (const [field, list] of Object.entries(ranges)) {
    const blocks = compileRanges(list);
    if (typeof blocks === 'string') return { error: `${field}: ${blocks}` };
    parsed[field] = blocks;
  }
  const exact = new Set<string>();
  const wildcard = new Set<string>();
  for (const raw of match.serverNames) {
    const name = raw.toLowerCase();
    if (name.startsWith('*.') && name.length > 2 && !name.slice(2).includes('*')) wildcard.add(name);
    else if (name !== '' && !name.includes('*')) exact.add(name);
    else return { error: `server_names: '${raw}' is neither a host name nor a '*.' wildcard` };
  }
  if (match.destinationPort !== undefined && (match.destinationPort < 1 || match.destinationPort > 65535))
    return { error: `destination_port: ${match.destinationPort} is out of range` };
  return {
    destinationPort: match.destinationPort,
    prefixRanges: parsed['prefix_ranges'] ?? [],
    serverNames: exact,
    wildcardServerNames: wildcard,
    transportProtocol: match.transportProtocol,
    applicationProtocols: new Set(match.applicationProtocols),
    directSourcePrefixRanges: parsed['direct_source_prefix_ranges'] ?? [],
    sourceType,
    sourcePrefixRanges: parsed['source_prefix_ranges'] ?? [],
    sourcePorts: new Set(match.sourcePorts),
  };
}

function compileRanges(ranges: readonly CidrRange[]): CidrBlock[] | string {
  const blocks: CidrBlock[] = [];
  for (const range of ranges) {
    const block = parseCidr(range.addressPrefix, range.prefixLen ?? 0);
    if (!block) return `'${range.addressPrefix}/${range.prefixLen ?? 0}' is not a valid CIDR range`;
    blocks.push(block);
  }
  return blocks;
}
