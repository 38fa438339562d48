// Rejects filter chains whose matches overlap exactly, as Envoy does ("multiple filter chains with the same
// matching rules"): with both present, which one a connection gets would be an accident of order.
import type { ChainCriteria } from './chain-match.ts';

interface NamedCriteria {
  readonly label: string;
  readonly criteria: ChainCriteria;
}

/** Above this many combinations for one chain the check is skipped rather than made slow. */
const MAX_COMBINATIONS = 100_000;
const ANY = ['*'];
const orAny = (values: Iterable<string>): readonly string[] => {
  const list = [...values];
  return list.length > 0 ? list : ANY;
};

export function findDuplicateMatch(chains: readonly NamedCriteria[]): string | undefined {
  const claimed = new Map<string, string>();
  for (const chain of chains) {
    const dimensions = dimensionsOf(chain.criteria);
    if (dimensions.reduce((n, values) => n * values.length, 1) > MAX_COMBINATIONS) continue;
    for (const key of combinations(dimensions)) {
      const owner = claimed.get(key);
      if (owner !== undefined && owner !== chain.label)
        return `filter chains ${owner} and ${chain.label} have the same filter_chain_match`;
      claimed.set(key, chain.label);
    }
  }
  return undefined;
}

function dimensionsOf(m: ChainCriteria): (readonly string[])[] {
  return [
    [String(m.destinationPort ?? '*')],
    orAny(m.prefixRanges.map((b) => b.key)),
    orAny([...m.serverNames, ...m.wildcardServerNames]),
    [m.transportProtocol || '*'],
    orAny(m.applicationProtocols),
    orAny(m.directSourcePrefixRanges.map((b) => b.key)),
    [m.sourceType],
    orAny(m.sourcePrefixRanges.map((b) => b.key)),
    orAny([...m.sourcePorts].map(String)),
  ];
}

function* combinations(dimensions: readonly (readonly string[])[], prefix = ''): Generator<string> {
  const [first, ...rest] = dimensions;
  if (!first) {
    yield prefix;
    return;
  }
  for (const value of first) yield* combinations(rest, `${prefix}|${value}`);
}
