// hashPolicyFor: the route-side half of consistent hashing, one Envoy hash policy per DestinationRule key.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RouteAction_HashPolicySchema } from '@heddle/xds/gen/envoy/config/route/v3/route_components_pb.ts';
import { xdsToJson } from '@heddle/xds';
import type { ConsistentHashLB } from '@heddle/api';
import { hashPolicyFor } from '../../src/cluster/hash-policy.ts';

const json = (consistentHash: ConsistentHashLB | undefined) =>
  hashPolicyFor({ loadBalancer: consistentHash ? { consistentHash } : { simple: 'ROUND_ROBIN' } }).map((p) =>
    xdsToJson(RouteAction_HashPolicySchema, p),
  );

describe('hashPolicyFor', () => {
  it('hashes a header', () => {
    assert.deepEqual(json({ httpHeaderName: 'x-user' }), [{ header: { headerName: 'x-user' } }]);
  });

  it('hashes a cookie, which Envoy sets when a ttl is given', () => {
    assert.deepEqual(json({ httpCookie: { name: 'session', path: '/', ttl: '1h' } }), [
      { cookie: { name: 'session', ttl: '3600s', path: '/' } },
    ]);
  });

  it('hashes the source IP', () => {
    assert.deepEqual(json({ useSourceIp: true }), [{ connectionProperties: { sourceIp: true } }]);
  });

  it('hashes a query parameter', () => {
    assert.deepEqual(json({ httpQueryParameterName: 'user' }), [{ queryParameter: { name: 'user' } }]);
  });

  it('is empty without consistent hashing, or with a ring but no key', () => {
    assert.deepEqual(json(undefined), []);
    assert.deepEqual(json({ ringHash: { minimumRingSize: 10 } }), []);
    assert.deepEqual(hashPolicyFor(undefined), []);
  });
});
