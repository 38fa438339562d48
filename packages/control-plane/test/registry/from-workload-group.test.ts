// Auto-registration from a WorkloadGroup: the template, merged labels and ports, Istio's entry name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoRegisteredName, registrationFromGroup } from '../../src/index.ts';
import { object } from './helpers.ts';

const GROUP = object(
  'ratings-vm',
  {
    metadata: { labels: { app: 'ratings', version: 'v1' } },
    template: {
      ports: { http: 9080, grpc: 9090 },
      serviceAccount: 'ratings',
      network: 'vm-net',
      labels: { tier: 'backend', version: 'v0' },
    },
  },
  'shop',
);

describe('registrationFromGroup', () => {
  it('fills the registration from the template, with the group labels over the template labels', () => {
    assert.deepEqual(registrationFromGroup(GROUP, '10.0.0.7'), {
      name: 'ratings-vm-10.0.0.7',
      namespace: 'shop',
      address: '10.0.0.7',
      ports: { http: 9080, grpc: 9090 },
      labels: { tier: 'backend', app: 'ratings', version: 'v1' },
      serviceAccount: 'ratings',
      network: 'vm-net',
    });
  });

  it('lets the joining workload add labels, ports, locality and network, but not its identity', () => {
    const registration = registrationFromGroup(GROUP, '10.0.0.7', {
      labels: { version: 'v2' },
      ports: { http: 19080 },
      locality: 'r1/z1',
      network: 'edge',
    });
    assert.equal(registration.name, 'ratings-vm-10.0.0.7-edge');
    assert.deepEqual(registration.labels, { tier: 'backend', app: 'ratings', version: 'v2' });
    assert.deepEqual(registration.ports, { http: 19080, grpc: 9090 });
    assert.equal(registration.locality, 'r1/z1');
    assert.equal(registration.network, 'edge');
    assert.equal(registration.serviceAccount, 'ratings');
  });

  it('makes IPv6 addresses safe in the generated name', () => {
    assert.equal(autoRegisteredName('g', 'fd00::1'), 'g-fd00--1');
  });
});
