// Istio-style resource names: built the way Istio builds them, and parsed back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BLACKHOLE_CLUSTER,
  PASSTHROUGH_CLUSTER,
  VIRTUAL_INBOUND,
  VIRTUAL_OUTBOUND,
  inboundClusterName,
  listenerName,
  outboundClusterName,
  parseClusterName,
  routeConfigName,
} from '../src/index.ts';

describe('cluster names', () => {
  it('builds outbound names as outbound|<port>|<subset>|<fqdn>', () => {
    assert.equal(
      outboundClusterName(9080, 'v2', 'reviews.default.svc.cluster.local'),
      'outbound|9080|v2|reviews.default.svc.cluster.local',
    );
    assert.equal(outboundClusterName(80, '', 'httpbin.org'), 'outbound|80||httpbin.org');
  });

  it('builds inbound names as inbound|<port>||', () => {
    assert.equal(inboundClusterName(8080), 'inbound|8080||');
  });

  it('parses what it builds', () => {
    assert.deepEqual(parseClusterName(outboundClusterName(9080, 'v2', 'reviews.default.svc.cluster.local')), {
      direction: 'outbound',
      port: 9080,
      subset: 'v2',
      host: 'reviews.default.svc.cluster.local',
    });
    assert.deepEqual(parseClusterName(inboundClusterName(8080)), {
      direction: 'inbound',
      port: 8080,
      subset: '',
      host: '',
    });
  });

  it('rejects names that are not direction|port|subset|host', () => {
    for (const name of [
      BLACKHOLE_CLUSTER,
      PASSTHROUGH_CLUSTER,
      'outbound|9080|v2',
      'outbound|9080|v2|a|b',
      'sideways|9080||a',
      'outbound|http||a',
      'outbound|||a',
      'outbound|70000||a',
      'outbound|-1||a',
    ]) {
      assert.equal(parseClusterName(name), undefined, name);
    }
  });
});

describe('listener and route names', () => {
  it('uses Istio names', () => {
    assert.equal(listenerName('0.0.0.0', 8080), '0.0.0.0_8080');
    assert.equal(listenerName('10.1.2.3', 15006), '10.1.2.3_15006');
    assert.equal(routeConfigName(8080), '8080');
    assert.equal(VIRTUAL_OUTBOUND, 'virtualOutbound');
    assert.equal(VIRTUAL_INBOUND, 'virtualInbound');
    assert.equal(BLACKHOLE_CLUSTER, 'BlackHoleCluster');
    assert.equal(PASSTHROUGH_CLUSTER, 'PassthroughCluster');
  });
});
