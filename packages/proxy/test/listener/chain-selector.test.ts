// Filter chain selection follows Envoy's order and "most specific wins" per criterion, without backtracking.
import { create, type Message, type MessageInitShape } from '@bufbuild/protobuf';
import { FilterChainMatchSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDuplicateMatch } from '../../src/listener/chain-conflicts.ts';
import { compileChainMatch, type ChainCriteria } from '../../src/listener/chain-match.ts';
import { selectChain, type ConnectionAttributes } from '../../src/listener/chain-selector.ts';
import { parseIp } from '../../src/listener/cidr.ts';

type MatchInit = Exclude<MessageInitShape<typeof FilterChainMatchSchema>, Message>;

interface TestChain {
  readonly label: string;
  readonly criteria: ChainCriteria;
}

function chains(specs: Record<string, MatchInit>): TestChain[] {
  return Object.entries(specs).map(([label, init]) => {
    const criteria = compileChainMatch(create(FilterChainMatchSchema, init));
    assert.ok(!('error' in criteria), label);
    return { label, criteria };
  });
}

function connection(
  over: Partial<Omit<ConnectionAttributes, 'destinationIp' | 'sourceIp' | 'directSourceIp'>> & {
    destination?: string;
    source?: string;
  } = {},
): ConnectionAttributes {
  const { destination = '10.0.0.1', source = '10.1.1.1', ...rest } = over;
  return {
    destinationIp: parseIp(destination),
    destinationPort: 8080,
    sourceIp: parseIp(source),
    directSourceIp: parseIp(source),
    sourcePort: 40000,
    serverName: '',
    transportProtocol: 'raw_buffer',
    applicationProtocols: [],
    ...rest,
  };
}

const pick = (set: TestChain[], c: ConnectionAttributes): string | undefined => selectChain(set, c)?.label;
const cidr = (addressPrefix: string, prefixLen: number): { addressPrefix: string; prefixLen: number } => ({
  addressPrefix,
  prefixLen,
});

describe('filter chain selection', () => {
  it('prefers the chain naming the destination port, then the port-less one', () => {
    const set = chains({ port: { destinationPort: 8080 }, any: {} });
    assert.equal(pick(set, connection()), 'port');
    assert.equal(pick(set, connection({ destinationPort: 9090 })), 'any');
  });

  it('does not fall back to a port-less chain when the port chain fails a later criterion', () => {
    const set = chains({ port: { destinationPort: 8080, serverNames: ['a.test'] }, any: {} });
    assert.equal(pick(set, connection({ serverName: 'b.test' })), undefined);
  });

  it('takes the longest matching destination prefix', () => {
    const set = chains({
      wide: { prefixRanges: [cidr('10.0.0.0', 8)] },
      narrow: { prefixRanges: [cidr('10.0.0.0', 24)] },
      none: {},
    });
    assert.equal(pick(set, connection()), 'narrow');
    assert.equal(pick(set, connection({ destination: '10.9.0.1' })), 'wide');
    assert.equal(pick(set, connection({ destination: '192.168.0.1' })), 'none');
    assert.equal(pick(set, connection({ destination: '::ffff:10.0.0.7' })), 'narrow');
  });

  it('matches server names exactly, then by the longest wildcard, then chains without names', () => {
    const set = chains({
      exact: { serverNames: ['www.example.com'] },
      sub: { serverNames: ['*.b.example.com'] },
      wild: { serverNames: ['*.example.com'] },
      none: {},
    });
    assert.equal(pick(set, connection({ serverName: 'www.example.com' })), 'exact');
    assert.equal(pick(set, connection({ serverName: 'x.b.example.com' })), 'sub');
    assert.equal(pick(set, connection({ serverName: 'api.example.com' })), 'wild');
    assert.equal(pick(set, connection({ serverName: 'example.com' })), 'none');
    assert.equal(pick(set, connection()), 'none');
  });

  it('tells tls from raw_buffer and falls back to the transport-agnostic chain', () => {
    const set = chains({ tls: { transportProtocol: 'tls' }, plain: { transportProtocol: 'raw_buffer' } });
    assert.equal(pick(set, connection({ transportProtocol: 'tls' })), 'tls');
    assert.equal(pick(set, connection()), 'plain');
    const partial = chains({ tls: { transportProtocol: 'tls' }, any: {} });
    assert.equal(pick(partial, connection()), 'any');
  });

  it('lets the client ALPN order pick among protocol-specific chains', () => {
    const set = chains({
      h2: { applicationProtocols: ['h2'] },
      h1: { applicationProtocols: ['http/1.1'] },
      none: {},
    });
    assert.equal(pick(set, connection({ applicationProtocols: ['h2', 'http/1.1'] })), 'h2');
    assert.equal(pick(set, connection({ applicationProtocols: ['http/1.1', 'h2'] })), 'h1');
    assert.equal(pick(set, connection({ applicationProtocols: ['istio'] })), 'none');
  });

  it('distinguishes local and external sources, then source prefixes and ports', () => {
    const set = chains({ local: { sourceType: 1 }, external: { sourceType: 2 } });
    assert.equal(pick(set, connection({ source: '127.0.0.1' })), 'local');
    assert.equal(pick(set, connection({ source: '10.0.0.1' })), 'local');
    assert.equal(pick(set, connection({ source: '10.2.2.2' })), 'external');
    const sources = chains({
      office: { sourcePrefixRanges: [cidr('10.1.0.0', 16)], sourcePorts: [40000] },
      officeAnyPort: { sourcePrefixRanges: [cidr('10.1.0.0', 16)], sourcePorts: [] },
    });
    assert.equal(pick(sources, connection()), 'office');
    assert.equal(pick(sources, connection({ sourcePort: 1 })), 'officeAnyPort');
  });

  it('orders destination port before server name', () => {
    const set = chains({ sni: { serverNames: ['a.test'] }, port: { destinationPort: 8080 } });
    assert.equal(pick(set, connection({ serverName: 'a.test' })), 'port');
  });

  it('finds chains that claim the same connections', () => {
    const duplicate = chains({
      one: { serverNames: ['a.test', 'b.test'] },
      two: { serverNames: ['b.test'] },
    });
    assert.match(findDuplicateMatch(duplicate) ?? '', /one and two/);
    const distinct = chains({
      one: { serverNames: ['a.test'] },
      two: { serverNames: ['b.test'] },
      three: {},
    });
    assert.equal(findDuplicateMatch(distinct), undefined);
  });

  it('refuses match fields it cannot honour', () => {
    assert.match(
      JSON.stringify(compileChainMatch(create(FilterChainMatchSchema, { addressSuffix: 'x' }))),
      /address_suffix/,
    );
    assert.match(
      JSON.stringify(
        compileChainMatch(create(FilterChainMatchSchema, { prefixRanges: [cidr('10.0.0.0', 40)] })),
      ),
      /prefix_ranges/,
    );
    assert.match(
      JSON.stringify(compileChainMatch(create(FilterChainMatchSchema, { serverNames: ['a.*.test'] }))),
      /server_names/,
    );
  });
});
