// The live registry follows the store and running workloads, and says when the service set changes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { MeshService } from '@heddle/translate';
import { MemoryConfigStore, ServiceRegistry, type ConfigStore, type ResourceInput } from '../../src/index.ts';

function resource(
  apiVersion: string,
  kind: string,
  name: string,
  spec: unknown,
  namespace = 'shop',
): ResourceInput {
  return { apiVersion, kind, metadata: { name, namespace }, spec };
}

const REVIEWS = resource('v1', 'Service', 'reviews', {
  selector: { app: 'reviews' },
  ports: [{ name: 'http', port: 9080 }],
});
const RATINGS_ENTRY = resource('networking.istio.io/v1', 'ServiceEntry', 'ratings', {
  hosts: ['ratings.vm.internal'],
  location: 'MESH_INTERNAL',
  resolution: 'STATIC',
  ports: [{ number: 80, name: 'http', protocol: 'HTTP' }],
  workloadSelector: { labels: { app: 'ratings' } },
});
const RATINGS_VM = resource('networking.istio.io/v1', 'WorkloadEntry', 'ratings-vm', {
  address: '10.0.0.9',
  labels: { app: 'ratings' },
  ports: { http: 8080 },
});
const GROUP = resource('networking.istio.io/v1', 'WorkloadGroup', 'reviews-vms', {
  metadata: { labels: { app: 'reviews', version: 'v3' } },
  template: { ports: { http: 9080 }, serviceAccount: 'reviews' },
});

function endpointsOf(services: readonly MeshService[], hostname: string): string[] {
  const service = services.find((s) => s.hostname === hostname);
  return (service?.endpoints ?? []).map(
    (e) => `${e.workloadName}@${e.address}${e.healthy ? '' : ' unhealthy'}`,
  );
}

describe('ServiceRegistry', () => {
  let store: ConfigStore;
  let registry: ServiceRegistry;
  let changes: (readonly MeshService[])[];

  beforeEach(async () => {
    store = new MemoryConfigStore();
    await store.apply([REVIEWS, RATINGS_ENTRY, RATINGS_VM]);
    registry = new ServiceRegistry(store);
    changes = [];
    registry.onChange((services) => changes.push(services));
    await registry.start();
  });
  afterEach(async () => {
    registry.close();
    await store.close();
  });

  it('builds services from the store, sorted by hostname', () => {
    assert.deepEqual(
      registry.services().map((s) => s.hostname),
      ['ratings.vm.internal', 'reviews.shop.svc.cluster.local'],
    );
    assert.deepEqual(endpointsOf(registry.services(), 'ratings.vm.internal'), ['ratings-vm@10.0.0.9']);
    assert.equal(registry.revision(), 1);
  });

  it('follows store changes and reports each change of the service set', async () => {
    changes.length = 0;
    await store.apply([
      {
        ...RATINGS_VM,
        metadata: { name: 'ratings-vm-2', namespace: 'shop' },
        spec: { address: '10.0.0.10', labels: { app: 'ratings' } },
      },
    ]);
    // Endpoints are ordered by address as text: stable, if not numeric.
    assert.deepEqual(endpointsOf(registry.services(), 'ratings.vm.internal'), [
      'ratings-vm-2@10.0.0.10',
      'ratings-vm@10.0.0.9',
    ]);
    await store.delete([{ kind: 'ServiceEntry', namespace: 'shop', name: 'ratings' }]);
    assert.deepEqual(
      registry.services().map((s) => s.hostname),
      ['reviews.shop.svc.cluster.local'],
    );
    assert.equal(changes.length, 2);
    assert.equal(registry.revision(), 3);
  });

  it('stays quiet for store changes that do not change any service', async () => {
    changes.length = 0;
    await store.apply([
      resource('networking.istio.io/v1', 'VirtualService', 'reviews', { hosts: ['reviews'] }),
      resource('networking.istio.io/v1', 'WorkloadEntry', 'unselected', {
        address: '10.0.0.50',
        labels: { app: 'nobody' },
      }),
    ]);
    assert.deepEqual(changes, []);
  });

  it('adds a registered workload to the services that select it, and removes it on deregister', () => {
    changes.length = 0;
    const handle = registry.register({
      name: 'reviews-1',
      namespace: 'shop',
      address: '127.0.0.1',
      ports: { http: 19080 },
      labels: { app: 'reviews', version: 'v1' },
      serviceAccount: 'reviews',
      locality: 'local/a',
    });
    const [endpoint] = registry.services().find((s) => s.name === 'reviews')?.endpoints ?? [];
    assert.deepEqual(endpoint, {
      address: '127.0.0.1',
      ports: { http: 19080 },
      labels: { app: 'reviews', version: 'v1' },
      serviceAccount: 'reviews',
      namespace: 'shop',
      workloadName: 'reviews-1',
      locality: { region: 'local', zone: 'a' },
      healthy: true,
      tlsMode: 'istio',
    });
    assert.equal(changes.length, 1);

    assert.equal(registry.deregister(handle), true);
    assert.deepEqual(endpointsOf(registry.services(), 'reviews.shop.svc.cluster.local'), []);
    assert.equal(changes.length, 2);
    assert.equal(registry.deregister(handle), false);
  });

  it('replaces a registration of the same name; the old handle no longer deregisters it', () => {
    const base = { name: 'reviews-1', namespace: 'shop', ports: {}, labels: { app: 'reviews' } };
    const old = registry.register({ ...base, address: '127.0.0.1' });
    registry.register({ ...base, address: '127.0.0.2' });
    assert.equal(registry.deregister(old), false);
    assert.deepEqual(endpointsOf(registry.services(), 'reviews.shop.svc.cluster.local'), [
      'reviews-1@127.0.0.2',
    ]);
  });

  it('applies health updates to registered workloads and WorkloadEntries', () => {
    registry.register({
      name: 'reviews-1',
      namespace: 'shop',
      address: '127.0.0.1',
      ports: {},
      labels: { app: 'reviews' },
    });
    changes.length = 0;
    assert.equal(registry.setHealth('reviews-1', false), true);
    assert.equal(registry.setHealth('ratings-vm', false, 'shop'), true);
    assert.deepEqual(endpointsOf(registry.services(), 'reviews.shop.svc.cluster.local'), [
      'reviews-1@127.0.0.1 unhealthy',
    ]);
    assert.deepEqual(endpointsOf(registry.services(), 'ratings.vm.internal'), [
      'ratings-vm@10.0.0.9 unhealthy',
    ]);
    assert.equal(changes.length, 2);
    assert.equal(registry.setHealth('reviews-1', false), true);
    assert.equal(changes.length, 2, 'no event when nothing changed');
    assert.equal(registry.setHealth('nobody', false), false);
  });

  it('registers from a WorkloadGroup template', async () => {
    await store.apply([GROUP]);
    const handle = registry.registerFromGroup('reviews-vms', 'shop', '10.0.1.1', { ports: { http: 29080 } });
    assert.equal(handle.name, 'reviews-vms-10.0.1.1');
    const [endpoint] = registry.services().find((s) => s.name === 'reviews')?.endpoints ?? [];
    assert.equal(endpoint?.serviceAccount, 'reviews');
    assert.deepEqual(endpoint?.labels, { app: 'reviews', version: 'v3' });
    assert.deepEqual(endpoint?.ports, { http: 29080 });
  });

  it('refuses to register from a WorkloadGroup that does not exist', () => {
    assert.throws(() => registry.registerFromGroup('missing', 'shop', '10.0.1.1'), {
      code: 'HEDDLE_REGISTRY_GROUP_NOT_FOUND',
    });
  });

  it('stops following the store after close', async () => {
    registry.close();
    await store.delete([{ kind: 'Service', namespace: 'shop', name: 'reviews' }]);
    assert.equal(registry.services().length, 2);
  });
});

describe('ServiceRegistry start', () => {
  it('refuses registration from a group before it has loaded the store', async () => {
    const store = new MemoryConfigStore();
    const registry = new ServiceRegistry(store);
    assert.throws(() => registry.registerFromGroup('g', 'shop', '10.0.0.1'), {
      code: 'HEDDLE_REGISTRY_NOT_STARTED',
    });
    await store.close();
  });

  it('uses the configured domain suffix for Service host names', async () => {
    const store = new MemoryConfigStore();
    await store.apply([REVIEWS]);
    const registry = new ServiceRegistry(store, { domainSuffix: 'mesh.local' });
    await registry.start();
    assert.deepEqual(
      registry.services().map((s) => s.hostname),
      ['reviews.shop.svc.mesh.local'],
    );
    registry.close();
    await store.close();
  });
});
