// Registration leases on a fake clock: a registration the workload stops renewing leaves the mesh by itself.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { MeshService } from '@heddle/translate';
import { MemoryConfigStore, ServiceRegistry, type ConfigStore } from '../../src/index.ts';
import {
  DEFAULT_LEASE_SECONDS,
  MAX_LEASE_SECONDS,
  parseLeaseSeconds,
} from '../../src/registry/registration-lease.ts';
import { FakeClock } from '../support/fake-clock.ts';

const CART = {
  name: 'cart-1',
  namespace: 'shop',
  address: '10.0.0.7',
  ports: { http: 8080 },
  labels: { app: 'cart' },
};

function cartEndpoints(services: readonly MeshService[]): string[] {
  const cart = services.find((s) => s.hostname === 'cart.shop.svc.cluster.local');
  return (cart?.endpoints ?? []).map((e) => `${e.workloadName}@${e.address}`);
}

describe('registration leases', () => {
  let store: ConfigStore;
  let clock: FakeClock;
  let registry: ServiceRegistry;
  let changes: (readonly MeshService[])[];

  beforeEach(async () => {
    store = new MemoryConfigStore();
    await store.apply([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'cart', namespace: 'shop' },
        spec: { selector: { app: 'cart' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      },
    ]);
    clock = new FakeClock();
    registry = new ServiceRegistry(store, { clock });
    await registry.start();
    changes = [];
    registry.onChange((services) => changes.push(services));
  });
  afterEach(async () => {
    registry.close();
    await store.close();
  });

  it('removes a registration whose lease runs out, and tells listeners', () => {
    const handle = registry.register(CART, { leaseSeconds: 30 });
    assert.equal(handle.leaseSeconds, 30);
    assert.deepEqual(cartEndpoints(registry.services()), ['cart-1@10.0.0.7']);
    clock.advance(29_999);
    assert.deepEqual(cartEndpoints(registry.services()), ['cart-1@10.0.0.7']);
    clock.advance(1);
    assert.deepEqual(cartEndpoints(registry.services()), []);
    assert.deepEqual(cartEndpoints(changes.at(-1) ?? []), [], 'listeners (the push) hear of the expiry');
    assert.ok(!registry.workloads().some((w) => w.name === 'cart-1'));
    assert.equal(registry.renew(handle), undefined, 'an expired registration cannot be renewed');
    assert.equal(registry.deregister(handle), false);
  });

  it('keeps a registration alive while it is renewed', () => {
    const start = clock.now();
    const handle = registry.register(CART, { leaseSeconds: 10 });
    for (let i = 1; i <= 5; i++) {
      clock.advance(8_000);
      assert.deepEqual(registry.renew(handle), { leaseSeconds: 10, expiresAt: start + i * 8_000 + 10_000 });
    }
    assert.deepEqual(cartEndpoints(registry.services()), ['cart-1@10.0.0.7']);
    clock.advance(10_000);
    assert.deepEqual(cartEndpoints(registry.services()), []);
  });

  it('a replaced registration takes its own lease: the old one no longer expires or renews anything', () => {
    const old = registry.register(CART, { leaseSeconds: 5 });
    clock.advance(4_000);
    const fresh = registry.register({ ...CART, address: '10.0.0.8' }, { leaseSeconds: 60 });
    clock.advance(2_000);
    assert.deepEqual(cartEndpoints(registry.services()), ['cart-1@10.0.0.8']);
    assert.equal(registry.renew(old), undefined);
    assert.ok(registry.renew(fresh));
  });

  it('a deregistered workload has no lease left to fire', () => {
    const handle = registry.register(CART, { leaseSeconds: 5 });
    assert.equal(registry.deregister(handle), true);
    const again = registry.register(CART);
    clock.advance(60_000);
    assert.deepEqual(cartEndpoints(registry.services()), ['cart-1@10.0.0.7']);
    assert.equal(registry.renew(again), undefined, 'a registration without a lease has nothing to renew');
  });

  it('without a lease a registration stays until deregistered', () => {
    const handle = registry.register(CART);
    assert.equal(handle.leaseSeconds, undefined);
    clock.advance(365 * 24 * 3600 * 1000);
    assert.deepEqual(cartEndpoints(registry.services()), ['cart-1@10.0.0.7']);
  });

  it('close() stops the lease timers', () => {
    registry.register(CART, { leaseSeconds: 5 });
    registry.close();
    clock.advance(60_000);
    assert.deepEqual(cartEndpoints(registry.services()), ['cart-1@10.0.0.7']);
  });
});

describe('parseLeaseSeconds', () => {
  it('grants the default when the request names no lease', () => {
    assert.equal(parseLeaseSeconds(undefined), DEFAULT_LEASE_SECONDS);
    assert.equal(DEFAULT_LEASE_SECONDS, 30);
  });

  it('takes whole seconds from 1 to the maximum', () => {
    assert.equal(parseLeaseSeconds(1), 1);
    assert.equal(parseLeaseSeconds(MAX_LEASE_SECONDS), MAX_LEASE_SECONDS);
    for (const bad of [0, -1, 1.5, MAX_LEASE_SECONDS + 1, '30', null]) {
      const result = parseLeaseSeconds(bad);
      assert.ok(typeof result === 'object', `${String(bad)} must be refused`);
      assert.match(result.error, /leaseSeconds/);
    }
  });
});
