// A v1 Service manifest defines a mesh service whose endpoints are the workloads its selector picks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceFromKubernetesService } from '../../src/index.ts';
import { object, workload } from './helpers.ts';

const workloads = [
  workload({
    name: 'reviews-v1',
    address: '10.0.0.1',
    namespace: 'shop',
    labels: { app: 'reviews', version: 'v1' },
    ports: { http: 9080, metrics: 15020 },
  }),
  workload({
    name: 'reviews-v2',
    address: '10.0.0.2',
    namespace: 'shop',
    labels: { app: 'reviews', version: 'v2' },
  }),
  workload({
    name: 'reviews-elsewhere',
    address: '10.0.0.3',
    namespace: 'default',
    labels: { app: 'reviews' },
  }),
];

describe('serviceFromKubernetesService', () => {
  it('names the host <name>.<namespace>.svc.cluster.local and selects workloads in the namespace', () => {
    const service = serviceFromKubernetesService(
      object(
        'reviews',
        { selector: { app: 'reviews' }, clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 9080 }] },
        'shop',
      ),
      workloads,
    );
    assert.equal(service.hostname, 'reviews.shop.svc.cluster.local');
    assert.equal(service.origin, 'Service shop/reviews');
    assert.equal(service.resolution, 'STATIC');
    assert.equal(service.location, 'MESH_INTERNAL');
    assert.deepEqual(service.addresses, ['10.96.0.20']);
    assert.deepEqual(
      service.endpoints.map((e) => `${e.workloadName} ${e.address}:${e.ports.http}`),
      ['reviews-v1 10.0.0.1:9080', 'reviews-v2 10.0.0.2:9080'],
    );
  });

  it('uses another domain suffix when given one', () => {
    const service = serviceFromKubernetesService(object('a', { ports: [] }, 'ns'), [], 'mesh.internal');
    assert.equal(service.hostname, 'a.ns.svc.mesh.internal');
  });

  it('selects protocols with Istio rules: appProtocol, then name prefix, unnamed TCP', () => {
    const service = serviceFromKubernetesService(
      object('mixed', {
        ports: [
          { name: 'http-api', port: 8080 },
          { name: 'grpc-internal', port: 9090 },
          { name: 'database', port: 3306, appProtocol: 'mysql' },
          { port: 9100 },
          { name: 'dns', port: 53, protocol: 'UDP' },
        ],
      }),
      [],
    );
    assert.deepEqual(
      service.ports.map((p) => `${p.name}:${p.number} ${p.protocol}`),
      ['http-api:8080 HTTP', 'grpc-internal:9090 GRPC', 'database:3306 MYSQL', ':9100 TCP', 'dns:53 UDP'],
    );
  });

  it('maps targetPort: numeric, named, and the workload’s own port of the service port’s name', () => {
    const service = serviceFromKubernetesService(
      object(
        'reviews',
        {
          selector: { app: 'reviews' },
          ports: [
            { name: 'http', port: 80, targetPort: 8080 },
            { name: 'web', port: 81, targetPort: 8081 },
            { name: 'prom', port: 9090, targetPort: 'metrics' },
          ],
        },
        'shop',
      ),
      workloads,
    );
    assert.deepEqual(
      service.ports.map((p) => p.targetPort),
      [8080, 8081, undefined],
    );
    assert.deepEqual(
      service.endpoints.map((e) => [e.workloadName, e.ports]),
      [
        // reviews-v1 declares http and metrics ports; reviews-v2 has no "metrics" port, so serves no "prom".
        ['reviews-v1', { http: 9080, web: 8081, prom: 15020 }],
        ['reviews-v2', { http: 8080, web: 8081 }],
      ],
    );
  });

  it('leaves endpoints out when there is no selector, as Kubernetes does', () => {
    const service = serviceFromKubernetesService(
      object('manual', { ports: [{ name: 'http', port: 80 }] }, 'shop'),
      workloads,
    );
    assert.deepEqual(service.endpoints, []);
  });

  it('treats a headless service as resolution NONE without addresses', () => {
    const service = serviceFromKubernetesService(
      object(
        'db',
        { clusterIP: 'None', selector: { app: 'reviews' }, ports: [{ name: 'tcp', port: 5432 }] },
        'shop',
      ),
      workloads,
    );
    assert.equal(service.resolution, 'NONE');
    assert.deepEqual(service.addresses, []);
    assert.equal(service.endpoints.length, 2);
  });

  it('reads ExternalName as an external DNS service', () => {
    const service = serviceFromKubernetesService(
      object('payments', {
        type: 'ExternalName',
        externalName: 'api.stripe.com',
        ports: [{ name: 'https', port: 443 }],
      }),
      [],
    );
    assert.equal(service.resolution, 'DNS');
    assert.equal(service.location, 'MESH_EXTERNAL');
    assert.deepEqual(
      service.endpoints.map((e) => [e.address, e.ports, e.tlsMode]),
      [['api.stripe.com', { https: 443 }, 'disabled']],
    );
  });

  it('reads exportTo from the networking.istio.io/exportTo annotation', () => {
    const service = serviceFromKubernetesService(
      object('private', { ports: [] }, 'shop', { 'networking.istio.io/exportTo': '., istio-system' }),
      [],
    );
    assert.deepEqual(service.exportTo, ['istio-system', 'shop']);
  });
});
