// Filter chain matches: CIDR parsing, match construction, overlap resolution, and the listener filters they need.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { create } from '@bufbuild/protobuf';
import { LISTENER_FILTERS } from '@heddle/xds';
import { FilterChainSchema } from '@heddle/xds/gen/envoy/config/listener/v3/listener_components_pb.ts';
import { cidrRange } from '../../src/listener/cidr-range.ts';
import { removeConflictingChains, type ChainConflict } from '../../src/listener/chain-conflicts.ts';
import { buildFilterChainMatch, type ChainMatchSpec } from '../../src/listener/filter-chain-match.ts';
import { listenerFiltersFor } from '../../src/listener/listener-filters.ts';

const chain = (name: string, spec: ChainMatchSpec) => {
  const filterChainMatch = buildFilterChainMatch(spec);
  return create(FilterChainSchema, { name, ...(filterChainMatch ? { filterChainMatch } : {}) });
};

describe('cidrRange', () => {
  it('reads a bare IP as a host prefix', () => {
    assert.deepEqual(
      [cidrRange('10.0.0.1')?.addressPrefix, cidrRange('10.0.0.1')?.prefixLen],
      ['10.0.0.1', 32],
    );
    assert.equal(cidrRange('2001:db8::1')?.prefixLen, 128);
  });

  it('reads a CIDR and refuses what is not one', () => {
    assert.equal(cidrRange('10.20.0.0/16')?.prefixLen, 16);
    assert.equal(cidrRange('2001:db8::/32')?.prefixLen, 32);
    for (const bad of ['10.0.0.0/33', '300.1.1.1', 'db.example.com', '10.0.0.0/8/1', '1::2::3'])
      assert.equal(cidrRange(bad), undefined, bad);
  });
});

describe('buildFilterChainMatch', () => {
  it('leaves the match out when nothing is constrained', () => {
    assert.equal(buildFilterChainMatch({}), undefined);
  });

  it('sorts and deduplicates addresses, server names and ALPN for stable output', () => {
    const match = buildFilterChainMatch({
      destinationPort: 443,
      destinationAddresses: ['10.0.0.2', '10.0.0.1', '10.0.0.2'],
      serverNames: ['B.example.com', 'a.example.com'],
      transportProtocol: 'tls',
      applicationProtocols: ['http/1.1', 'h2'],
    });
    assert.equal(match?.destinationPort, 443);
    assert.deepEqual(
      match?.prefixRanges.map((r) => r.addressPrefix),
      ['10.0.0.1', '10.0.0.2'],
    );
    assert.deepEqual(match?.serverNames, ['a.example.com', 'b.example.com']);
    assert.equal(match?.transportProtocol, 'tls');
    assert.deepEqual(match?.applicationProtocols, ['h2', 'http/1.1']);
  });

  it('reports addresses it cannot read and leaves them out', () => {
    const invalid: string[] = [];
    const match = buildFilterChainMatch({ destinationAddresses: ['db.internal', '10.1.0.0/16'] }, (a) =>
      invalid.push(a),
    );
    assert.deepEqual(invalid, ['db.internal']);
    assert.deepEqual(
      match?.prefixRanges.map((r) => `${r.addressPrefix}/${r.prefixLen}`),
      ['10.1.0.0/16'],
    );
  });
});

describe('removeConflictingChains', () => {
  it('keeps chains that differ in any match field', () => {
    const chains = [
      chain('a', { destinationAddresses: ['10.0.0.1'] }),
      chain('b', { destinationAddresses: ['10.0.0.2'] }),
      chain('c', {}),
      chain('d', { serverNames: ['x.example.com'] }),
    ];
    assert.equal(removeConflictingChains(chains, () => assert.fail('no conflict expected')).length, 4);
  });

  it('drops a later chain matching exactly what an earlier one matches', () => {
    const conflicts: ChainConflict[] = [];
    const kept = removeConflictingChains([chain('http', {}), chain('tcp', {})], (c) => conflicts.push(c));
    assert.deepEqual(
      kept.map((c) => c.name),
      ['http'],
    );
    assert.equal(conflicts[0]?.chain.name, 'tcp');
  });

  it('narrows a later chain to the server names still free', () => {
    const conflicts: ChainConflict[] = [];
    const kept = removeConflictingChains(
      [
        chain('first', { serverNames: ['a.example.com'] }),
        chain('second', { serverNames: ['a.example.com', 'b.example.com'] }),
      ],
      (c) => conflicts.push(c),
    );
    assert.deepEqual(kept[1]?.filterChainMatch?.serverNames, ['b.example.com']);
    assert.deepEqual(conflicts[0]?.removedServerNames, ['a.example.com']);
  });
});

describe('listenerFiltersFor', () => {
  it('adds the TLS inspector only when a chain matches on SNI or TLS', () => {
    assert.deepEqual(listenerFiltersFor([chain('tcp', { destinationAddresses: ['10.0.0.1'] })]), []);
    assert.deepEqual(
      listenerFiltersFor([chain('sni', { serverNames: ['a.example.com'] })]).map((f) => f.name),
      [LISTENER_FILTERS.TLS_INSPECTOR],
    );
  });

  it('adds the HTTP inspector for detected HTTP protocols, after original_dst and the TLS inspector', () => {
    const filters = listenerFiltersFor(
      [
        chain('mtls', { transportProtocol: 'tls', applicationProtocols: ['istio-peer-exchange'] }),
        chain('http', { transportProtocol: 'raw_buffer', applicationProtocols: ['http/1.1', 'h2c'] }),
      ],
      { originalDst: true },
    );
    assert.deepEqual(
      filters.map((f) => f.name),
      [LISTENER_FILTERS.ORIGINAL_DST, LISTENER_FILTERS.TLS_INSPECTOR, LISTENER_FILTERS.HTTP_INSPECTOR],
    );
  });
});
