// A WorkloadEntry becomes a workload with Istio's defaults for identity, mTLS, locality and network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLocality, workloadFromEntry } from '../../src/index.ts';

function entry(spec: unknown, status?: unknown) {
  return { metadata: { name: 'vm-1', namespace: 'shop' }, spec, ...(status ? { status } : {}) };
}

describe('parseLocality', () => {
  it('reads region/zone/subzone', () => {
    assert.deepEqual(parseLocality('us-east1/us-east1-b/rack-7'), {
      region: 'us-east1',
      zone: 'us-east1-b',
      subzone: 'rack-7',
    });
  });

  it('accepts a region alone or region and zone', () => {
    assert.deepEqual(parseLocality('eu-west1'), { region: 'eu-west1' });
    assert.deepEqual(parseLocality('eu-west1/eu-west1-a'), { region: 'eu-west1', zone: 'eu-west1-a' });
  });

  it('skips empty parts and treats an empty string as no locality', () => {
    assert.deepEqual(parseLocality('/zone-a/'), { zone: 'zone-a' });
    assert.equal(parseLocality(''), undefined);
    assert.equal(parseLocality(undefined), undefined);
  });
});

describe('workloadFromEntry', () => {
  it('reads address, ports, labels, identity, locality, network and weight', () => {
    const workload = workloadFromEntry(
      entry({
        address: '10.0.0.5',
        ports: { http: 8080, grpc: 9090 },
        labels: { app: 'ratings', version: 'v1' },
        serviceAccount: 'ratings',
        locality: 'us-east1/us-east1-b',
        network: 'vm-net',
        weight: 3,
      }),
    );
    assert.deepEqual(workload, {
      name: 'vm-1',
      namespace: 'shop',
      address: '10.0.0.5',
      ports: { http: 8080, grpc: 9090 },
      labels: { app: 'ratings', version: 'v1' },
      serviceAccount: 'ratings',
      locality: { region: 'us-east1', zone: 'us-east1-b' },
      network: 'vm-net',
      weight: 3,
      healthy: true,
      tlsMode: 'istio',
      origin: 'WorkloadEntry',
    });
  });

  it('defaults the service account to "default" and, like Istio, mTLS to disabled without one', () => {
    const workload = workloadFromEntry(entry({ address: '10.0.0.5' }));
    assert.equal(workload.serviceAccount, 'default');
    assert.equal(workload.tlsMode, 'disabled');
  });

  it('lets the security.istio.io/tlsMode label decide mTLS', () => {
    const on = workloadFromEntry(
      entry({ address: '10.0.0.5', labels: { 'security.istio.io/tlsMode': 'istio' } }),
    );
    const off = workloadFromEntry(
      entry({
        address: '10.0.0.5',
        serviceAccount: 'x',
        labels: { 'security.istio.io/tlsMode': 'disabled' },
      }),
    );
    assert.equal(on.tlsMode, 'istio');
    assert.equal(off.tlsMode, 'disabled');
  });

  it('falls back to the istio-locality and topology.istio.io/network labels', () => {
    const workload = workloadFromEntry(
      entry({
        address: '10.0.0.5',
        labels: { 'istio-locality': 'us-east1.us-east1-b', 'topology.istio.io/network': 'net-2' },
      }),
    );
    assert.deepEqual(workload.locality, { region: 'us-east1', zone: 'us-east1-b' });
    assert.equal(workload.network, 'net-2');
  });

  it('is unhealthy when health checks reported Healthy=False', () => {
    const workload = workloadFromEntry(
      entry({ address: '10.0.0.5' }, { conditions: [{ type: 'Healthy', status: 'False' }] }),
    );
    assert.equal(workload.healthy, false);
  });

  it('ignores fields of the wrong type instead of failing', () => {
    const workload = workloadFromEntry(entry({ address: 5, ports: { http: 'x', tcp: 81 }, weight: -1 }));
    assert.equal(workload.address, '');
    assert.deepEqual(workload.ports, { tcp: 81 });
    assert.equal(workload.weight, undefined);
  });
});
